import { DAY, offering, PLAN_ARN, PLAN_NAME, Props, reservationProps, T0, useRig } from './harness';
import { CfnOutcome } from '../support/provider-driver';

/**
 * Issue 3, invariant 4: physical ids are stable. An Update that does not
 * change what was bought keeps the id and buys nothing; a change to what was
 * bought is refused unless it comes with a new PlanName; a FAILED answer
 * carries the id CloudFormation sent.
 */

const rigs = useRig([
  offering({ offeringId: 'tpo-a', upfrontFee: '41000.00' }),
  offering({ offeringId: 'tpo-b', upfrontFee: '44000.00', availabilityZone: 'us-west-2c' }),
  offering({ offeringId: 'tpo-two', instanceCount: 2, upfrontFee: '58000.00' }),
]);

const ARN = PLAN_ARN;
const NEW_NAME = 'cri-Demo-Endpoint-9876543210';
const NEW_ARN = `arn:aws:sagemaker:us-west-2:123456789012:training-plan/${NEW_NAME}`;

async function deployed(props: Props = reservationProps()): Promise<CfnOutcome> {
  const out = await rigs.rig.driver().create('Reservation', props);
  expect(out).toMatchObject({ status: 'SUCCESS', physicalResourceId: ARN });
  return out;
}

describe('Update with an unchanged purchase spec keeps the id and buys nothing', () => {
  test.each<[string, Props]>([
    ['tags', { Tags: [{ Key: 'cdk-reserved-inference:owner', Value: 'Demo/Endpoint' }, { Key: 'team', Value: 'inference' }] }],
    ['maxUpfrontFee', { MaxUpfrontFee: '75000' }],
    ['maxUpfrontFee below the fee paid', { MaxUpfrontFee: '1000' }],
    ['selection', { Selection: 'EARLIEST_START' }],
    ['wait budget', { WaitBudgetSeconds: '1800' }],
    ['purchase switched off', { Purchase: 'false' }],
  ])('%s', async (_what, change) => {
    await deployed();
    const callsBefore = rigs.rig.emulator.calls.length;

    const out = await rigs.rig.driver().update('Reservation', ARN, reservationProps(change), reservationProps());

    expect(out).toMatchObject({ status: 'SUCCESS', physicalResourceId: ARN });
    expect(rigs.rig.emulator.purchases()).toBe(1);
    expect(rigs.rig.calls('CreateTrainingPlan', callsBefore)).toHaveLength(0);
    expect(rigs.rig.calls('SearchTrainingPlanOfferings', callsBefore)).toHaveLength(0);
  });
});

test('Update changing the instance count is refused: FAILED with the id CloudFormation sent, naming planName', async () => {
  await deployed();
  const callsBefore = rigs.rig.emulator.calls.length;

  const out = await rigs.rig.driver().update('Reservation', ARN, reservationProps({ InstanceCount: '2' }), reservationProps());

  expect(out.status).toBe('FAILED');
  expect(out.physicalResourceId).toBe(ARN);
  expect(out.reason).toMatch(new RegExp(`Training plan ${PLAN_NAME} cannot be changed \\(instance count 1 -> 2\\)`));
  expect(out.reason).toMatch(/set a new planName/);
  expect(out.reason).toMatch(/Nothing was bought/);
  expect(rigs.rig.emulator.purchases()).toBe(1);
  expect(rigs.rig.calls('CreateTrainingPlan', callsBefore)).toHaveLength(0);
});

// The plan bought below runs 2030-01-06 to 2030-01-13: each change here is one it does not satisfy.
test.each<[string, Props]>([
  ['duration', { DurationHours: '336' }],
  ['instance type', { InstanceType: 'ml.p5e.48xlarge' }],
  ['earliest start (after the plan starts)', { EarliestStart: new Date(T0.getTime() + 6 * DAY).toISOString() }],
  ['latest end (before the plan ends)', { LatestEnd: new Date(T0.getTime() + 10 * DAY).toISOString() }],
])('Update changing the %s is refused as well, nothing bought', async (_what, change) => {
  await deployed();

  const out = await rigs.rig.driver().update('Reservation', ARN, reservationProps(change), reservationProps());

  expect(out).toMatchObject({ status: 'FAILED', physicalResourceId: ARN });
  expect(out.reason).toMatch(/cannot be changed/);
  expect(rigs.rig.emulator.purchases()).toBe(1);
});

