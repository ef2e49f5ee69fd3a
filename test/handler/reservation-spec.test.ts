import { goodProps, goodSpec, PLAN_NAME, planArn } from './fixtures';
import { DRY_RUN_ID_PREFIX } from '../../src/reservation/contract';
import { ReservationError } from '../../src/reservation/handler/reservation-error';
import {
  describeAsk,
  dryRunId,
  isDryRunId,
  parseReservationSpec,
  purchaseSpecChanges,
} from '../../src/reservation/handler/reservation-spec';

/** Runs `fn`, expecting a ReservationError; returns its message. */
function reservationErrorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ReservationError);
    expect((err as Error).name).toBe('ReservationError');
    return (err as Error).message;
  }
  throw new Error('expected a ReservationError, but nothing was thrown');
}

describe('parseReservationSpec', () => {
  test('parses the strings CloudFormation sends', () => {
    const props = { ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:provider-framework-onEvent', ...goodProps() };
    expect(parseReservationSpec(props)).toEqual({
      planName: PLAN_NAME,
      instanceType: 'ml.p5.48xlarge',
      instanceCount: 2,
      durationHours: 48,
      earliestStart: new Date('2027-01-10T00:00:00.000Z'),
      latestEnd: new Date('2027-03-01T00:00:00.000Z'),
      maxUpfrontFee: 5000,
      maxUpfrontFeeText: '5000',
      currencyCode: 'USD',
      selection: 'CHEAPEST',
      requireActive: false,
      purchase: true,
      waitBudgetSeconds: 3600,
      tags: [{ Key: 'cdk-reserved-inference:owner', Value: 'ServingStack/Reservation' }],
    });
  });

  test('parses fractional budgets and times with an offset', () => {
    const spec = parseReservationSpec(goodProps({ MaxUpfrontFee: '4999.99', EarliestStart: '2027-01-25T09:00:00+09:00', LatestEnd: '2027-02-05T00:00:00.500Z' }));
    expect(spec.maxUpfrontFee).toBe(4999.99);
    expect(spec.earliestStart).toEqual(new Date('2027-01-25T00:00:00.000Z'));
    expect(spec.latestEnd).toEqual(new Date('2027-02-05T00:00:00.500Z'));
  });

  test.each(['EarliestStart', 'LatestEnd'] as const)('leaves %s undefined when absent or empty', (key) => {
    expect(parseReservationSpec(goodProps({ [key]: undefined }))).toMatchObject({ [key === 'EarliestStart' ? 'earliestStart' : 'latestEnd']: undefined });
    expect(parseReservationSpec(goodProps({ [key]: '' }))).toMatchObject({ [key === 'EarliestStart' ? 'earliestStart' : 'latestEnd']: undefined });
  });

  test('defaults an empty currency to USD and an empty selection to CHEAPEST', () => {
    const spec = parseReservationSpec(goodProps({ CurrencyCode: '', Selection: '' }));
    expect(spec.currencyCode).toBe('USD');
    expect(spec.selection).toBe('CHEAPEST');
  });

  test('keeps the currency and the selection it is given', () => {
    const spec = parseReservationSpec(goodProps({ CurrencyCode: 'EUR', Selection: 'EARLIEST_START' }));
    expect(spec.currencyCode).toBe('EUR');
    expect(spec.selection).toBe('EARLIEST_START');
  });

  test('requires Active only for the string true', () => {
    expect(parseReservationSpec(goodProps({ RequireActive: 'true' })).requireActive).toBe(true);
    expect(parseReservationSpec(goodProps({ RequireActive: 'false' })).requireActive).toBe(false);
    expect(parseReservationSpec(goodProps({ RequireActive: undefined })).requireActive).toBe(false);
  });

  test('is a dry run only for the string false', () => {
    expect(parseReservationSpec(goodProps({ Purchase: 'false' })).purchase).toBe(false);
    expect(parseReservationSpec(goodProps({ Purchase: 'true' })).purchase).toBe(true);
    expect(parseReservationSpec(goodProps({ Purchase: undefined })).purchase).toBe(true);
  });

  test('has no tags when none are given', () => {
    expect(parseReservationSpec(goodProps({ Tags: undefined })).tags).toEqual([]);
  });

  test.each(['PlanName', 'InstanceType'] as const)('refuses a missing %s, naming it', (key) => {
    expect(reservationErrorOf(() => parseReservationSpec(goodProps({ [key]: undefined }))))
      .toBe(`Resource property ${key} is missing. Nothing was bought.`);
    expect(reservationErrorOf(() => parseReservationSpec(goodProps({ [key]: '' }))))
      .toBe(`Resource property ${key} is missing. Nothing was bought.`);
  });

  const numberProps = ['InstanceCount', 'DurationHours', 'MaxUpfrontFee', 'WaitBudgetSeconds'] as const;
  const badNumbers: Array<[string | undefined, string]> = [
    ['abc', '"abc"'],
    ['', '""'],
    ['0', '"0"'],
    ['-1', '"-1"'],
    ['-0.01', '"-0.01"'],
    ['Infinity', '"Infinity"'],
    ['NaN', '"NaN"'],
    ['   ', '"   "'],
    [undefined, 'undefined'],
  ];
  for (const key of numberProps) {
    test.each(badNumbers)(`refuses ${key} = %j, naming the property`, (value, shown) => {
      expect(reservationErrorOf(() => parseReservationSpec(goodProps({ [key]: value }))))
        .toBe(`Resource property ${key} must be a positive number; got ${shown}. Nothing was bought.`);
    });
  }

  const badDates = ['tomorrow', '2027-13-01T00:00:00Z', '2027-01-25T25:00:00Z', 'not a date'];
  for (const key of ['EarliestStart', 'LatestEnd'] as const) {
    test.each(badDates)(`refuses ${key} = %j, naming the property`, (value) => {
      expect(reservationErrorOf(() => parseReservationSpec(goodProps({ [key]: value }))))
        .toMatch(new RegExp(`^Resource property ${key} must be an ISO-8601 time with a time zone; got ${JSON.stringify(value).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(.+\\)\\. Nothing was bought\\.$`));
    });
  }

  // BUG: the handler parses dates with `new Date(value)`, which V8 reads leniently. The contract
  // (src/reservation/contract.ts) says EarliestStart/LatestEnd are "ISO-8601 with a zone", and
  // parseReservationSpec exists to guard against hand-edited templates "where a bad value must
  // still fail before anything is bought". These values are accepted and silently moved:
  //   '2027-02-30T00:00:00Z' -> 2027-03-02 (a LatestEnd two days later than any real date written),
  //   '2027-01-25T00:00:00'  -> the Lambda's local time (no zone),
  //   '5'                    -> 2001-05-01.
  // A shifted window can buy capacity outside the window the user meant, and a plan cannot be
  // cancelled. src/validation/iso-time.ts (parseIsoInstant) already refuses all three at synth.
  const lenientDates: Array<[string, string]> = [
    ['2027-02-30T00:00:00Z', 'no such calendar date'],
    ['2027-01-25T00:00:00', 'no time zone'],
    ['2027-01-25', 'a date only'],
    ['5', 'not ISO-8601'],
  ];
  for (const [value, why] of lenientDates) {
    test(`refuses LatestEnd = ${JSON.stringify(value)} (${why}) before anything is bought`, () => {
      expect(reservationErrorOf(() => parseReservationSpec(goodProps({ LatestEnd: value }))))
        .toContain('Resource property LatestEnd must be an ISO-8601 time');
    });
  }
});

describe('purchaseSpecChanges', () => {
  test('finds nothing between identical specs, even with distinct Date objects', () => {
    expect(purchaseSpecChanges(goodSpec(), goodSpec())).toEqual([]);
    const open = () => goodSpec({ earliestStart: undefined, latestEnd: undefined });
    expect(purchaseSpecChanges(open(), open())).toEqual([]);
  });

  test('finds a changed instance type', () => {
    expect(purchaseSpecChanges(goodSpec(), goodSpec({ instanceType: 'ml.p5e.48xlarge' }))).toEqual(['instance type ml.p5.48xlarge -> ml.p5e.48xlarge']);
  });

  test('finds a changed instance count', () => {
    expect(purchaseSpecChanges(goodSpec(), goodSpec({ instanceCount: 4 }))).toEqual(['instance count 2 -> 4']);
  });

  test('finds a changed duration', () => {
    expect(purchaseSpecChanges(goodSpec(), goodSpec({ durationHours: 72 }))).toEqual(['duration 48 h -> 72 h']);
  });

  test('finds a changed, added or removed earliest start', () => {
    expect(purchaseSpecChanges(goodSpec(), goodSpec({ earliestStart: new Date('2027-01-11T00:00:00Z') })))
      .toEqual(['earliest start 2027-01-10T00:00:00.000Z -> 2027-01-11T00:00:00.000Z']);
    expect(purchaseSpecChanges(goodSpec(), goodSpec({ earliestStart: undefined })))
      .toEqual(['earliest start 2027-01-10T00:00:00.000Z -> (none)']);
    expect(purchaseSpecChanges(goodSpec({ earliestStart: undefined }), goodSpec()))
      .toEqual(['earliest start (none) -> 2027-01-10T00:00:00.000Z']);
  });

  test('finds a changed, added or removed latest end', () => {
    expect(purchaseSpecChanges(goodSpec(), goodSpec({ latestEnd: new Date('2027-03-01T00:00:01Z') })))
      .toEqual(['latest end 2027-03-01T00:00:00.000Z -> 2027-03-01T00:00:01.000Z']);
    expect(purchaseSpecChanges(goodSpec({ latestEnd: undefined }), goodSpec()))
      .toEqual(['latest end (none) -> 2027-03-01T00:00:00.000Z']);
  });

  test('lists every change', () => {
    expect(purchaseSpecChanges(goodSpec(), goodSpec({ instanceType: 'ml.trn2.48xlarge', instanceCount: 1, durationHours: 24 }))).toEqual([
      'instance type ml.p5.48xlarge -> ml.trn2.48xlarge',
      'instance count 2 -> 1',
      'duration 48 h -> 24 h',
    ]);
  });

  test('ignores what does not define the purchase: tags, budget, currency, selection, waiting, dry run, name', () => {
    const after = goodSpec({
      tags: [{ Key: 'team', Value: 'ml' }],
      maxUpfrontFee: 99999,
      currencyCode: 'EUR',
      selection: 'BEST_MATCH',
      requireActive: true,
      purchase: false,
      waitBudgetSeconds: 600,
      planName: 'cri-other-name',
    });
    expect(purchaseSpecChanges(goodSpec(), after)).toEqual([]);
  });
});

describe('dry-run ids', () => {
  test('dryRunId puts the prefix before the plan name', () => {
    expect(DRY_RUN_ID_PREFIX).toBe('dry-run:');
    expect(dryRunId(PLAN_NAME)).toBe(`dry-run:${PLAN_NAME}`);
  });

  test('isDryRunId recognises what dryRunId makes, and nothing else', () => {
    expect(isDryRunId(dryRunId(PLAN_NAME))).toBe(true);
    expect(isDryRunId('dry-run:')).toBe(true);
    expect(isDryRunId(planArn(PLAN_NAME))).toBe(false);
    expect(isDryRunId('AWS_CDK::CustomResourceProviderFramework::CREATE_FAILED')).toBe(false);
    expect(isDryRunId('')).toBe(false);
    expect(isDryRunId(undefined)).toBe(false);
    expect(isDryRunId(`x${dryRunId(PLAN_NAME)}`)).toBe(false);
  });
});

describe('describeAsk', () => {
  test('names count, type, duration, window, budget and currency', () => {
    expect(describeAsk(goodSpec())).toBe('2 x ml.p5.48xlarge for 48 h between 2027-01-10T00:00:00.000Z and 2027-03-01T00:00:00.000Z, at most 5000 USD');
  });

  test('says now and any time for an open window', () => {
    expect(describeAsk(goodSpec({ earliestStart: undefined, latestEnd: undefined, maxUpfrontFee: 1250.5, currencyCode: 'EUR' })))
      .toBe('2 x ml.p5.48xlarge for 48 h between now and any time, at most 1250.5 EUR');
  });
});
