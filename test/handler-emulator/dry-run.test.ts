import { DAY, offering, PLAN_ARN, PLAN_NAME, reservationProps, T0, useRig } from './harness';

/**
 * Purchase 'false': search and report, never buy. A following Update to
 * Purchase 'true' buys exactly the kind of offering the report named.
 */

const rigs = useRig([
  offering({ offeringId: 'tpo-late-cheap', upfrontFee: '39999.99', startTime: new Date(T0.getTime() + 9 * DAY), availabilityZone: 'us-west-2d' }),
  offering({ offeringId: 'tpo-early', upfrontFee: '47000.00' }),
  offering({ offeringId: 'tpo-over', upfrontFee: '70000.00' }),
]);

const DRY_ID = `dry-run:${PLAN_NAME}`;
const ARN = PLAN_ARN;

test('a dry run reports offering id, fee, currency, window and AZ, and buys nothing', async () => {
  const out = await rigs.rig.driver().create('Reservation', reservationProps({ Purchase: 'false' }));

  expect(out.status).toBe('SUCCESS');
  expect(out.physicalResourceId).toBe(DRY_ID);
  expect(out.polls).toBe(1);
  expect(out.data).toMatchObject({
    TrainingPlanArn: '',
    Status: 'DryRun',
    Purchased: 'false',
    OfferingId: 'tpo-late-cheap',
    UpfrontFee: '39999.99',
    CurrencyCode: 'USD',
    AvailabilityZone: 'us-west-2d',
    StartTime: '2030-01-10T00:00:00.000Z',
    EndTime: '2030-01-17T00:00:00.000Z',
    InstanceType: 'ml.p5.48xlarge',
    InstanceCount: '1',
  });
  expect(out.data.Report).toBe('Dry run: would buy offering tpo-late-cheap: 1 x ml.p5.48xlarge in us-west-2d, '
    + '2030-01-10T00:00:00.000Z to 2030-01-17T00:00:00.000Z, upfront fee 39999.99 USD. Nothing was bought.');
  expect(rigs.rig.emulator.purchases()).toBe(0);
  expect(rigs.rig.calls('CreateTrainingPlan')).toHaveLength(0);
});

test('then an Update to Purchase \'true\' buys exactly the offering the report named', async () => {
  const dry = await rigs.rig.driver().create('Reservation', reservationProps({ Purchase: 'false' }));

  const out = await rigs.rig.driver().update('Reservation', dry.physicalResourceId, reservationProps(), reservationProps({ Purchase: 'false' }));

  // The id CloudFormation holds stays (an Update never changes it); the plan is in the attributes.
  expect(out).toMatchObject({ status: 'SUCCESS', physicalResourceId: DRY_ID });
  expect(out.data).toMatchObject({ TrainingPlanArn: ARN, Purchased: 'true', UpfrontFee: dry.data.UpfrontFee, OfferingId: dry.data.OfferingId });
  expect(rigs.rig.emulator.purchases()).toBe(1);
  const plan = rigs.rig.emulator.plans()[0];
  expect(plan.offeringId).toBe(dry.data.OfferingId);
  expect([plan.upfrontFee, plan.currencyCode, plan.availabilityZone, plan.startTime.toISOString(), plan.endTime.toISOString()])
    .toEqual([dry.data.UpfrontFee, dry.data.CurrencyCode, dry.data.AvailabilityZone, dry.data.StartTime, dry.data.EndTime]);

  // Any later Update buys nothing more.
  const again = await rigs.rig.driver().update('Reservation', DRY_ID, reservationProps({ MaxUpfrontFee: '70000' }), reservationProps());
  expect(again).toMatchObject({ status: 'SUCCESS', physicalResourceId: DRY_ID });
  expect(rigs.rig.emulator.purchases()).toBe(1);
});

test('EARLIEST_START reports, then buys, the earliest offering within budget', async () => {
  const props = reservationProps({ Purchase: 'false', Selection: 'EARLIEST_START' });
  const dry = await rigs.rig.driver().create('Reservation', props);
  expect(dry.data.OfferingId).toBe('tpo-early');

  await rigs.rig.driver().update('Reservation', dry.physicalResourceId, { ...props, Purchase: 'true' }, props);

  expect(rigs.rig.emulator.plans().map((p) => p.offeringId)).toEqual(['tpo-early']);
});

/** What a dry run said: its FAILED reason, or the Report of a SUCCESS (either design reports the same). */
function said(out: { status: string; reason?: string; data: Record<string, string> }): string {
  return out.status === 'FAILED' ? out.reason ?? '' : out.data.Report ?? '';
}

test('a dry run that finds nothing acceptable says so plainly, naming the cheapest, and buys nothing', async () => {
  const out = await rigs.rig.driver().create('Reservation', reservationProps({ Purchase: 'false', MaxUpfrontFee: '1000' }));

  expect(said(out)).toMatch(/Dry run: nothing would be bought/);
  expect(said(out)).toMatch(/The cheapest offering found is tpo-late-cheap at 39999.99 USD/);
  expect(out.physicalResourceId).toBe(out.status === 'FAILED' ? 'AWS_CDK::CustomResourceProviderFramework::CREATE_FAILED' : DRY_ID);
  expect(rigs.rig.calls('CreateTrainingPlan')).toHaveLength(0);
});