test.each<[string, Props]>([
  ['earliest start', { EarliestStart: new Date(T0.getTime() + 3 * DAY).toISOString() }],
  ['latest end', { LatestEnd: new Date(T0.getTime() + 40 * DAY).toISOString() }],
])('Update widening the window (%s) around the plan keeps the id and buys nothing, whether accepted or refused', async (_what, change) => {
  await deployed();
  const callsBefore = rigs.rig.emulator.calls.length;

  const out = await rigs.rig.driver().update('Reservation', ARN, reservationProps(change), reservationProps());

  expect(out.physicalResourceId).toBe(ARN);
  expect(rigs.rig.emulator.purchases()).toBe(1);
  expect(rigs.rig.calls('CreateTrainingPlan', callsBefore)).toHaveLength(0);
});

// Was SRC-2's first form (fault suite seed 1, lifecycle 32), fixed in src: when
// an Update fails, CloudFormation rolls back by sending the resource another
// Update, from the refused properties back to the deployed ones (same physical
// id, OldResourceProperties = the refused ones). That reverse change was refused
// too ("cannot be changed (instance count 2 -> 1)"): UPDATE_ROLLBACK_FAILED.
test('the rollback of a refused spec change succeeds (else UPDATE_ROLLBACK_FAILED)', async () => {
  await deployed();
  const refused = await rigs.rig.driver().update('Reservation', ARN, reservationProps({ InstanceCount: '2' }), reservationProps());
  expect(refused.status).toBe('FAILED');

  const rollback = await rigs.rig.driver().update('Reservation', ARN, reservationProps(), reservationProps({ InstanceCount: '2' }));

  expect(rigs.rig.emulator.purchases()).toBe(1);
  expect(rollback).toMatchObject({ status: 'SUCCESS', physicalResourceId: ARN });
});

// Was SRC-2 in this form too (fault suite seed 1, lifecycle 578), fixed in src:
// the same rollback once the plan had expired was refused, because "the plan
// satisfies the new spec" was checked with adoptionProblems, which also
// refuses an Expired plan.
test('the rollback of a refused spec change succeeds after the plan expired', async () => {
  await deployed();
  rigs.rig.emulator.setTime(new Date(T0.getTime() + 60 * DAY));
  const refused = await rigs.rig.driver().update('Reservation', ARN, reservationProps({ InstanceCount: '2' }), reservationProps());
  expect(refused.status).toBe('FAILED');

  const rollback = await rigs.rig.driver().update('Reservation', ARN, reservationProps(), reservationProps({ InstanceCount: '2' }));

  expect(rollback).toMatchObject({ status: 'SUCCESS', physicalResourceId: ARN });
});

