import { DAY, offering, PLAN_ARN, PLAN_NAME, reservationProps, T0, useRig } from './harness';
import { CfnOutcome, CREATE_FAILED_MARKER } from '../support/provider-driver';

/**
 * Issue 3, invariant 3: Delete never fails and never blocks. A plan cannot be
 * cancelled, so Delete answers at once, whatever the plan's state, and makes
 * no purchase (no CreateTrainingPlan call at all).
 */

const rigs = useRig([offering()]);

const ARN = PLAN_ARN;

/** Deletes, measuring the wall time, and checks what every Delete must do. */
async function deleteResource(physicalId: string): Promise<CfnOutcome> {
  const callsBefore = rigs.rig.emulator.calls.length;
  const purchasesBefore = rigs.rig.emulator.purchases();
  const started = process.hrtime.bigint();
  const out = await rigs.rig.driver().delete('Reservation', physicalId, reservationProps());
  const ms = Number(process.hrtime.bigint() - started) / 1e6;

  expect(out.status).toBe('SUCCESS');
  expect(out.physicalResourceId).toBe(physicalId);
  expect(ms).toBeLessThan(500);
  expect(rigs.rig.calls('CreateTrainingPlan', callsBefore)).toHaveLength(0);
  expect(rigs.rig.emulator.purchases()).toBe(purchasesBefore);
  return out;
}

test('a live (Scheduled) plan: SUCCESS at once, the plan stays', async () => {
  const created = await rigs.rig.driver().create('Reservation', reservationProps());
  expect(created.physicalResourceId).toBe(ARN);

  await deleteResource(ARN);

  expect(rigs.rig.emulator.findPlan(PLAN_NAME)?.status).toBe('Scheduled');
  expect(rigs.rig.logs.some((l) => /cannot be cancelled/.test(l))).toBe(true);
});

test('an Active plan', async () => {
  await rigs.rig.driver().create('Reservation', reservationProps());
  rigs.rig.emulator.setTime(new Date(T0.getTime() + 6 * DAY));
  expect(rigs.rig.emulator.findPlan(PLAN_NAME)?.status).toBe('Active');

  await deleteResource(ARN);
});

test('an Expired plan', async () => {
  await rigs.rig.driver().create('Reservation', reservationProps());
  rigs.rig.emulator.setTime(new Date(T0.getTime() + 60 * DAY));
  expect(rigs.rig.emulator.findPlan(PLAN_NAME)?.status).toBe('Expired');

  await deleteResource(ARN);
});

test('a Failed plan', async () => {
  rigs.rig.emulator.failNextPlans(1, 'Capacity could not be secured.');
  const created = await rigs.rig.driver().create('Reservation', reservationProps());
  expect(created).toMatchObject({ status: 'FAILED', physicalResourceId: ARN });

  await deleteResource(ARN);
});

test('a plan that never existed', async () => {
  await deleteResource('arn:aws:sagemaker:us-west-2:123456789012:training-plan/cri-never-bought');
});

test('the CREATE_FAILED marker (the framework skips it)', async () => {
  const out = await deleteResource(CREATE_FAILED_MARKER);

  expect(out.polls).toBe(0);
  expect(rigs.rig.emulator.calls).toHaveLength(0);

  // Had the framework passed it on, the handler would answer it as well.
  const direct = await rigs.rig.handler().onEvent(rigs.rig.driver().deleteEvent('Reservation', CREATE_FAILED_MARKER, reservationProps()));
  expect(direct.PhysicalResourceId).toBe(CREATE_FAILED_MARKER);
  expect(rigs.rig.emulator.calls).toHaveLength(0);
});

test('a dry-run id', async () => {
  const dry = await rigs.rig.driver().create('Reservation', reservationProps({ Purchase: 'false' }));
  expect(dry.physicalResourceId).toBe(`dry-run:${PLAN_NAME}`);

  await deleteResource(dry.physicalResourceId);

  expect(rigs.rig.emulator.purchases()).toBe(0);
});

test('a plan still Pending', async () => {
  rigs.rig.emulator.stickPending();
  await rigs.rig.driver().create('Reservation', reservationProps());

  await deleteResource(ARN);
});

test('while the service throttles, fails and drops every call, Delete still answers at once and calls nothing', async () => {
  await rigs.rig.driver().create('Reservation', reservationProps());
  rigs.rig.emulator.inject({ kind: 'throttle', times: Infinity });
  const callsBefore = rigs.rig.emulator.calls.length;

  await deleteResource(ARN);

  expect(rigs.rig.emulator.calls.length).toBe(callsBefore);
});

test('properties CloudFormation cannot parse do not fail a Delete', async () => {
  const out = await rigs.rig.driver().delete('Reservation', ARN, { PlanName: '', InstanceCount: 'many' });

  expect(out.status).toBe('SUCCESS');
});