test('a dry run repeated with another spec searches anew, keeps the dry-run id and buys nothing', async () => {
  const dry = await rigs.rig.driver().create('Reservation', reservationProps({ Purchase: 'false' }));

  const again = await rigs.rig.driver().update('Reservation', dry.physicalResourceId, reservationProps({ Purchase: 'false', InstanceCount: '2', MaxUpfrontFee: '200000' }), reservationProps({ Purchase: 'false' }));

  expect(said(again)).toMatch(/No training-plan offering was found for 2 x ml\.p5\.48xlarge/);
  expect(again.physicalResourceId).toBe(DRY_ID);
  expect(rigs.rig.emulator.purchases()).toBe(0);
});

test('a dry run under transient faults never buys', async () => {
  rigs.rig.emulator.inject({ operation: 'SearchTrainingPlanOfferings', kind: 'throttle', times: 2 });
  rigs.rig.emulator.inject({ operation: 'DescribeTrainingPlan', kind: 'reset' });

  const out = await rigs.rig.driver().create('Reservation', reservationProps({ Purchase: 'false' }));

  expect(out).toMatchObject({ status: 'SUCCESS', physicalResourceId: DRY_ID });
  expect(rigs.rig.calls('CreateTrainingPlan')).toHaveLength(0);
});

describe('rollbacks and failures of a dry-run resource', () => {
  // Was SRC-3 (fault suite seed 1, lifecycle 511), fixed in src: the Update to
  // Purchase 'true' bought and returned the plan's ARN as the new physical id;
  // the plan then ended Failed, isComplete failed, and the framework answered
  // FAILED with the ARN, not with the dry-run id CloudFormation sent.
  test('a purchase after a dry run whose plan fails answers FAILED with the id CloudFormation sent', async () => {
    await rigs.rig.driver().create('Reservation', reservationProps({ Purchase: 'false' }));
    rigs.rig.emulator.failNextPlans(1, 'Capacity could not be secured.');

    const out = await rigs.rig.driver().update('Reservation', DRY_ID, reservationProps(), reservationProps({ Purchase: 'false' }));

    expect(out.status).toBe('FAILED');
    expect(out.reason).toMatch(/failed: Capacity could not be secured/);
    expect(out.physicalResourceId).toBe(DRY_ID);
  });

  // Was SRC-2 in this form (fault suite seed 1, lifecycle 149), fixed in src:
  // same start; the rollback Update back to the dry run found the Failed plan
  // under its name and refused it ("already exists and cannot be used ... it
  // is Failed").
  test('after that failed purchase, the rollback to the dry run succeeds', async () => {
    await rigs.rig.driver().create('Reservation', reservationProps({ Purchase: 'false' }));
    rigs.rig.emulator.failNextPlans(1, 'Capacity could not be secured.');
    const out = await rigs.rig.driver().update('Reservation', DRY_ID, reservationProps(), reservationProps({ Purchase: 'false' }));
    expect(out.status).toBe('FAILED');

    const rollback = await rigs.rig.driver().update('Reservation', DRY_ID, reservationProps({ Purchase: 'false' }), reservationProps());

    expect(rigs.rig.emulator.purchases()).toBe(1);
    expect(rollback.status).toBe('SUCCESS');
  });

  // Was SRC-7 (fault suite seed 1, lifecycles 116 and 222), fixed in src: the
  // purchase after a dry run failed before buying; CloudFormation's rollback
  // Update (Purchase 'true' -> 'false') took the no-op branch, so isComplete
  // waited for a plan that was never bought: an hour, then "Operation timed
  // out", or the false "was bought but the service still does not describe it".
  // Also the old SRC-2 dry-run form (lifecycles 73, 595): the rollback's dry run
  // found no capacity any more and failed. Both: UPDATE_ROLLBACK_FAILED.
  test('the rollback to a dry run after a purchase that bought nothing answers at once, even with the capacity gone', async () => {
    await rigs.rig.driver().create('Reservation', reservationProps({ Purchase: 'false' }));
    rigs.rig.emulator.setMaxPlans(0);
    const out = await rigs.rig.driver().update('Reservation', DRY_ID, reservationProps(), reservationProps({ Purchase: 'false' }));
    expect(out.status).toBe('FAILED');
    expect(rigs.rig.emulator.purchases()).toBe(0);
    rigs.rig.emulator.setCatalogue([]);

    const rollback = await rigs.rig.driver().update('Reservation', DRY_ID, reservationProps({ Purchase: 'false' }), reservationProps());

    expect(rollback).toMatchObject({ status: 'SUCCESS', physicalResourceId: DRY_ID });
    expect(rollback.polls).toBeLessThanOrEqual(1);
  });
});
