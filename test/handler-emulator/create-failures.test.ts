import { DAY, HOUR, MINUTE, offering, PLAN_ARN, PLAN_NAME, reservationProps, T0, useRig } from './harness';
import { CREATE_FAILED_MARKER } from '../support/provider-driver';

/**
 * Issue 3, invariants 2 and 5: nothing above budget, in another currency or
 * without a fee is ever bought, and every failure names its cause plainly.
 */

const rigs = useRig();

const ARN = PLAN_ARN;

test('no offering in the window: the message states the criteria and says to widen it', async () => {
  rigs.rig.emulator.setCatalogue([offering({ startTime: new Date(T0.getTime() + 40 * DAY) })]);

  const out = await rigs.rig.driver().create('Reservation', reservationProps());

  expect(out.status).toBe('FAILED');
  expect(out.physicalResourceId).toBe(CREATE_FAILED_MARKER);
  expect(out.reason).toContain('No training-plan offering was found for 1 x ml.p5.48xlarge for 168 h between 2030-01-03T00:00:00.000Z and 2030-01-31T00:00:00.000Z');
  expect(out.reason).toMatch(/Widen the window/);
  expect(out.reason).toMatch(/Nothing was bought/);
  expect(rigs.rig.calls('CreateTrainingPlan')).toHaveLength(0);
});

test('every offering over budget: the message names the cheapest and its fee', async () => {
  rigs.rig.emulator.setCatalogue([
    offering({ offeringId: 'tpo-dear', upfrontFee: '91000.00' }),
    offering({ offeringId: 'tpo-least-dear', upfrontFee: '60000.01' }),
    offering({ offeringId: 'tpo-dearest', upfrontFee: '120000' }),
  ]);

  const out = await rigs.rig.driver().create('Reservation', reservationProps());

  expect(out.status).toBe('FAILED');
  expect(out.reason).toContain('The cheapest offering found is tpo-least-dear at 60000.01 USD, above maxUpfrontFee 60000 USD');
  expect(out.reason).toMatch(/raise maxUpfrontFee/);
  expect(rigs.rig.emulator.purchases()).toBe(0);
  expect(rigs.rig.calls('CreateTrainingPlan')).toHaveLength(0);
});

test('an offering priced exactly at the budget is bought', async () => {
  rigs.rig.emulator.setCatalogue([offering({ offeringId: 'tpo-exact', upfrontFee: '60000.00' })]);

  const out = await rigs.rig.driver().create('Reservation', reservationProps());

  expect(out.status).toBe('SUCCESS');
  expect(rigs.rig.emulator.plans()[0].offeringId).toBe('tpo-exact');
});

test('offerings with no fee or in another currency are never bought, even when cheaper', async () => {
  rigs.rig.emulator.setCatalogue([
    offering({ offeringId: 'tpo-no-fee', upfrontFee: undefined }),
    offering({ offeringId: 'tpo-eur', upfrontFee: '1000', currencyCode: 'EUR' }),
    offering({ offeringId: 'tpo-no-currency', upfrontFee: '1000', currencyCode: undefined }),
    offering({ offeringId: 'tpo-garbled', upfrontFee: '1,000.00' }),
    offering({ offeringId: 'tpo-usd', upfrontFee: '59000.00' }),
  ]);

  const out = await rigs.rig.driver().create('Reservation', reservationProps());

  expect(out.status).toBe('SUCCESS');
  expect(rigs.rig.emulator.plans().map((p) => p.offeringId)).toEqual(['tpo-usd']);
});

test('only offerings with no fee or in another currency: nothing bought, each refusal explained', async () => {
  rigs.rig.emulator.setCatalogue([
    offering({ offeringId: 'tpo-no-fee', upfrontFee: undefined }),
    offering({ offeringId: 'tpo-eur', upfrontFee: '1000', currencyCode: 'EUR' }),
    offering({ offeringId: 'tpo-no-currency', upfrontFee: '1000', currencyCode: undefined }),
  ]);

  const out = await rigs.rig.driver().create('Reservation', reservationProps());

  expect(out.status).toBe('FAILED');
  expect(out.reason).toMatch(/tpo-no-fee: it states no usable upfront fee/);
  expect(out.reason).toMatch(/tpo-eur: it is priced in EUR, not USD/);
  expect(out.reason).toMatch(/tpo-no-currency: it is priced in no stated currency, not USD/);
  expect(rigs.rig.calls('CreateTrainingPlan')).toHaveLength(0);
});

