import { FaultRule } from '../emulator';
import { FAST_RETRY, HandlerRig, offering, PLAN_ARN, realDelay, reservationProps, useRig } from './harness';
import { NOTHING_BOUGHT } from '../faults/reasons';

/**
 * Issue 3, invariant 6: throttling, 5xx, dropped connections and slow answers
 * on each operation are retried with bounded backoff and end in exactly one
 * purchase, or in a clear failure, never in two purchases.
 */

const OPERATIONS = ['SearchTrainingPlanOfferings', 'CreateTrainingPlan', 'DescribeTrainingPlan'] as const;

const FAULTS: ReadonlyArray<[string, Omit<FaultRule, 'operation'>]> = [
  ['throttle', { kind: 'throttle' }],
  ['500', { kind: 'server-error' }],
  ['503', { kind: 'server-error', status: 503 }],
  ['reset', { kind: 'reset' }],
  ['commit-then-reset', { kind: 'commit-then-reset' }],
  ['commit-then-server-error', { kind: 'commit-then-server-error' }],
  ['latency below the timeout', { kind: 'latency', latencyMs: 40 }],
];

const ARN = PLAN_ARN;

const rigs = useRig([offering({ offeringId: 'tpo-a', upfrontFee: '41000' }), offering({ offeringId: 'tpo-b', upfrontFee: '42000' })]);

function expectBoundedBackoff(): void {
  for (const ms of rigs.rig.sleeps) {
    expect(ms).toBeGreaterThanOrEqual(0);
    expect(ms).toBeLessThanOrEqual(FAST_RETRY.maxDelayMs);
  }
}

describe.each(OPERATIONS)('%s', (operation) => {
  test.each(FAULTS)('one %s: retried, exactly one purchase', async (_name, fault) => {
    rigs.rig.emulator.inject({ operation, ...fault });

    const out = await rigs.rig.driver().create('Reservation', reservationProps());

    expect(out).toMatchObject({ status: 'SUCCESS', physicalResourceId: ARN });
    expect(rigs.rig.emulator.purchases()).toBe(1);
    expect(rigs.rig.calls('CreateTrainingPlan').length).toBeLessThanOrEqual(2);
    expect(rigs.rig.emulator.pendingFaults()).toBe(0);
    expectBoundedBackoff();
  });

  test.each(FAULTS)('three %s in a row: one purchase, or a clear failure with none', async (_name, fault) => {
    rigs.rig.emulator.inject({ operation, times: 3, ...fault });

    const out = await rigs.rig.driver().create('Reservation', reservationProps());

    expect(rigs.rig.emulator.purchases()).toBeLessThanOrEqual(1);
    if (out.status === 'SUCCESS') {
      expect(out.physicalResourceId).toBe(ARN);
      expect(rigs.rig.emulator.purchases()).toBe(1);
    } else {
      expect(out.reason).toMatch(new RegExp(`${operation} (failed|was throttled)`));
      expect(rigs.rig.emulator.purchases()).toBe(0);
    }
    expectBoundedBackoff();
  });
});

