import { Duration } from 'aws-cdk-lib';
import { goodEndpoint, goodEndpointReservation, goodReservation, importedPlan, NOW, WAIT_BUDGET_SECONDS } from './fixtures';
import { ReservedInstanceType } from '../../src/reservation/instance-type';
import { planFactsOf, validateEndpoint, validateReservation } from '../../src/validation';

/**
 * Warnings flag inputs that are allowed but most likely not what was meant.
 * They must never be errors: synth is not deploy, and the handler decides.
 */

describe('reservation warnings', () => {
  test('a window opening more than 56 days after synth', () => {
    const result = validateReservation(goodReservation({ earliestStart: '2027-03-01T00:00:00Z', latestEnd: '2027-03-20T00:00:00Z' }), NOW);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([{
      property: 'earliestStart',
      message: 'earliestStart is "2027-03-01T00:00:00Z", 88 days after synth time (2026-12-03T00:00:00.000Z); ' +
        'capacity more than 56 days ahead is rarely offered, so the deploy may find no offering and fail without buying.',
    }]);
  });

  test('exactly 56 days ahead is not warned about', () => {
    expect(validateReservation(goodReservation({ earliestStart: '2027-01-28T00:00:00Z', latestEnd: '2027-02-10T00:00:00Z' }), NOW).warnings).toEqual([]);
  });

  test('a budget far below any plausible price', () => {
    const result = validateReservation(goodReservation({ maxUpfrontFee: 100 }), NOW);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0].property).toBe('maxUpfrontFee');
    expect(result.warnings[0].message).toBe(
      'maxUpfrontFee is 100 USD, far below any plausible price for 1 x ml.p5.48xlarge for 168 hours ' +
      '(at least about 840 USD, at a floor of 5 USD per instance-hour, a tenth of on-demand prices); ' +
      'the search will most likely find nothing affordable and the deploy will fail without buying.');
  });

  test('the floor scales with count and duration', () => {
    // 8 x 5 USD x 336 hours = 13440 USD
    const props = goodReservation({ instanceCount: 8, duration: Duration.days(14), latestEnd: undefined });
    expect(validateReservation({ ...props, maxUpfrontFee: 13439 }, NOW).warnings).toHaveLength(1);
    expect(validateReservation({ ...props, maxUpfrontFee: 13440 }, NOW).warnings).toEqual([]);
  });

  test('no price warning for a budget in another currency: the floor is in USD', () => {
    expect(validateReservation(goodReservation({ maxUpfrontFee: 100, currencyCode: 'EUR' }), NOW).warnings).toEqual([]);
  });

  test('nested warnings carry the prefix', () => {
    expect(validateReservation(goodReservation({ maxUpfrontFee: 100 }), NOW, 'reservation.').warnings[0].message)
      .toMatch(/^reservation\.maxUpfrontFee is 100 USD/);
  });
});

