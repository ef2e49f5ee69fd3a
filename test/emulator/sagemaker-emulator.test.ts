import {
  CreateTrainingPlanCommand,
  DescribeTrainingPlanCommand,
  ListTrainingPlansCommand,
  paginateListTrainingPlans,
  SageMakerClient,
  SearchTrainingPlanOfferingsCommand,
  SearchTrainingPlanOfferingsCommandInput,
  TrainingPlanSummary,
} from '@aws-sdk/client-sagemaker';
import { CapacityBlock, SageMakerEmulator } from './sagemaker-emulator';

const T0 = new Date('2030-01-01T00:00:00Z');
const SECOND = 1000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CREDENTIALS = { accessKeyId: 'x', secretAccessKey: 'x' };

function at(ms: number): Date {
  return new Date(T0.getTime() + ms);
}

function block(overrides: Partial<CapacityBlock> = {}): CapacityBlock {
  return {
    instanceType: 'ml.p5.48xlarge',
    instanceCount: 2,
    availabilityZone: 'us-west-2a',
    startTime: at(DAY),
    durationHours: 48,
    upfrontFee: '12345.67',
    ...overrides,
  };
}

/** The error a rejected SDK call threw. */
async function failure(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to fail');
}

/** A raw AWS JSON 1.1 call, to look at the wire itself. */
async function rawCall(endpoint: string, target: string | undefined, body: string): Promise<{ status: number; headers: Headers; json: any }> {
  const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.1' };
  if (target !== undefined) {
    headers['x-amz-target'] = target;
  }
  const res = await fetch(`${endpoint}/`, { method: 'POST', headers, body });
  return { status: res.status, headers: res.headers, json: await res.json() };
}

let emulator: SageMakerEmulator;
let client: SageMakerClient;

beforeAll(async () => {
  emulator = await SageMakerEmulator.start({ now: T0 });
  client = new SageMakerClient({ endpoint: emulator.endpoint, region: 'us-west-2', credentials: CREDENTIALS, maxAttempts: 1 });
});

afterAll(async () => {
  client.destroy();
  await emulator.stop();
});

beforeEach(() => {
  emulator.reset();
});

const search = (input: Partial<SearchTrainingPlanOfferingsCommandInput> = {}) =>
  client.send(new SearchTrainingPlanOfferingsCommand({
    InstanceType: 'ml.p5.48xlarge',
    TargetResources: ['endpoint'],
    ...input,
  }));

const create = (name: string, offeringId: string, tags?: Array<{ Key: string; Value: string }>) =>
  client.send(new CreateTrainingPlanCommand({ TrainingPlanName: name, TrainingPlanOfferingId: offeringId, Tags: tags }));

const describe_ = (name: string) => client.send(new DescribeTrainingPlanCommand({ TrainingPlanName: name }));