describe('Update with a new PlanName', () => {
  // An Update never changes the physical id (src's contract since the SRC-3
  // fix): the resource keeps its id and names the plan it holds in its
  // TrainingPlanArn attribute; a Delete of any earlier id cancels nothing.
  test('buys a second plan under the new name; the id stays, and a Delete of it would cancel nothing', async () => {
    await deployed();

    const out = await rigs.rig.driver().update('Reservation', ARN, reservationProps({ PlanName: NEW_NAME }), reservationProps());

    expect(out).toMatchObject({ status: 'SUCCESS', physicalResourceId: ARN });
    expect(out.data.TrainingPlanArn).toBe(NEW_ARN);
    expect(rigs.rig.emulator.plans().map((p) => [p.name, p.offeringId])).toEqual([[PLAN_NAME, 'tpo-a'], [NEW_NAME, 'tpo-b']]);

    const callsBefore = rigs.rig.emulator.calls.length;
    const cleanup = await rigs.rig.driver().delete('Reservation', ARN, reservationProps());
    expect(cleanup).toMatchObject({ status: 'SUCCESS', physicalResourceId: ARN });
    expect(rigs.rig.emulator.calls.length).toBe(callsBefore);
    expect(rigs.rig.emulator.findPlan(PLAN_NAME)?.status).toBe('Scheduled');
    expect(rigs.rig.emulator.purchases()).toBe(2);
  });

  test('together with a spec change: buys the new spec under the new name', async () => {
    await deployed();

    const out = await rigs.rig.driver().update('Reservation', ARN, reservationProps({ PlanName: NEW_NAME, InstanceCount: '2' }), reservationProps());

    expect(out).toMatchObject({ status: 'SUCCESS', physicalResourceId: ARN });
    expect(out.data.TrainingPlanArn).toBe(NEW_ARN);
    expect(rigs.rig.emulator.findPlan(NEW_NAME)).toMatchObject({ offeringId: 'tpo-two', instanceCount: 2 });
  });

  test('delivered twice: still two plans in all, one answer', async () => {
    await deployed();
    const driver = rigs.rig.driver();
    const event = driver.updateEvent('Reservation', ARN, reservationProps({ PlanName: NEW_NAME }), reservationProps());

    const [a, b] = [await driver.run(event), await driver.run(event)];

    expect(a).toMatchObject({ status: 'SUCCESS', physicalResourceId: ARN });
    expect(b).toMatchObject({ status: 'SUCCESS', physicalResourceId: ARN });
    expect(a.data.TrainingPlanArn).toBe(NEW_ARN);
    expect(b.data.TrainingPlanArn).toBe(NEW_ARN);
    expect(rigs.rig.emulator.purchases()).toBe(2);
  });

  test('that finds no capacity: FAILED with the old id, and the rollback Update adopts the old plan', async () => {
    await deployed();
    rigs.rig.emulator.setCatalogue([]);

    const out = await rigs.rig.driver().update('Reservation', ARN, reservationProps({ PlanName: NEW_NAME }), reservationProps());
    expect(out).toMatchObject({ status: 'FAILED', physicalResourceId: ARN });
    expect(out.reason).toMatch(/No training-plan offering was found/);

    const rollback = await rigs.rig.driver().update('Reservation', ARN, reservationProps(), reservationProps({ PlanName: NEW_NAME }));
    expect(rollback).toMatchObject({ status: 'SUCCESS', physicalResourceId: ARN });
    expect(rigs.rig.emulator.purchases()).toBe(1);
  });

  // Was SRC-2 in this form (fault suite seed 1, lifecycle 312), fixed in src:
  // the documented way to keep serving after a plan expires is a new planName.
  // When that purchase failed (no capacity), CloudFormation's rollback Update
  // back to the old name adopted by name and refused the Expired plan
  // ("already exists and cannot be used ... it is Expired"): UPDATE_ROLLBACK_FAILED.
  test('after the old plan expired, the rollback of a failed rename still succeeds', async () => {
    await deployed();
    rigs.rig.emulator.setTime(new Date(T0.getTime() + 60 * DAY));
    expect(rigs.rig.emulator.findPlan(PLAN_NAME)?.status).toBe('Expired');

    const out = await rigs.rig.driver().update('Reservation', ARN, reservationProps({ PlanName: NEW_NAME }), reservationProps());
    expect(out).toMatchObject({ status: 'FAILED', physicalResourceId: ARN });

    const rollback = await rigs.rig.driver().update('Reservation', ARN, reservationProps(), reservationProps({ PlanName: NEW_NAME }));
    expect(rollback).toMatchObject({ status: 'SUCCESS', physicalResourceId: ARN });
  });

  // Was SRC-2's last form (fault suite seed 1, lifecycle 566), fixed in src:
  // the rename fails, and the rollback's look-up of the old name answers
  // ResourceNotFound (in AWS: an eventually consistent read). The rollback took
  // the plan for gone and searched to buy it again; with no capacity it failed:
  // UPDATE_ROLLBACK_FAILED. An Update to another name now looks it up twice.
  test('the rollback of a failed rename succeeds when the look-up of the old plan misses', async () => {
    await deployed();
    rigs.rig.emulator.setCatalogue([]);
    const out = await rigs.rig.driver().update('Reservation', ARN, reservationProps({ PlanName: NEW_NAME }), reservationProps());
    expect(out).toMatchObject({ status: 'FAILED', physicalResourceId: ARN });
    rigs.rig.emulator.inject({ operation: 'DescribeTrainingPlan', kind: 'error', errorType: 'ResourceNotFound', message: `Training plan ${PLAN_NAME} does not exist.` });

    const rollback = await rigs.rig.driver().update('Reservation', ARN, reservationProps(), reservationProps({ PlanName: NEW_NAME }));

    expect(rigs.rig.emulator.purchases()).toBe(1);
    expect(rollback).toMatchObject({ status: 'SUCCESS', physicalResourceId: ARN });
  });
});