test('a budget in EUR buys only EUR offerings', async () => {
  rigs.rig.emulator.setCatalogue([
    offering({ offeringId: 'tpo-usd', upfrontFee: '30000' }),
    offering({ offeringId: 'tpo-eur', upfrontFee: '52000.10', currencyCode: 'EUR' }),
  ]);

  const out = await rigs.rig.driver().create('Reservation', reservationProps({ CurrencyCode: 'EUR' }));

  expect(out.status).toBe('SUCCESS');
  expect(rigs.rig.emulator.plans().map((p) => [p.offeringId, p.currencyCode])).toEqual([['tpo-eur', 'EUR']]);
});

// Was SRC-1 (fault suite seed 1, lifecycles 26 and 35), fixed in src: the fee
// was compared as a JavaScript number, so '60000.000000000001' rounded down to
// the budget and was bought.
test('an offering a hair above the budget is never bought (decimal, not float, comparison)', async () => {
  rigs.rig.emulator.setCatalogue([offering({ offeringId: 'tpo-hair-above', upfrontFee: '60000.000000000001' })]);

  const out = await rigs.rig.driver().create('Reservation', reservationProps());

  expect(rigs.rig.emulator.purchases()).toBe(0);
  expect(out.status).toBe('FAILED');
});

describe('quota', () => {
  test('CreateTrainingPlan answers ResourceLimitExceeded: quota message, nothing bought', async () => {
    rigs.rig.emulator.setCatalogue([offering()]);
    rigs.rig.emulator.setMaxPlans(0);

    const out = await rigs.rig.driver().create('Reservation', reservationProps());

    expect(out.status).toBe('FAILED');
    expect(out.reason).toMatch(/training-plan quota is reached \(ResourceLimitExceeded: The account-level service limit/);
    expect(out.reason).toMatch(/Request a quota increase/);
    expect(rigs.rig.calls('CreateTrainingPlan')).toHaveLength(1);
  });

  test('SearchTrainingPlanOfferings answers ResourceLimitExceeded: quota message', async () => {
    rigs.rig.emulator.setCatalogue([offering()]);
    rigs.rig.emulator.inject({ operation: 'SearchTrainingPlanOfferings', kind: 'error', errorType: 'ResourceLimitExceeded', message: 'Too many searches.' });

    const out = await rigs.rig.driver().create('Reservation', reservationProps());

    expect(out.status).toBe('FAILED');
    expect(out.reason).toMatch(/SearchTrainingPlanOfferings answered ResourceLimitExceeded \(Too many searches\.\).*Request a quota increase/);
    expect(rigs.rig.calls('CreateTrainingPlan')).toHaveLength(0);
  });
});

describe('sold out between search and purchase', () => {
  test('once: searches again and buys the next offering', async () => {
    rigs.rig.emulator.setCatalogue([offering({ offeringId: 'tpo-a', upfrontFee: '40000' }), offering({ offeringId: 'tpo-b', upfrontFee: '45000' })]);
    rigs.rig.emulator.vanishAfterSearch('tpo-a');

    const out = await rigs.rig.driver().create('Reservation', reservationProps());

    expect(out.status).toBe('SUCCESS');
    expect(rigs.rig.emulator.plans().map((p) => p.offeringId)).toEqual(['tpo-b']);
    expect(rigs.rig.calls('SearchTrainingPlanOfferings')).toHaveLength(2);
  });

  test('every time: bounded re-searches, then a clear failure', async () => {
    rigs.rig.emulator.setCatalogue([0, 1, 2, 3, 4].map((i) => offering({ offeringId: `tpo-${i}`, upfrontFee: `${40000 + i}` })));
    for (let i = 0; i < 10; i++) {
      rigs.rig.emulator.vanishAfterSearch();
    }

    const out = await rigs.rig.driver().create('Reservation', reservationProps());

    expect(out.status).toBe('FAILED');
    expect(out.reason).toMatch(/sold out between search and purchase, 3 times in a row/);
    expect(out.reason).toMatch(/Nothing was bought/);
    expect(rigs.rig.emulator.purchases()).toBe(0);
    expect(rigs.rig.calls('CreateTrainingPlan')).toHaveLength(3);
    expect(rigs.rig.calls('SearchTrainingPlanOfferings')).toHaveLength(3);
  });
});

test('the plan ends Failed: the reason carries its StatusMessage', async () => {
  rigs.rig.emulator.setCatalogue([offering()]);
  rigs.rig.emulator.failNextPlans(1, 'Capacity in us-west-2b could not be secured for this window.');

  const out = await rigs.rig.driver().create('Reservation', reservationProps());

  expect(out.status).toBe('FAILED');
  expect(out.physicalResourceId).toBe(ARN);
  expect(out.reason).toContain(`Training plan ${PLAN_NAME} failed: Capacity in us-west-2b could not be secured for this window.`);
  expect(rigs.rig.emulator.purchases()).toBe(1);
});

describe('stuck Pending', () => {
  test('past the wait budget: the reason says the next deploy adopts it, and it does', async () => {
    rigs.rig.emulator.setCatalogue([offering()]);
    rigs.rig.emulator.stickPending(PLAN_NAME);

    const out = await rigs.rig.driver().create('Reservation', reservationProps());

    expect(out.status).toBe('FAILED');
    // isComplete failed: the id onEvent returned is kept, so the Delete is not skipped.
    expect(out.physicalResourceId).toBe(ARN);
    expect(out.reason).toMatch(/was still Pending when this deploy stopped waiting at .*the next deploy adopts the plan under the same name and buys nothing/);
    expect(out.polls).toBeGreaterThan(1);

    const rollback = await rigs.rig.driver().delete('Reservation', out.physicalResourceId, reservationProps());
    expect(rollback.status).toBe('SUCCESS');
    rigs.rig.emulator.releasePending(PLAN_NAME);
    const redeploy = await rigs.rig.driver().create('Reservation', reservationProps());
    expect(redeploy).toMatchObject({ status: 'SUCCESS', physicalResourceId: ARN });
    expect(rigs.rig.emulator.purchases()).toBe(1);
  });

  test('the handler stops before the framework does, with production timings (1 min polls, 1 h budget)', async () => {
    rigs.rig.emulator.setCatalogue([offering()]);
    rigs.rig.emulator.stickPending();

    const out = await rigs.rig.driver({ queryIntervalMs: MINUTE, totalTimeoutMs: HOUR }).create('Reservation', reservationProps());

    expect(out.reason).not.toBe('Operation timed out');
    expect(out.reason).toMatch(/still Pending/);
  });
});

describe('a plan already holds the name', () => {
  test('a matching plan is adopted: nothing bought', async () => {
    rigs.rig.emulator.setCatalogue([offering()]);
    rigs.rig.emulator.preloadPlan({ name: PLAN_NAME, block: offering({ upfrontFee: '50000' }) });

    const out = await rigs.rig.driver().create('Reservation', reservationProps());

    expect(out).toMatchObject({ status: 'SUCCESS', physicalResourceId: ARN });
    expect(rigs.rig.emulator.purchases()).toBe(0);
    expect(rigs.rig.calls('CreateTrainingPlan')).toHaveLength(0);
  });

  test('a plan of another size is refused: nothing bought, the reason says how to proceed', async () => {
    rigs.rig.emulator.setCatalogue([offering()]);
    rigs.rig.emulator.preloadPlan({ name: PLAN_NAME, block: offering({ instanceCount: 2 }) });

    const out = await rigs.rig.driver().create('Reservation', reservationProps());

    expect(out.status).toBe('FAILED');
    expect(out.reason).toMatch(new RegExp(`A training plan named ${PLAN_NAME} already exists and cannot be used for this reservation: it reserves 2 instances, not 1`));
    expect(out.reason).toMatch(/set a new planName/);
    expect(rigs.rig.calls('CreateTrainingPlan')).toHaveLength(0);
  });

  test('an Expired plan is refused, not bought over', async () => {
    rigs.rig.emulator.setCatalogue([offering()]);
    rigs.rig.emulator.preloadPlan({ name: PLAN_NAME, block: offering(), status: 'Expired' });

    const out = await rigs.rig.driver().create('Reservation', reservationProps());

    expect(out.status).toBe('FAILED');
    expect(out.reason).toMatch(/already exists and cannot be used for this reservation: it is Expired/);
    expect(rigs.rig.calls('CreateTrainingPlan')).toHaveLength(0);
  });
});
