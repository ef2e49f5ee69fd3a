import { CRASH_REASON, crashingAfterOnEvent, DAY, isPlanArn, offering, PLAN_ARN, PLAN_NAME, reservationProps, T0, useRig } from './harness';
import { CREATE_FAILED_MARKER } from '../support/provider-driver';

/**
 * Issue 3, invariant 1: at most one purchase per reservation resource, across
 * duplicate deliveries, crashes after the purchase, rollback + redeploy and
 * racing deploys. The plan name is the idempotency key.
 */

const rigs = useRig([
  offering({ offeringId: 'tpo-cheap', upfrontFee: '41000.00' }),
  offering({ offeringId: 'tpo-dear', upfrontFee: '55000.00', availabilityZone: 'us-west-2c' }),
]);

const ARN = PLAN_ARN;

test('a clean deploy buys the cheapest eligible offering once and completes when Scheduled', async () => {
  const out = await rigs.rig.driver().create('Reservation', reservationProps());

  expect(out.status).toBe('SUCCESS');
  expect(out.physicalResourceId).toBe(ARN);
  expect(out.data).toMatchObject({ TrainingPlanArn: ARN, Status: 'Scheduled', UpfrontFee: '41000.00', CurrencyCode: 'USD', Purchased: 'true' });
  expect(rigs.rig.emulator.purchases()).toBe(1);
  expect(rigs.rig.emulator.plans()[0]).toMatchObject({ name: PLAN_NAME, offeringId: 'tpo-cheap' });
  expect(rigs.rig.emulator.plans()[0].tags).toEqual([{ Key: 'cdk-reserved-inference:owner', Value: 'Demo/Endpoint' }]);
  expect(rigs.rig.calls('CreateTrainingPlan')).toHaveLength(1);
});

test('Create delivered twice: one purchase, the second delivery adopts, same physical id', async () => {
  const driver = rigs.rig.driver();
  const event = driver.createEvent('Reservation', reservationProps());

  const first = await driver.run(event);
  const creates = rigs.rig.calls('CreateTrainingPlan').length;
  const second = await driver.run(event);

  expect(first.status).toBe('SUCCESS');
  expect(second.status).toBe('SUCCESS');
  expect(second.physicalResourceId).toBe(first.physicalResourceId);
  expect(rigs.rig.emulator.purchases()).toBe(1);
  expect(rigs.rig.calls('CreateTrainingPlan')).toHaveLength(creates);
  expect(rigs.rig.logs.some((l) => l.startsWith('Adopting existing plan'))).toBe(true);
});

test('Create delivered twice at the same time: at most one purchase, both answers name it', async () => {
  const driver = rigs.rig.driver();
  const event = driver.createEvent('Reservation', reservationProps());

  const [a, b] = await Promise.all([driver.run(event), driver.run(event)]);

  expect(rigs.rig.emulator.purchases()).toBe(1);
  expect([a.status, b.status]).toEqual(['SUCCESS', 'SUCCESS']);
  expect(a.physicalResourceId).toBe(ARN);
  expect(b.physicalResourceId).toBe(ARN);
});