describe('start / stop', () => {
  test('endpoint, region and account', () => {
    expect(emulator.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(emulator.region).toBe('us-west-2');
    expect(emulator.accountId).toBe('123456789012');
  });

  test('stop() closes keep-alive connections and is idempotent', async () => {
    const other = await SageMakerEmulator.start({ now: T0, region: 'eu-west-1', accountId: '111122223333' });
    const c = new SageMakerClient({ endpoint: other.endpoint, region: 'eu-west-1', credentials: CREDENTIALS, maxAttempts: 1 });
    other.addCapacity(block({ offeringId: 'tpo-eu', availabilityZone: 'eu-west-1b' }));
    const { TrainingPlanArn } = await c.send(new CreateTrainingPlanCommand({ TrainingPlanName: 'eu', TrainingPlanOfferingId: 'tpo-eu' }));
    expect(TrainingPlanArn).toBe('arn:aws:sagemaker:eu-west-1:111122223333:training-plan/eu');
    const started = Date.now();
    await other.stop();
    await other.stop();
    expect(Date.now() - started).toBeLessThan(1000);
    c.destroy();
  });

  test('the default clock is the real time, and stays put until moved', async () => {
    const other = await SageMakerEmulator.start();
    expect(Math.abs(other.now().getTime() - Date.now())).toBeLessThan(5000);
    const t = other.now().getTime();
    other.advance(90 * SECOND);
    expect(other.now().getTime()).toBe(t + 90 * SECOND);
    other.setTime(T0);
    expect(other.now()).toEqual(T0);
    await other.stop();
  });
});

describe('wire protocol', () => {
  test('unknown operation answers 400 UnknownOperationException', async () => {
    const res = await rawCall(emulator.endpoint, 'SageMaker.CreateEndpoint', '{}');
    expect(res.status).toBe(400);
    expect(res.json.__type).toBe('UnknownOperationException');
    const none = await rawCall(emulator.endpoint, undefined, '{}');
    expect(none.status).toBe(400);
    expect(none.json.__type).toBe('UnknownOperationException');
  });

  test('answers application/x-amz-json-1.1 with epoch-second timestamps', async () => {
    emulator.setCatalogue([block({ offeringId: 'tpo-wire' })]);
    const res = await rawCall(emulator.endpoint, 'SageMaker.SearchTrainingPlanOfferings',
      JSON.stringify({ InstanceType: 'ml.p5.48xlarge', StartTimeAfter: T0.getTime() / 1000 + 0.5 }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(res.headers.get('x-amzn-requestid')).toBeTruthy();
    const rc = res.json.TrainingPlanOfferings[0].ReservedCapacityOfferings[0];
    expect(rc.StartTime).toBe(at(DAY).getTime() / 1000);
    expect(rc.EndTime).toBe(at(DAY + 48 * HOUR).getTime() / 1000);
    expect(res.json.TrainingPlanOfferings[0].RequestedStartTimeAfter).toBe(T0.getTime() / 1000 + 0.5);
  });

  test('malformed JSON and wrong member types answer SerializationException', async () => {
    const bad = await rawCall(emulator.endpoint, 'SageMaker.ListTrainingPlans', '{not json');
    expect(bad.status).toBe(400);
    expect(bad.json.__type).toBe('SerializationException');
    const wrongType = await rawCall(emulator.endpoint, 'SageMaker.SearchTrainingPlanOfferings',
      JSON.stringify({ InstanceType: 'ml.p5.48xlarge', InstanceCount: '2' }));
    expect(wrongType.status).toBe(400);
    expect(wrongType.json.__type).toBe('SerializationException');
  });

  test('the SDK picks up AWS_ENDPOINT_URL_SAGEMAKER', async () => {
    emulator.setCatalogue([block({ offeringId: 'tpo-env' })]);
    const saved = process.env.AWS_ENDPOINT_URL_SAGEMAKER;
    process.env.AWS_ENDPOINT_URL_SAGEMAKER = emulator.endpoint;
    const envClient = new SageMakerClient({ region: 'us-west-2', credentials: CREDENTIALS, maxAttempts: 1 });
    try {
      const out = await envClient.send(new SearchTrainingPlanOfferingsCommand({ InstanceType: 'ml.p5.48xlarge' }));
      expect(out.TrainingPlanOfferings?.map((o) => o.TrainingPlanOfferingId)).toEqual(['tpo-env']);
      expect(emulator.calls.map((c) => c.operation)).toEqual(['SearchTrainingPlanOfferings']);
    } finally {
      envClient.destroy();
      if (saved === undefined) {
        delete process.env.AWS_ENDPOINT_URL_SAGEMAKER;
      } else {
        process.env.AWS_ENDPOINT_URL_SAGEMAKER = saved;
      }
    }
  });
});

describe('SearchTrainingPlanOfferings', () => {
  test('returns the offering in the shape of the model', async () => {
    emulator.setCatalogue([block({ offeringId: 'tpo-a' })]);
    const out = await search({ InstanceCount: 2, DurationHours: 48, StartTimeAfter: T0, EndTimeBefore: at(10 * DAY) });
    expect(out.TrainingPlanExtensionOfferings).toEqual([]);
    expect(out.TrainingPlanOfferings).toEqual([{
      TrainingPlanOfferingId: 'tpo-a',
      TargetResources: ['training-job', 'hyperpod-cluster', 'endpoint'],
      RequestedStartTimeAfter: T0,
      RequestedEndTimeBefore: at(10 * DAY),
      DurationHours: 48,
      DurationMinutes: 0,
      UpfrontFee: '12345.67',
      CurrencyCode: 'USD',
      ReservedCapacityOfferings: [{
        ReservedCapacityType: 'Instance',
        InstanceType: 'ml.p5.48xlarge',
        InstanceCount: 2,
        AvailabilityZone: 'us-west-2a',
        DurationHours: 48,
        DurationMinutes: 0,
        StartTime: at(DAY),
        EndTime: at(DAY + 48 * HOUR),
      }],
    }]);
  });

  test('filters on type, targets, count, duration, window, now; keeps catalogue order', async () => {
    emulator.setCatalogue([
      block({ offeringId: 'best', startTime: at(2 * DAY) }),
      block({ offeringId: 'other-type', instanceType: 'ml.p4d.24xlarge' }),
      block({ offeringId: 'training-only', targetResources: ['training-job'] }),
      block({ offeringId: 'count-4', instanceCount: 4 }),
      block({ offeringId: 'duration-24', durationHours: 24 }),
      block({ offeringId: 'too-late', startTime: at(20 * DAY) }),
      block({ offeringId: 'in-the-past', startTime: at(-HOUR) }),
      block({ offeringId: 'second', startTime: at(DAY) }),
    ]);
    const ids = async (input: Partial<SearchTrainingPlanOfferingsCommandInput>) =>
      ((await search(input)).TrainingPlanOfferings ?? []).map((o) => o.TrainingPlanOfferingId);

    expect(await ids({ InstanceCount: 2, DurationHours: 48, StartTimeAfter: T0, EndTimeBefore: at(10 * DAY) })).toEqual(['best', 'second']);
    expect(await ids({ InstanceCount: 4 })).toEqual(['count-4']);
    expect(await ids({ DurationHours: 24 })).toEqual(['duration-24']);
    expect(await ids({ TargetResources: ['training-job'], InstanceCount: 2, DurationHours: 48 })).toEqual(['best', 'training-only', 'too-late', 'second']);
    expect(await ids({ StartTimeAfter: at(2 * DAY), InstanceCount: 2, DurationHours: 48 })).toEqual(['best', 'too-late']);
    expect(await ids({ InstanceType: 'ml.p4d.24xlarge' })).toEqual(['other-type']);
    expect(await ids({ InstanceType: 'ml.trn1.32xlarge' })).toEqual([]);
    // Once the clock passes a block's start, it is no longer offered.
    emulator.advance(DAY + SECOND);
    expect(await ids({ InstanceCount: 2, DurationHours: 48 })).toEqual(['best', 'too-late']);
  });

  test('UpfrontFee and CurrencyCode can be absent', async () => {
    emulator.setCatalogue([block({ offeringId: 'no-fee', upfrontFee: undefined, currencyCode: undefined })]);
    const [offering] = (await search()).TrainingPlanOfferings ?? [];
    expect(offering.TrainingPlanOfferingId).toBe('no-fee');
    expect(offering).not.toHaveProperty('UpfrontFee');
    expect(offering).not.toHaveProperty('CurrencyCode');
  });

  test('generated offering ids are deterministic and match the model pattern', async () => {
    const first = emulator.setCatalogue([block(), block({ availabilityZone: 'us-west-2b' })]);
    emulator.reset();
    const again = emulator.setCatalogue([block(), block({ availabilityZone: 'us-west-2b' })]);
    expect(again).toEqual(first);
    expect(new Set(first).size).toBe(2);
    for (const id of first) {
      expect(id).toMatch(/^tpo-[0-9a-f]+$/);
    }
    expect(emulator.offerings().map((o) => o.offeringId)).toEqual(first);
  });

  test('looseSearch returns every block of the instance type', async () => {
    const loose = await SageMakerEmulator.start({
      now: T0,
      looseSearch: true,
      catalogue: [
        block({ offeringId: 'a', instanceCount: 8 }),
        block({ offeringId: 'b', durationHours: 24, startTime: at(-DAY) }),
        block({ offeringId: 'c', instanceType: 'ml.p5e.48xlarge' }),
      ],
    });
    const c = new SageMakerClient({ endpoint: loose.endpoint, region: 'us-west-2', credentials: CREDENTIALS, maxAttempts: 1 });
    try {
      const out = await c.send(new SearchTrainingPlanOfferingsCommand({
        InstanceType: 'ml.p5.48xlarge', InstanceCount: 1, DurationHours: 72, TargetResources: ['endpoint'], StartTimeAfter: T0,
      }));
      expect(out.TrainingPlanOfferings?.map((o) => o.TrainingPlanOfferingId)).toEqual(['a', 'b']);
    } finally {
      c.destroy();
      await loose.stop();
    }
  });

  test('validation errors name the member', async () => {
    const badType = await failure(search({ InstanceType: 'ml.g5.xlarge' as any }));
    expect(badType.name).toBe('ValidationException');
    expect(badType.$metadata.httpStatusCode).toBe(400);
    expect(badType.message).toMatch(/InstanceType/);
    const badDuration = await failure(search({ DurationHours: 0 }));
    expect(badDuration.name).toBe('ValidationException');
    expect(badDuration.message).toMatch(/DurationHours.*greater than or equal to 1/);
    const tooLong = await failure(search({ DurationHours: 87601 }));
    expect(tooLong.message).toMatch(/DurationHours.*less than or equal to 87600/);
    const badTarget = await failure(search({ TargetResources: ['notebook' as any] }));
    expect(badTarget.message).toMatch(/TargetResources\.1\.member/);
    const emptyTargets = await failure(search({ TargetResources: [] }));
    expect(emptyTargets.name).toBe('ValidationException');
    const noType = await failure(search({ InstanceType: undefined }));
    expect(noType.name).toBe('ValidationException');
    expect(noType.message).toMatch(/InstanceType/);
  });
});

describe('CreateTrainingPlan / DescribeTrainingPlan', () => {
  test('buys an offering: ARN, sold, stored tags, full description', async () => {
    emulator.setCatalogue([block({ offeringId: 'tpo-buy' })]);
    const { TrainingPlanArn } = await create('my-plan', 'tpo-buy', [{ Key: 'team', Value: 'ml' }]);
    expect(TrainingPlanArn).toBe('arn:aws:sagemaker:us-west-2:123456789012:training-plan/my-plan');
    expect((await search()).TrainingPlanOfferings).toEqual([]);
    expect(emulator.offerings()[0].sold).toBe(true);
    expect(emulator.purchases()).toBe(1);
    expect(emulator.plans()).toEqual([expect.objectContaining({
      name: 'my-plan',
      arn: TrainingPlanArn,
      offeringId: 'tpo-buy',
      upfrontFee: '12345.67',
      currencyCode: 'USD',
      instanceType: 'ml.p5.48xlarge',
      instanceCount: 2,
      tags: [{ Key: 'team', Value: 'ml' }],
      status: 'Pending',
      preloaded: false,
    })]);

    const d = await describe_('my-plan');
    expect(d).toMatchObject({
      TrainingPlanArn,
      TrainingPlanName: 'my-plan',
      Status: 'Pending',
      DurationHours: 48,
      DurationMinutes: 0,
      StartTime: at(DAY),
      EndTime: at(DAY + 48 * HOUR),
      UpfrontFee: '12345.67',
      CurrencyCode: 'USD',
      TotalInstanceCount: 2,
      AvailableInstanceCount: 0,
      InUseInstanceCount: 0,
      TargetResources: ['training-job', 'hyperpod-cluster', 'endpoint'],
    });
    expect(d.StatusMessage).toBeUndefined();
    expect(d.ReservedCapacitySummaries).toEqual([{
      ReservedCapacityArn: expect.stringMatching(/^arn:aws:sagemaker:us-west-2:123456789012:reserved-capacity\/rc-[0-9a-f]+$/),
      ReservedCapacityType: 'Instance',
      InstanceType: 'ml.p5.48xlarge',
      TotalInstanceCount: 2,
      Status: 'Pending',
      AvailabilityZone: 'us-west-2a',
      DurationHours: 48,
      DurationMinutes: 0,
      StartTime: at(DAY),
      EndTime: at(DAY + 48 * HOUR),
    }]);
  });

  test('duplicate name -> ResourceInUse; sold or unknown offering -> ResourceNotFound', async () => {
    emulator.setCatalogue([block({ offeringId: 'one' }), block({ offeringId: 'two' })]);
    await create('dup', 'one');
    const dup = await failure(create('dup', 'two'));
    expect(dup.name).toBe('ResourceInUse');
    expect(dup.$metadata.httpStatusCode).toBe(400);
    const sold = await failure(create('again', 'one'));
    expect(sold.name).toBe('ResourceNotFound');
    const unknown = await failure(create('again', 'no-such-offering'));
    expect(unknown.name).toBe('ResourceNotFound');
    expect(emulator.purchases()).toBe(1);
    const missing = await failure(describe_('never-bought'));
    expect(missing.name).toBe('ResourceNotFound');
  });

  test('quota -> ResourceLimitExceeded', async () => {
    emulator.setCatalogue([block({ offeringId: 'q1' }), block({ offeringId: 'q2' }), block({ offeringId: 'q3' })]);
    emulator.setMaxPlans(2);
    emulator.preloadPlan({ name: 'old', block: block({ offeringId: 'old-offering', startTime: at(-10 * DAY) }) });
    await create('p1', 'q1');
    const over = await failure(create('p2', 'q2'));
    expect(over.name).toBe('ResourceLimitExceeded');
    expect(emulator.purchases()).toBe(1);
    expect(emulator.offerings().find((o) => o.offeringId === 'q2')?.sold).toBe(false);
    const limited = await SageMakerEmulator.start({ now: T0, maxPlans: 0, catalogue: [block({ offeringId: 'z' })] });
    const c = new SageMakerClient({ endpoint: limited.endpoint, region: 'us-west-2', credentials: CREDENTIALS, maxAttempts: 1 });
    try {
      const e = await failure(c.send(new CreateTrainingPlanCommand({ TrainingPlanName: 'z', TrainingPlanOfferingId: 'z' })));
      expect(e.name).toBe('ResourceLimitExceeded');
    } finally {
      c.destroy();
      await limited.stop();
    }
  });

  test('vanishAfterSearch: the offering is sold out between search and purchase', async () => {
    emulator.setCatalogue([block({ offeringId: 'v1' }), block({ offeringId: 'v2' })]);
    emulator.vanishAfterSearch('v2');
    expect((await search()).TrainingPlanOfferings?.length).toBe(2);
    await create('ok', 'v1');
    const gone = await failure(create('late', 'v2'));
    expect(gone.name).toBe('ResourceNotFound');
    expect((await search()).TrainingPlanOfferings).toEqual([]);

    emulator.addCapacity(block({ offeringId: 'v3' }));
    emulator.vanishAfterSearch();
    expect((await failure(create('late', 'v3'))).name).toBe('ResourceNotFound');
    expect(emulator.purchases()).toBe(1);
  });

  test('validation errors name the member', async () => {
    emulator.setCatalogue([block({ offeringId: 'valid' })]);
    const badName = await failure(create('bad_name', 'valid'));
    expect(badName.name).toBe('ValidationException');
    expect(badName.message).toMatch(/TrainingPlanName.*regular expression pattern/);
    const longName = await failure(create('a'.repeat(65), 'valid'));
    expect(longName.message).toMatch(/TrainingPlanName/);
    const badId = await failure(create('ok', 'TPO_Upper'));
    expect(badId.name).toBe('ValidationException');
    expect(badId.message).toMatch(/TrainingPlanOfferingId/);
    const tags = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    const tooManyTags = await failure(create('ok', 'valid', tags));
    expect(tooManyTags.message).toMatch(/Tags.*less than or equal to 50/);
    const badTag = await failure(create('ok', 'valid', [{ Key: 'bad<key>', Value: 'v' }]));
    expect(badTag.message).toMatch(/Tags\.1\.member\.Key/);
    const missing = await failure(client.send(new CreateTrainingPlanCommand({ TrainingPlanName: 'ok' } as any)));
    expect(missing.name).toBe('ValidationException');
    expect(missing.message).toMatch(/TrainingPlanOfferingId.*must not be null/);
    const describeArn = await failure(describe_('arn:aws:sagemaker:us-west-2:123456789012:training-plan/x'));
    expect(describeArn.name).toBe('ValidationException');
    expect(emulator.purchases()).toBe(0);
    const tags50 = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await create('ok', 'valid', tags50);
    expect(emulator.plans()[0].tags).toHaveLength(50);
  });
});

describe('plan status follows the emulator clock', () => {
  test('Pending -> Scheduled -> Active -> Expired', async () => {
    emulator.setCatalogue([block({ offeringId: 'life', startTime: at(2 * HOUR), durationHours: 24 })]);
    await create('life', 'life');
    const status = async () => (await describe_('life')).Status;
    expect(await status()).toBe('Pending');
    emulator.advance(59 * SECOND);
    expect(await status()).toBe('Pending');
    emulator.advance(SECOND);
    expect(await status()).toBe('Scheduled');
    emulator.setTime(at(2 * HOUR));
    const active = await describe_('life');
    expect(active.Status).toBe('Active');
    expect(active.AvailableInstanceCount).toBe(2);
    expect(active.ReservedCapacitySummaries?.[0].Status).toBe('Active');
    emulator.setTime(at(26 * HOUR - 1));
    expect(await status()).toBe('Active');
    emulator.setTime(at(26 * HOUR));
    expect(await status()).toBe('Expired');
    expect(emulator.findPlan('life')?.status).toBe('Expired');
  });

  test('a plan bought inside its window goes Pending -> Active', async () => {
    const other = await SageMakerEmulator.start({ now: T0, pendingSeconds: 0, catalogue: [block({ offeringId: 'now', startTime: T0 })] });
    const c = new SageMakerClient({ endpoint: other.endpoint, region: 'us-west-2', credentials: CREDENTIALS, maxAttempts: 1 });
    try {
      await c.send(new CreateTrainingPlanCommand({ TrainingPlanName: 'now', TrainingPlanOfferingId: 'now' }));
      expect((await c.send(new DescribeTrainingPlanCommand({ TrainingPlanName: 'now' }))).Status).toBe('Active');
    } finally {
      c.destroy();
      await other.stop();
    }
  });

  test('failNextPlans: Failed with StatusMessage once pending is over', async () => {
    emulator.setCatalogue([block({ offeringId: 'f1' }), block({ offeringId: 'f2' }), block({ offeringId: 'f3' })]);
    emulator.failNextPlans(2, 'Insufficient capacity');
    await create('f1', 'f1');
    await create('f2', 'f2');
    await create('f3', 'f3');
    expect((await describe_('f1')).Status).toBe('Pending');
    emulator.advance(60 * SECOND);
    const failed = await describe_('f1');
    expect(failed.Status).toBe('Failed');
    expect(failed.StatusMessage).toBe('Insufficient capacity');
    expect((await describe_('f2')).Status).toBe('Failed');
    const ok = await describe_('f3');
    expect(ok.Status).toBe('Scheduled');
    expect(ok.StatusMessage).toBeUndefined();
    expect(emulator.purchases()).toBe(3);
  });

  test('stickPending: one plan or every future plan stays Pending', async () => {
    emulator.setCatalogue([block({ offeringId: 's1' }), block({ offeringId: 's2' }), block({ offeringId: 's3' })]);
    emulator.stickPending('s1');
    await create('s1', 's1');
    await create('s2', 's2');
    emulator.advance(HOUR);
    expect((await describe_('s1')).Status).toBe('Pending');
    expect((await describe_('s2')).Status).toBe('Scheduled');
    emulator.stickPending();
    await create('s3', 's3');
    emulator.advance(10 * DAY);
    expect((await describe_('s3')).Status).toBe('Pending');
    emulator.releasePending();
    expect((await describe_('s1')).Status).toBe('Expired');
    expect((await describe_('s3')).Status).toBe('Expired');
  });

  test('preloadPlan: an expired plan already owns a name', async () => {
    emulator.setCatalogue([block({ offeringId: 'fresh' })]);
    const seeded = emulator.preloadPlan({ name: 'taken', block: block({ offeringId: 'ancient', startTime: at(-30 * DAY) }) });
    expect(seeded.status).toBe('Expired');
    expect((await describe_('taken')).Status).toBe('Expired');
    const clash = await failure(create('taken', 'fresh'));
    expect(clash.name).toBe('ResourceInUse');
    expect(emulator.plans()).toEqual([]);
    expect(emulator.purchases()).toBe(0);
    expect(emulator.accountPlans().map((p) => p.name)).toEqual(['taken']);
    const pinned = emulator.preloadPlan({ name: 'broken', block: block(), status: 'Failed', statusMessage: 'gone' });
    expect(pinned.status).toBe('Failed');
    const d = await describe_('broken');
    expect(d.Status).toBe('Failed');
    expect(d.StatusMessage).toBe('gone');
  });

  test('preloadPlan of a catalogue offering sells it (an orphaned purchase)', async () => {
    emulator.setCatalogue([block({ offeringId: 'orphan' })]);
    emulator.preloadPlan({ name: 'orphan', block: block({ offeringId: 'orphan' }), createdAt: T0 });
    expect((await search()).TrainingPlanOfferings).toEqual([]);
    expect((await describe_('orphan')).Status).toBe('Pending');
  });
});

describe('ListTrainingPlans', () => {
  const names = (s: TrainingPlanSummary[] | undefined) => (s ?? []).map((p) => p.TrainingPlanName);

  beforeEach(async () => {
    emulator.setCatalogue([
      block({ offeringId: 'l-c', startTime: at(3 * DAY), durationHours: 24 }),
      block({ offeringId: 'l-a', startTime: at(1 * DAY), durationHours: 24 }),
      block({ offeringId: 'l-b', startTime: at(2 * DAY), durationHours: 24 }),
      block({ offeringId: 'l-d', startTime: at(4 * DAY), durationHours: 24 }),
      block({ offeringId: 'l-e', startTime: at(5 * DAY), durationHours: 24 }),
    ]);
    for (const id of ['l-c', 'l-a', 'l-b', 'l-d', 'l-e']) {
      await create(id.replace('l-', 'plan-'), id);
    }
    emulator.advance(HOUR);
  });

  test('pages with NextToken / MaxResults (SDK paginator)', async () => {
    const pages: Array<Array<string | undefined>> = [];
    for await (const page of paginateListTrainingPlans({ client, pageSize: 2 }, {})) {
      pages.push(names(page.TrainingPlanSummaries));
    }
    expect(pages).toEqual([['plan-a', 'plan-b'], ['plan-c', 'plan-d'], ['plan-e']]);
    const all = await client.send(new ListTrainingPlansCommand({}));
    expect(all.NextToken).toBeUndefined();
    expect(all.TrainingPlanSummaries?.[0]).toMatchObject({
      TrainingPlanName: 'plan-a',
      TrainingPlanArn: 'arn:aws:sagemaker:us-west-2:123456789012:training-plan/plan-a',
      Status: 'Scheduled',
      StartTime: at(DAY),
      TotalInstanceCount: 2,
    });
  });

  test('filters on Status and start time; sorts', async () => {
    emulator.setTime(at(2 * DAY + HOUR));
    const active = await client.send(new ListTrainingPlansCommand({ Filters: [{ Name: 'Status', Value: 'Active' }] }));
    expect(names(active.TrainingPlanSummaries)).toEqual(['plan-b']);
    const either = await client.send(new ListTrainingPlansCommand({
      Filters: [{ Name: 'Status', Value: 'Active' }, { Name: 'Status', Value: 'Expired' }],
    }));
    expect(names(either.TrainingPlanSummaries)).toEqual(['plan-a', 'plan-b']);
    const window = await client.send(new ListTrainingPlansCommand({ StartTimeAfter: at(2 * DAY), StartTimeBefore: at(4 * DAY) }));
    expect(names(window.TrainingPlanSummaries)).toEqual(['plan-b', 'plan-c', 'plan-d']);
    const byName = await client.send(new ListTrainingPlansCommand({ SortBy: 'TrainingPlanName', SortOrder: 'Descending' }));
    expect(names(byName.TrainingPlanSummaries)).toEqual(['plan-e', 'plan-d', 'plan-c', 'plan-b', 'plan-a']);
    const byStatus = await client.send(new ListTrainingPlansCommand({ SortBy: 'Status' }));
    expect(names(byStatus.TrainingPlanSummaries)).toEqual(['plan-b', 'plan-a', 'plan-c', 'plan-d', 'plan-e']);
  });

  test('rejects a foreign NextToken and an out-of-range MaxResults', async () => {
    const first = await client.send(new ListTrainingPlansCommand({ MaxResults: 2 }));
    expect(first.NextToken).toBeDefined();
    const foreign = await failure(client.send(new ListTrainingPlansCommand({ MaxResults: 2, NextToken: first.NextToken, SortOrder: 'Descending' })));
    expect(foreign.name).toBe('ValidationException');
    const garbage = await failure(client.send(new ListTrainingPlansCommand({ NextToken: 'garbage' })));
    expect(garbage.name).toBe('ValidationException');
    const tooMany = await failure(client.send(new ListTrainingPlansCommand({ MaxResults: 101 })));
    expect(tooMany.message).toMatch(/MaxResults/);
    const badFilter = await failure(client.send(new ListTrainingPlansCommand({ Filters: [{ Name: 'Name' as any, Value: 'x' }] })));
    expect(badFilter.message).toMatch(/Filters\.1\.member\.Name/);
  });
});

describe('faults', () => {
  beforeEach(() => {
    emulator.setCatalogue([block({ offeringId: 'f-1' }), block({ offeringId: 'f-2' })]);
  });

  test('error: status and __type as given', async () => {
    emulator.inject({ operation: 'CreateTrainingPlan', kind: 'error', errorType: 'ResourceLimitExceeded', message: 'quota' });
    const e = await failure(create('e', 'f-1'));
    expect(e.name).toBe('ResourceLimitExceeded');
    expect(e.message).toBe('quota');
    expect(e.$metadata.httpStatusCode).toBe(400);
    expect(emulator.purchases()).toBe(0);
    await create('e', 'f-1');
    expect(emulator.purchases()).toBe(1);
    expect(emulator.calls.map((c) => [c.operation, c.status, c.errorType, c.fault])).toEqual([
      ['CreateTrainingPlan', 400, 'ResourceLimitExceeded', 'error'],
      ['CreateTrainingPlan', 200, undefined, undefined],
    ]);
  });

  test('throttle: 400 ThrottlingException "Rate exceeded"', async () => {
    emulator.inject({ kind: 'throttle' });
    const e = await failure(search());
    expect(e.name).toBe('ThrottlingException');
    expect(e.message).toBe('Rate exceeded');
    expect(e.$metadata.httpStatusCode).toBe(400);
  });

  test('server-error: 500 InternalFailure, 503 ServiceUnavailable', async () => {
    emulator.inject({ kind: 'server-error' });
    emulator.inject({ kind: 'server-error', status: 503 });
    const e500 = await failure(search());
    expect(e500.name).toBe('InternalFailure');
    expect(e500.$metadata.httpStatusCode).toBe(500);
    const e503 = await failure(search());
    expect(e503.name).toBe('ServiceUnavailable');
    expect(e503.$metadata.httpStatusCode).toBe(503);
    expect((await search()).TrainingPlanOfferings).toHaveLength(2);
  });

  test('reset: no answer, nothing committed', async () => {
    emulator.inject({ operation: 'CreateTrainingPlan', kind: 'reset' });
    const e = await failure(create('r', 'f-1'));
    expect(e.$metadata?.httpStatusCode).toBeUndefined();
    expect(e.code ?? e.message).toMatch(/ECONNRESET|socket hang up/i);
    expect(emulator.purchases()).toBe(0);
    expect(emulator.calls[0]).toMatchObject({ operation: 'CreateTrainingPlan', status: 0, fault: 'reset' });
    await create('r', 'f-1');
    expect(emulator.purchases()).toBe(1);
  });

  test('commit-then-reset: the purchase happens though the client sees a network error', async () => {
    emulator.inject({ operation: 'CreateTrainingPlan', kind: 'commit-then-reset' });
    const e = await failure(create('orphan', 'f-1'));
    expect(e.$metadata?.httpStatusCode).toBeUndefined();
    expect(emulator.purchases()).toBe(1);
    expect(emulator.plans()[0].name).toBe('orphan');
    expect((await describe_('orphan')).TrainingPlanArn).toBe('arn:aws:sagemaker:us-west-2:123456789012:training-plan/orphan');
    expect((await failure(create('orphan', 'f-2'))).name).toBe('ResourceInUse');
  });

  test('commit-then-server-error: the purchase happens, the client gets a 500', async () => {
    emulator.inject({ operation: 'CreateTrainingPlan', kind: 'commit-then-server-error' });
    const e = await failure(create('half', 'f-1'));
    expect(e.name).toBe('InternalFailure');
    expect(e.$metadata.httpStatusCode).toBe(500);
    expect(emulator.purchases()).toBe(1);
    expect(emulator.calls[0]).toMatchObject({ status: 500, errorType: 'InternalFailure', fault: 'commit-then-server-error' });
  });

  test('latency: answers normally after the delay', async () => {
    emulator.inject({ operation: 'SearchTrainingPlanOfferings', kind: 'latency', latencyMs: 150 });
    const started = Date.now();
    const out = await search();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(out.TrainingPlanOfferings).toHaveLength(2);
    expect(emulator.calls[0]).toMatchObject({ status: 200, fault: 'latency' });
  });

  test('skip, times, operation scoping, Infinity and clearFaults', async () => {
    emulator.inject({ operation: 'DescribeTrainingPlan', kind: 'throttle', skip: 1, times: 2 });
    await create('p', 'f-1');
    await describe_('p');
    expect((await failure(describe_('p'))).name).toBe('ThrottlingException');
    expect((await failure(describe_('p'))).name).toBe('ThrottlingException');
    await describe_('p');
    expect(emulator.pendingFaults()).toBe(0);

    emulator.inject({ kind: 'server-error', times: Infinity });
    for (let i = 0; i < 3; i++) {
      expect((await failure(search())).name).toBe('InternalFailure');
    }
    emulator.clearFaults();
    await search();
    expect(emulator.calls.filter((c) => c.fault !== undefined)).toHaveLength(5);
    emulator.resetCalls();
    expect(emulator.calls).toEqual([]);
  });
});

test('many lifecycles stay fast', async () => {
  emulator.setMaxPlans(1000);
  const started = Date.now();
  for (let i = 0; i < 200; i++) {
    emulator.addCapacity(block({ offeringId: `bulk-${i}` }));
    const offers = await search({ InstanceCount: 2 });
    await create(`bulk-${i}`, offers.TrainingPlanOfferings![0].TrainingPlanOfferingId!);
    await describe_(`bulk-${i}`);
  }
  expect(emulator.purchases()).toBe(200);
  expect(Date.now() - started).toBeLessThan(10_000);
});