describe('faults that never stop', () => {
  test.each(FAULTS.filter(([n]) => !n.startsWith('latency')))('Search: %s every time: retried, then a clear failure', async (_name, fault) => {
    rigs.rig.emulator.inject({ operation: 'SearchTrainingPlanOfferings', times: Infinity, ...fault });

    const out = await rigs.rig.driver().create('Reservation', reservationProps());

    expect(out.status).toBe('FAILED');
    expect(out.reason).toMatch(/^SearchTrainingPlanOfferings failed with \w+: .+ while reserving 1 x ml\.p5\.48xlarge for 168 h between /);
    expect(out.reason).toMatch(/looks transient/);
    expect(out.reason).toMatch(NOTHING_BOUGHT);
    expect(rigs.rig.calls('SearchTrainingPlanOfferings')).toHaveLength(FAST_RETRY.attempts);
    expect(rigs.rig.sleeps).toHaveLength(FAST_RETRY.attempts - 1);
    expect(rigs.rig.calls('CreateTrainingPlan')).toHaveLength(0);
    expectBoundedBackoff();
  });

  test.each(FAULTS.filter(([n]) => !n.startsWith('latency') && !n.startsWith('commit')))('Create: %s: bounded attempts, each after a look-up by name, then a clear failure', async (_name, fault) => {
    rigs.rig.emulator.inject({ operation: 'CreateTrainingPlan', times: Infinity, ...fault });

    const out = await rigs.rig.driver().create('Reservation', reservationProps());

    expect(out.status).toBe('FAILED');
    expect(out.reason).toMatch(/CreateTrainingPlan (failed 3 times with transient errors|was throttled 3 times)/);
    expect(out.reason).toMatch(/Deploy again later/);
    expect(rigs.rig.calls('CreateTrainingPlan')).toHaveLength(3);
    expect(rigs.rig.emulator.purchases()).toBe(0);
    // Every attempt after an answer that may have been lost is preceded by a look-up.
    const ops = rigs.rig.emulator.calls.map((c) => c.operation);
    ops.forEach((op, i) => {
      if (op === 'CreateTrainingPlan' && i > 0 && fault.kind !== 'throttle') {
        const previousCreate = ops.lastIndexOf('CreateTrainingPlan', i - 1);
        if (previousCreate >= 0) {
          expect(ops.slice(previousCreate, i)).toContain('DescribeTrainingPlan');
        }
      }
    });
  });

  test('Create: commit-then-reset every time: the first one bought, so it is adopted', async () => {
    rigs.rig.emulator.inject({ operation: 'CreateTrainingPlan', kind: 'commit-then-reset', times: Infinity });

    const out = await rigs.rig.driver().create('Reservation', reservationProps());

    expect(out).toMatchObject({ status: 'SUCCESS', physicalResourceId: ARN });
    expect(rigs.rig.calls('CreateTrainingPlan')).toHaveLength(1);
  });

  // Was a bug (found by this focused test and the fault suite's first runs; now
  // guarded by seed 1, lifecycles 0, 4, 8, 12 in test/faults/regressions.test.ts):
  // the look-up by name that starts every Create was not wrapped, so the raw SDK
  // message ("Rate exceeded", "AWS SDK error wrapper for TimeoutError: socket
  // hang up") was the whole CloudFormation reason. Fixed in src; kept as a guard.
  test.each(FAULTS.filter(([n]) => !n.startsWith('latency') && !n.startsWith('commit')))(
    'Describe before buying: %s every time: a clear failure naming DescribeTrainingPlan',
    async (_name, fault) => {
      rigs.rig.emulator.inject({ operation: 'DescribeTrainingPlan', times: Infinity, ...fault });

      const out = await rigs.rig.driver().create('Reservation', reservationProps());

      expect(out.status).toBe('FAILED');
      expect(rigs.rig.emulator.purchases()).toBe(0);
      expect(out.reason).toMatch(/^DescribeTrainingPlan failed with \w+: .+ while reserving 1 x ml\.p5\.48xlarge/);
      expect(out.reason).toMatch(NOTHING_BOUGHT);
    },
  );

  // Was SRC-4 (fault suite seed 1, lifecycles 200 and 488), fixed in src: once
  // the plan was bought, a poll whose DescribeTrainingPlan kept failing said
  // "this call buys nothing", with no word that a plan was bought. (Design
  // note: a transient failure while polling could also answer
  // IsComplete: false and let the next poll try again.)
  test('Describe while polling: throttled every time: the reason says the plan was bought and is adopted next time', async () => {
    rigs.rig.emulator.inject({ operation: 'DescribeTrainingPlan', kind: 'throttle', skip: 1, times: Infinity });

    const out = await rigs.rig.driver().create('Reservation', reservationProps());

    expect(rigs.rig.emulator.purchases()).toBe(1);
    expect(out.physicalResourceId).toBe(ARN);
    expect(out.reason).toMatch(/DescribeTrainingPlan/);
    expect(out.reason).toMatch(/(was|has been|is) bought|adopt/i);
    expect(out.reason).not.toMatch(NOTHING_BOUGHT);
  });

  // Was a bug: CreateTrainingPlan's answer was lost after it bought, the
  // look-up then kept failing, and the reason said "Nothing was bought by this
  // call" although the plan was bought. Fixed in src (lookUpAfter); kept as a guard.
  test('a purchase whose answer was lost, then a failing look-up: the reason does not claim nothing was bought', async () => {
    rigs.rig.emulator.inject({ operation: 'CreateTrainingPlan', kind: 'commit-then-reset' });
    rigs.rig.emulator.inject({ operation: 'DescribeTrainingPlan', kind: 'throttle', skip: 1, times: Infinity });

    const out = await rigs.rig.driver().create('Reservation', reservationProps());

    expect(out.status).toBe('FAILED');
    expect(rigs.rig.emulator.purchases()).toBe(1);
    expect(out.reason).not.toMatch(NOTHING_BOUGHT);
    expect(out.reason).toMatch(/not known|may have been bought/);
  });
});

describe('isComplete polls', () => {
  test.each(FAULTS)('one %s while polling: the deploy still completes', async (_name, fault) => {
    rigs.rig.emulator.inject({ operation: 'DescribeTrainingPlan', skip: 1, ...fault });

    const out = await rigs.rig.driver().create('Reservation', reservationProps());

    expect(out).toMatchObject({ status: 'SUCCESS', physicalResourceId: ARN });
    expect(rigs.rig.emulator.purchases()).toBe(1);
  });
});