describe('crash after purchase', () => {
  test('commit-then-reset on CreateTrainingPlan: the handler looks the name up and adopts', async () => {
    rigs.rig.emulator.inject({ operation: 'CreateTrainingPlan', kind: 'commit-then-reset' });

    const out = await rigs.rig.driver().create('Reservation', reservationProps());

    expect(out.status).toBe('SUCCESS');
    expect(out.physicalResourceId).toBe(ARN);
    expect(rigs.rig.emulator.purchases()).toBe(1);
    const ops = rigs.rig.emulator.calls.map((c) => `${c.operation}:${c.status}`);
    // The lost answer is resolved by name, never by sending the purchase again.
    expect(ops.slice(ops.indexOf('CreateTrainingPlan:0'), ops.indexOf('CreateTrainingPlan:0') + 2)).toEqual(['CreateTrainingPlan:0', 'DescribeTrainingPlan:200']);
    expect(rigs.rig.calls('CreateTrainingPlan')).toHaveLength(1);
  });

  test('commit-then-server-error on CreateTrainingPlan: adopts, one purchase', async () => {
    rigs.rig.emulator.inject({ operation: 'CreateTrainingPlan', kind: 'commit-then-server-error', status: 503 });

    const out = await rigs.rig.driver().create('Reservation', reservationProps());

    expect(out.status).toBe('SUCCESS');
    expect(out.physicalResourceId).toBe(ARN);
    expect(rigs.rig.emulator.purchases()).toBe(1);
    expect(rigs.rig.calls('CreateTrainingPlan')).toHaveLength(1);
  });

  test('the Lambda dies after buying: CREATE_FAILED marker, Delete skipped, the next deploy adopts', async () => {
    const crashing = crashingAfterOnEvent(rigs.rig.handler());
    const crashed = await rigs.rig.driver({ handlers: crashing }).create('Reservation', reservationProps());

    expect(crashed).toMatchObject({ status: 'FAILED', physicalResourceId: CREATE_FAILED_MARKER, reason: CRASH_REASON });
    expect(crashing.crashedWith).toEqual([ARN]);
    expect(rigs.rig.emulator.purchases()).toBe(1);

    // Rollback: the framework skips the Delete of a failed Create.
    const calls = rigs.rig.emulator.calls.length;
    const rollback = await rigs.rig.driver().delete('Reservation', CREATE_FAILED_MARKER, reservationProps());
    expect(rollback.status).toBe('SUCCESS');
    expect(rigs.rig.emulator.calls.length).toBe(calls);

    // The next deploy finds the orphan under its name and adopts it.
    const redeploy = await rigs.rig.driver().create('Reservation', reservationProps());
    expect(redeploy.status).toBe('SUCCESS');
    expect(redeploy.physicalResourceId).toBe(ARN);
    expect(rigs.rig.emulator.purchases()).toBe(1);
    expect(rigs.rig.calls('CreateTrainingPlan')).toHaveLength(1);
  });
});

test('rollback then a new deploy: the Delete keeps the plan, the redeploy adopts it', async () => {
  const driver = rigs.rig.driver();
  const created = await driver.create('Reservation', reservationProps());
  expect(created.status).toBe('SUCCESS');

  // Another resource of the stack failed: CloudFormation deletes this one.
  const rollback = await driver.delete('Reservation', created.physicalResourceId, reservationProps());
  expect(rollback).toMatchObject({ status: 'SUCCESS', physicalResourceId: created.physicalResourceId });

  const redeploy = await driver.create('Reservation', reservationProps());
  expect(redeploy.status).toBe('SUCCESS');
  expect(redeploy.physicalResourceId).toBe(created.physicalResourceId);
  expect(rigs.rig.emulator.purchases()).toBe(1);
});

test('a redeploy weeks later, once the plan is Active, still adopts it', async () => {
  const created = await rigs.rig.driver().create('Reservation', reservationProps());
  await rigs.rig.driver().delete('Reservation', created.physicalResourceId, reservationProps());
  rigs.rig.emulator.setTime(new Date(T0.getTime() + 6 * DAY));

  const redeploy = await rigs.rig.driver().create('Reservation', reservationProps({ RequireActive: 'true' }));

  expect(redeploy).toMatchObject({ status: 'SUCCESS', physicalResourceId: ARN });
  expect(redeploy.data.Status).toBe('Active');
  expect(rigs.rig.emulator.purchases()).toBe(1);
});

test('two deploys racing with the same PlanName: at most one purchase, no failure', async () => {
  const [a, b] = await Promise.all([
    rigs.rig.driver().create('Reservation', reservationProps()),
    rigs.rig.driver({ stackId: 'arn:aws:cloudformation:us-west-2:123456789012:stack/Other/11111111-1111-1111-1111-111111111111' })
      .create('Reservation', reservationProps()),
  ]);

  expect(rigs.rig.emulator.purchases()).toBe(1);
  expect(a.status).toBe('SUCCESS');
  expect(b.status).toBe('SUCCESS');
  expect(a.physicalResourceId).toBe(ARN);
  expect(b.physicalResourceId).toBe(ARN);
  expect(isPlanArn(a.physicalResourceId)).toBe(true);
});

test('five deliveries racing: one purchase', async () => {
  const driver = rigs.rig.driver();
  const event = driver.createEvent('Reservation', reservationProps());

  const outs = await Promise.all([1, 2, 3, 4, 5].map(() => driver.run(event)));

  expect(rigs.rig.emulator.purchases()).toBe(1);
  expect(new Set(outs.map((o) => o.physicalResourceId))).toEqual(new Set([ARN]));
});