describe('endpoint warnings', () => {
  test('deployEndpoint with a window beyond the wait budget', () => {
    const props = goodEndpoint({ reservation: goodReservation({ instanceCount: 2 }) });
    const result = validateEndpoint(props, planFactsOf(props), NOW, WAIT_BUDGET_SECONDS);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([{
      property: 'deployEndpoint',
      message: 'deployEndpoint is true (the default) but reservation.earliestStart is "2027-01-25T00:00:00Z", ' +
        'later than the deploy can wait (1 hour, until 2026-12-03T01:00:00.000Z if deployed at synth time). ' +
        'An endpoint needs an Active plan, so the deploy only buys an offering that starts within that wait and fails without buying if none does. ' +
        'To reserve ahead, deploy with deployEndpoint: false, then deploy the endpoint once the window has opened.',
    }]);
  });

  test('a window starting just inside the wait budget is not warned about', () => {
    const props = goodEndpoint({ reservation: goodEndpointReservation({ earliestStart: '2026-12-03T01:00:00Z' }) });
    expect(validateEndpoint(props, planFactsOf(props), NOW, WAIT_BUDGET_SECONDS).warnings).toEqual([]);
  });

  test('endpoint instance count equal to the reserved count', () => {
    const props = goodEndpoint({ instanceCount: 2 });
    const result = validateEndpoint(props, planFactsOf(props), NOW, WAIT_BUDGET_SECONDS);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([{
      property: 'instanceCount',
      message: 'instanceCount is 2, the reserved count, leaving no spare reserved instance for a blue/green update: ' +
        'a later change of the endpoint config will need a rolling update policy, or will fail. ' +
        'Reserve more instances than the endpoint starts with to keep one spare.',
    }]);
  });

  test('endpoint instance count defaulting to the reserved count', () => {
    const props = goodEndpoint({ instanceCount: undefined });
    const result = validateEndpoint(props, planFactsOf(props), NOW, WAIT_BUDGET_SECONDS);
    expect(result.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/^instanceCount defaults to the reserved count \(2\), leaving no spare/)]);
  });

  test('the same on an imported plan of known count', () => {
    const trainingPlan = importedPlan({ instanceType: ReservedInstanceType.P5_48XLARGE, instanceCount: 4 });
    const props = goodEndpoint({ reservation: undefined, trainingPlan, instanceCount: 4 });
    expect(validateEndpoint(props, planFactsOf(props), NOW, WAIT_BUDGET_SECONDS).warnings.map((w) => w.property)).toEqual(['instanceCount']);
  });

  test('deployEndpoint: false silences both endpoint warnings (nothing is deployed on the plan yet)', () => {
    const props = goodEndpoint({ reservation: goodReservation({ instanceCount: 2 }), instanceCount: 2, deployEndpoint: false });
    expect(validateEndpoint(props, planFactsOf(props), NOW, WAIT_BUDGET_SECONDS)).toEqual({ errors: [], warnings: [] });
  });

  test('a dry run deploys no endpoint: no spare-instance warning, and waitForActive: false is allowed', () => {
    const props = goodEndpoint({ reservation: goodEndpointReservation({ purchase: false, waitForActive: false }), instanceCount: 2 });
    expect(validateEndpoint(props, planFactsOf(props), NOW, WAIT_BUDGET_SECONDS)).toEqual({ errors: [], warnings: [] });
  });

  test('reservation warnings come through with the prefix', () => {
    const props = goodEndpoint({ reservation: goodEndpointReservation({ maxUpfrontFee: 10 }) });
    expect(validateEndpoint(props, planFactsOf(props), NOW, WAIT_BUDGET_SECONDS).warnings.map((w) => w.property)).toEqual(['reservation.maxUpfrontFee']);
  });
});

describe('a window that has opened or closed by synth time is a warning, not an error', () => {
  // A stack whose plan was bought keeps being synthesised through and after
  // its window (to change the model, or to delete the stack); refusing synth
  // then would strand it. The handler finds nothing to buy in such a window.
  const adoptOnly = 'no new plan can be bought in this window; a deploy succeeds only by adopting the plan an earlier deploy bought under this name, and otherwise fails without buying.';

  test('latestEnd already in the past', () => {
    const result = validateReservation(goodReservation({ earliestStart: undefined, latestEnd: '2026-11-01T00:00:00Z' }), NOW);
    expect(result.errors).toEqual([]);
    expect(result.warnings.map((w) => w.message)).toContain(`latestEnd is "2026-11-01T00:00:00Z", before synth time (2026-12-03T00:00:00.000Z): ${adoptOnly}`);
  });

  test('mid-window: the seed scenario synthesised on 2027-01-30, with its plan Active until 2027-02-02', () => {
    const result = validateReservation(goodReservation(), new Date('2027-01-30T00:00:00Z'));
    expect(result.errors).toEqual([]);
    expect(result.warnings.map((w) => w.property)).toEqual(['latestEnd']);
    expect(result.warnings[0].message).toContain('only 6 days after synth time (2027-01-30T00:00:00.000Z), less than duration (7 days)');
  });
});