describe('a slow answer (latency above requestTimeoutMs)', () => {
  // SRC-6 (src/reservation/handler/training-plan-gateway.ts, createSageMakerClient;
  // not visible to the fault suite, whose client enforces the timeout):
  // NodeHttpHandler's `requestTimeout` only logs a warning in
  // @smithy/node-http-handler 4.x ("Init client requestHandler with
  // throwOnRequestTimeout=true to turn this into an error"), so the
  // per-request timeout never fires: a slow answer holds the Lambda until its
  // own 5-minute timeout instead of becoming a transient failure. Pass
  // `throwOnRequestTimeout: true` (or set socketTimeout).
  test('with the production client, a call slower than requestTimeoutMs fails fast as a transient error', async () => {
    const slow = await HandlerRig.start({ clientMode: 'production', requestTimeoutMs: 100 });
    try {
      slow.emulator.setCatalogue([offering()]);
      slow.emulator.inject({ operation: 'SearchTrainingPlanOfferings', kind: 'latency', latencyMs: 1_500, times: Infinity });
      const started = Date.now();
      const out = await slow.driver().create('Reservation', reservationProps());
      const ms = Date.now() - started;

      // Four attempts of 100 ms each, not an answer after 1.5 s.
      expect(ms).toBeLessThan(1_000);
      expect(out.status).toBe('FAILED');
    } finally {
      await realDelay(50);
      await slow.stop();
    }
  });

  describe('with the timeout enforced (throwOnRequestTimeout), as createSageMakerClient intends', () => {
    let timed: HandlerRig;

    beforeAll(async () => {
      timed = await HandlerRig.start({ clientMode: 'enforced-timeout', requestTimeoutMs: 100 });
    });

    afterAll(async () => {
      await timed.stop();
    });

    beforeEach(() => {
      timed.reset();
      timed.emulator.setCatalogue([offering({ offeringId: 'tpo-a', upfrontFee: '41000' }), offering({ offeringId: 'tpo-b', upfrontFee: '42000' })]);
    });

    test.each(OPERATIONS)('one slow %s: retried, exactly one purchase', async (operation) => {
      timed.emulator.inject({ operation, kind: 'latency', latencyMs: 250 });

      const out = await timed.driver().create('Reservation', reservationProps());
      await realDelay(250);

      expect(out).toMatchObject({ status: 'SUCCESS', physicalResourceId: ARN });
      expect(timed.emulator.purchases()).toBe(1);
    });

    test('a slow CreateTrainingPlan that commits after the client gave up: still one purchase', async () => {
      timed.emulator.inject({ operation: 'CreateTrainingPlan', kind: 'latency', latencyMs: 150 });
      // The look-up after the timeout is slow too, so the delayed purchase lands meanwhile.
      timed.emulator.inject({ operation: 'DescribeTrainingPlan', kind: 'latency', skip: 1, latencyMs: 80 });

      const out = await timed.driver().create('Reservation', reservationProps());
      await realDelay(200);

      expect(out).toMatchObject({ status: 'SUCCESS', physicalResourceId: ARN });
      expect(timed.emulator.purchases()).toBe(1);
      expect(timed.calls('CreateTrainingPlan')).toHaveLength(1);
    });

    // Was SRC-5 (fault suite seed 5, lifecycle 594), fixed in src: after
    // CreateTrainingPlan timed out maxPurchaseAttempts times the reason said
    // "no plan named X exists, so nothing was bought", but a request that
    // timed out on the client may still complete on the service: here the
    // first one does, 600 ms after it was sent, and the plan is charged.
    test('every CreateTrainingPlan times out: the reason does not claim nothing was bought when one completes later', async () => {
      timed.emulator.inject({ operation: 'CreateTrainingPlan', kind: 'latency', latencyMs: 600, times: 3 });

      const out = await timed.driver().create('Reservation', reservationProps());
      await realDelay(700);

      expect(out.status).toBe('FAILED');
      expect(timed.emulator.purchases()).toBe(1);
      expect(out.reason).not.toMatch(NOTHING_BOUGHT);
    });

    // SRC-5, still open in this form (fault suite seed 13, lifecycle 185;
    // src/reservation/handler/reservation-handler.ts, buy): two purchases
    // time out, the third is throttled; the reason says "was throttled 3 times
    // ... Nothing was bought" although the first completes 600 ms later.
    test('two timeouts then a throttle: the reason neither says "throttled 3 times" nor that nothing was bought', async () => {
      timed.emulator.inject({ operation: 'CreateTrainingPlan', kind: 'latency', latencyMs: 600, times: 2 });
      timed.emulator.inject({ operation: 'CreateTrainingPlan', kind: 'throttle' });

      const out = await timed.driver().create('Reservation', reservationProps());
      await realDelay(700);

      expect(out.status).toBe('FAILED');
      expect(timed.emulator.purchases()).toBe(1);
      expect(out.reason).not.toMatch(/throttled 3 times/);
      expect(out.reason).not.toMatch(NOTHING_BOUGHT);
    });
  });
});
