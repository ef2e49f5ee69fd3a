import { DAY, HandlerRig, offering, PLAN_NAME, reservationProps, T0 } from './harness';
import { CfnOutcome, CREATE_FAILED_MARKER } from '../support/provider-driver';

/**
 * Issue 3, invariant 3: Delete never fails and never blocks. A plan cannot be
 * cancelled, so Delete answers at once, whatever the plan's state, and makes
 * no purchase (no CreateTrainingPlan call at all).
 */

let rig: HandlerRig;

beforeAll(async () => {
  rig = await HandlerRig.start();
});

afterAll(async () => {
  await rig.stop();
});

beforeEach(() => {
  rig.reset();
  rig.emulator.setCatalogue([offering()]);
});

const ARN = `arn:aws:sagemaker:us-west-2:123456789012:training-plan/${PLAN_NAME}`;

/** Deletes, measuring the wall time, and checks what every Delete must do. */
async function deleteResource(physicalId: string): Promise<CfnOutcome> {
  const callsBefore = rig.emulator.calls.length;
  const purchasesBefore = rig.emulator.purchases();
  const started = process.hrtime.bigint();
  const out = await rig.driver().delete('Reservation', physicalId, reservationProps());
  const ms = Number(process.hrtime.bigint() - started) / 1e6;

  expect(out.status).toBe('SUCCESS');
  expect(out.physicalResourceId).toBe(physicalId);
  expect(ms).toBeLessThan(500);
  expect(rig.calls('CreateTrainingPlan', callsBefore)).toHaveLength(0);
  expect(rig.emulator.purchases()).toBe(purchasesBefore);
  return out;
}

test('a live (Scheduled) plan: SUCCESS at once, the plan stays', async () => {
  const created = await rig.driver().create('Reservation', reservationProps());
  expect(created.physicalResourceId).toBe(ARN);

  await deleteResource(ARN);

  expect(rig.emulator.findPlan(PLAN_NAME)?.status).toBe('Scheduled');
  expect(rig.logs.some((l) => /cannot be cancelled/.test(l))).toBe(true);
});

test('an Active plan', async () => {
  await rig.driver().create('Reservation', reservationProps());
  rig.emulator.setTime(new Date(T0.getTime() + 6 * DAY));
  expect(rig.emulator.findPlan(PLAN_NAME)?.status).toBe('Active');

  await deleteResource(ARN);
});

test('an Expired plan', async () => {
  await rig.driver().create('Reservation', reservationProps());
  rig.emulator.setTime(new Date(T0.getTime() + 60 * DAY));
  expect(rig.emulator.findPlan(PLAN_NAME)?.status).toBe('Expired');

  await deleteResource(ARN);
});

test('a Failed plan', async () => {
  rig.emulator.failNextPlans(1, 'Capacity could not be secured.');
  const created = await rig.driver().create('Reservation', reservationProps());
  expect(created).toMatchObject({ status: 'FAILED', physicalResourceId: ARN });

  await deleteResource(ARN);
});

test('a plan that never existed', async () => {
  await deleteResource('arn:aws:sagemaker:us-west-2:123456789012:training-plan/cri-never-bought');
});

test('the CREATE_FAILED marker (the framework skips it)', async () => {
  const out = await deleteResource(CREATE_FAILED_MARKER);

  expect(out.polls).toBe(0);
  expect(rig.emulator.calls).toHaveLength(0);

  // Had the framework passed it on, the handler would answer it as well.
  const direct = await rig.handler().onEvent(rig.driver().deleteEvent('Reservation', CREATE_FAILED_MARKER, reservationProps()));
  expect(direct.PhysicalResourceId).toBe(CREATE_FAILED_MARKER);
  expect(rig.emulator.calls).toHaveLength(0);
});

test('a dry-run id', async () => {
  const dry = await rig.driver().create('Reservation', reservationProps({ Purchase: 'false' }));
  expect(dry.physicalResourceId).toBe(`dry-run:${PLAN_NAME}`);

  await deleteResource(dry.physicalResourceId);

  expect(rig.emulator.purchases()).toBe(0);
});

test('a plan still Pending', async () => {
  rig.emulator.stickPending();
  await rig.driver().create('Reservation', reservationProps());

  await deleteResource(ARN);
});

test('while the service throttles, fails and drops every call, Delete still answers at once and calls nothing', async () => {
  await rig.driver().create('Reservation', reservationProps());
  rig.emulator.inject({ kind: 'throttle', times: Infinity });
  const callsBefore = rig.emulator.calls.length;

  await deleteResource(ARN);

  expect(rig.emulator.calls.length).toBe(callsBefore);
});

test('properties CloudFormation cannot parse do not fail a Delete', async () => {
  const out = await rig.driver().delete('Reservation', ARN, { PlanName: '', InstanceCount: 'many' });

  expect(out.status).toBe('SUCCESS');
});
