import { describedPlan, goodSpec, NOW, PLAN_NAME, pendingPlan, planArn } from './fixtures';
import {
  adoptionProblems,
  adoptionRefusal,
  CompletionContext,
  evaluateCompletion,
  PlanFacts,
  planAttributes,
  planFacts,
} from '../../src/reservation/handler/plan-state';

const ARN = planArn(PLAN_NAME);
/** When the deploy stops waiting: 57 minutes after NOW (a one-hour budget less the margin). */
const DEADLINE = new Date('2027-01-10T00:57:00.000Z');

function ctx(overrides: Partial<CompletionContext> = {}): CompletionContext {
  return { requireActive: false, now: NOW, deadline: DEADLINE, ...overrides };
}

function facts(...args: Parameters<typeof describedPlan>): PlanFacts {
  return planFacts(describedPlan(...args));
}

describe('planFacts', () => {
  test('reads a fully described plan', () => {
    expect(facts({ status: 'Active', az: 'us-east-1d', fee: '1234.50' })).toEqual({
      arn: ARN,
      name: PLAN_NAME,
      status: 'Active',
      statusMessage: undefined,
      instanceType: 'ml.p5.48xlarge',
      instanceCount: 2,
      durationHours: 48,
      startTime: new Date('2027-01-20T00:00:00.000Z'),
      endTime: new Date('2027-01-22T00:00:00.000Z'),
      upfrontFee: '1234.50',
      targetResources: ['endpoint'],
      currencyCode: 'USD',
      availabilityZone: 'us-east-1d',
    });
  });

  test('leaves what a Pending plan does not state undefined', () => {
    expect(planFacts(pendingPlan())).toEqual({
      arn: ARN,
      name: PLAN_NAME,
      status: 'Pending',
      statusMessage: undefined,
      instanceType: undefined,
      instanceCount: undefined,
      durationHours: undefined,
      startTime: undefined,
      endTime: undefined,
      upfrontFee: undefined,
      currencyCode: undefined,
      availabilityZone: undefined,
    });
  });

  test('adds DurationMinutes to the hours', () => {
    expect(facts({}, { DurationHours: 47, DurationMinutes: 30 }).durationHours).toBe(47.5);
    expect(facts({}, { DurationHours: undefined, DurationMinutes: 30 }).durationHours).toBeUndefined();
  });

  test('takes the instance count from the capacity block when the plan does not state it', () => {
    expect(facts({ count: 4 }, { TotalInstanceCount: undefined }).instanceCount).toBe(4);
  });

  test('keeps the status message of a failed plan', () => {
    expect(facts({ status: 'Failed', statusMessage: 'Capacity is no longer available' })).toMatchObject({
      status: 'Failed',
      statusMessage: 'Capacity is no longer available',
    });
  });

  test('says Unknown for a plan without a status, and empty strings for a missing ARN or name', () => {
    const f = planFacts({ TrainingPlanArn: undefined, TrainingPlanName: undefined, Status: undefined });
    expect(f.status).toBe('Unknown');
    expect(f.arn).toBe('');
    expect(f.name).toBe('');
  });
});

describe('adoptionProblems', () => {
  test.each(['Pending', 'Scheduled', 'Active'] as const)('adopts a matching %s plan', (status) => {
    expect(adoptionProblems(facts({ status }), goodSpec())).toEqual([]);
  });

  test('adopts a Pending plan whose facts are not known yet: unknown facts contradict nothing', () => {
    expect(adoptionProblems(planFacts(pendingPlan()), goodSpec())).toEqual([]);
  });

  test('adopts a plan inside the window when the spec sets no window', () => {
    expect(adoptionProblems(facts({ start: new Date('2031-01-01T00:00:00Z') }), goodSpec({ earliestStart: undefined, latestEnd: undefined }))).toEqual([]);
  });

  test('refuses an Expired plan', () => {
    expect(adoptionProblems(facts({ status: 'Expired' }), goodSpec())).toEqual(['it is Expired']);
  });

  test('refuses a Failed plan, with the service\'s reason', () => {
    expect(adoptionProblems(facts({ status: 'Failed', statusMessage: 'Insufficient capacity' }), goodSpec())).toEqual(['it is Failed (Insufficient capacity)']);
    expect(adoptionProblems(planFacts({ ...pendingPlan(), Status: 'Failed' }), goodSpec())).toEqual(['it is Failed']);
  });

  test('refuses another instance type', () => {
    expect(adoptionProblems(facts({ instanceType: 'ml.p4d.24xlarge' }), goodSpec())).toEqual(['it reserves ml.p4d.24xlarge, not ml.p5.48xlarge']);
  });

  test('refuses another instance count', () => {
    expect(adoptionProblems(facts({ count: 4 }), goodSpec())).toEqual(['it reserves 4 instances, not 2']);
  });

  test('refuses another duration', () => {
    expect(adoptionProblems(facts({ hours: 24 }), goodSpec())).toEqual(['it lasts 24 h, not 48 h']);
  });

  test('refuses a plan starting before the earliest start', () => {
    expect(adoptionProblems(facts({ start: new Date('2027-01-09T00:00:00Z') }), goodSpec()))
      .toEqual(['it starts 2027-01-09T00:00:00.000Z, before the earliest start 2027-01-10T00:00:00.000Z']);
  });

  test('refuses a plan ending after the latest end', () => {
    expect(adoptionProblems(facts({ start: new Date('2027-02-28T00:00:00Z') }), goodSpec()))
      .toEqual(['it ends 2027-03-02T00:00:00.000Z, after the latest end 2027-03-01T00:00:00.000Z']);
  });

  test('lists every problem at once', () => {
    expect(adoptionProblems(facts({ status: 'Expired', instanceType: 'ml.trn1.32xlarge', count: 8, hours: 96 }), goodSpec())).toEqual([
      'it is Expired',
      'it reserves ml.trn1.32xlarge, not ml.p5.48xlarge',
      'it reserves 8 instances, not 2',
      'it lasts 96 h, not 48 h',
    ]);
  });
});

describe('adoptionRefusal', () => {
  test('names what was asked, what was found, that nothing was bought, and suggests a new planName', () => {
    const found = facts({ count: 4 });
    const problems = adoptionProblems(found, goodSpec());
    const message = adoptionRefusal(found, goodSpec(), problems);
    expect(message).toBe(
      `A training plan named ${PLAN_NAME} already exists and cannot be used for this reservation: it reserves 4 instances, not 2. `
      + 'Asked for: 2 x ml.p5.48xlarge for 48 h between 2027-01-10T00:00:00.000Z and 2027-03-01T00:00:00.000Z, at most 5000 USD. '
      + `Found: plan ${PLAN_NAME} (Scheduled: 4 x ml.p5.48xlarge, 48 h, 2027-01-20T00:00:00.000Z to 2027-01-22T00:00:00.000Z). Nothing was bought. `
      + 'The plan name is how this library avoids buying twice, so it will not buy under this name again: '
      + 'set a new planName to buy a separate plan, or bind the existing one with TrainingPlanReservation.fromTrainingPlanArn.',
    );
  });

  test('for an Expired plan, says it is Expired and joins several problems', () => {
    const found = facts({ status: 'Expired', hours: 24 });
    const message = adoptionRefusal(found, goodSpec(), adoptionProblems(found, goodSpec()));
    expect(message).toContain('cannot be used for this reservation: it is Expired; it lasts 24 h, not 48 h. ');
    expect(message).toContain(`Found: plan ${PLAN_NAME} (Expired: 2 x ml.p5.48xlarge, 24 h,`);
    expect(message).toContain('set a new planName');
  });

  test('shows unknown facts as question marks', () => {
    const found = planFacts({ ...pendingPlan(), Status: 'Failed', StatusMessage: 'No capacity' });
    const message = adoptionRefusal(found, goodSpec(), adoptionProblems(found, goodSpec()));
    expect(message).toContain('it is Failed (No capacity)');
    expect(message).toContain(`Found: plan ${PLAN_NAME} (Failed: ? x ?, ? h, (none) to (none))`);
  });
});

describe('evaluateCompletion', () => {
  test('fails a Failed plan with the service\'s StatusMessage', () => {
    const verdict = evaluateCompletion(facts({ status: 'Failed', statusMessage: 'Capacity could not be fulfilled' }), ctx());
    expect(verdict).toEqual({
      kind: 'fail',
      message: `Training plan ${PLAN_NAME} failed: Capacity could not be fulfilled. Nothing more was bought. `
        + 'Check the service\'s reason above, then deploy again with a new planName to search anew.',
    });
  });

  test('fails a Failed plan without a StatusMessage, saying so', () => {
    const verdict = evaluateCompletion(planFacts({ ...pendingPlan(), Status: 'Failed' }), ctx({ requireActive: true }));
    expect(verdict).toMatchObject({ kind: 'fail' });
    expect((verdict as { message: string }).message).toContain(`Training plan ${PLAN_NAME} failed: the service gave no reason.`);
  });

  test.each([false, true])('completes an Active plan with its attributes (requireActive %s)', (requireActive) => {
    const plan = facts({ status: 'Active' });
    expect(evaluateCompletion(plan, ctx({ requireActive }))).toEqual({ kind: 'done', data: planAttributes(plan) });
  });

  test('completes an Active plan even after the deadline', () => {
    const plan = facts({ status: 'Active' });
    expect(evaluateCompletion(plan, ctx({ requireActive: true, now: new Date('2027-01-10T02:00:00Z') }))).toEqual({ kind: 'done', data: planAttributes(plan) });
  });

  describe('Scheduled', () => {
    test('completes when no endpoint needs it Active', () => {
      const plan = facts({ status: 'Scheduled' });
      const verdict = evaluateCompletion(plan, ctx({ requireActive: false }));
      expect(verdict).toEqual({ kind: 'done', data: planAttributes(plan) });
      expect(verdict.kind === 'done' && verdict.data.Status).toBe('Scheduled');
    });

    test('waits, with requireActive, for a plan starting before the deadline', () => {
      const plan = facts({ status: 'Scheduled', start: new Date('2027-01-10T00:30:00Z') });
      expect(evaluateCompletion(plan, ctx({ requireActive: true }))).toEqual({
        kind: 'wait',
        reason: `plan ${PLAN_NAME} is Scheduled, starting 2027-01-10T00:30:00.000Z`,
      });
    });

    test('waits, with requireActive, for a plan starting exactly at the deadline', () => {
      const plan = facts({ status: 'Scheduled', start: DEADLINE });
      expect(evaluateCompletion(plan, ctx({ requireActive: true })).kind).toBe('wait');
    });

    test('waits, with requireActive, when the start is not known', () => {
      const plan = planFacts({ ...pendingPlan(), Status: 'Scheduled' });
      expect(evaluateCompletion(plan, ctx({ requireActive: true }))).toEqual({ kind: 'wait', reason: `plan ${PLAN_NAME} is Scheduled, starting (none)` });
    });

    test('fails at once, with requireActive, when it starts after the deadline, advising deployEndpoint: false', () => {
      const plan = facts({ status: 'Scheduled', start: new Date('2027-01-20T00:00:00Z') });
      expect(evaluateCompletion(plan, ctx({ requireActive: true }))).toEqual({
        kind: 'fail',
        message: `Training plan ${PLAN_NAME} is Scheduled and starts 2027-01-20T00:00:00.000Z, after this deploy stops waiting (2027-01-10T00:57:00.000Z); `
          + 'an endpoint needs an Active plan. The plan is kept and nothing more was bought. '
          + 'Deploy with deployEndpoint: false now, and with deployEndpoint: true once the window has opened.',
      });
    });

    test('fails, with requireActive, when still Scheduled at the deadline, saying the next deploy adopts it', () => {
      const plan = facts({ status: 'Scheduled', start: new Date('2027-01-10T00:50:00Z') });
      const verdict = evaluateCompletion(plan, ctx({ requireActive: true, now: DEADLINE }));
      expect(verdict).toEqual({
        kind: 'fail',
        message: `Training plan ${PLAN_NAME} was still Scheduled when this deploy stopped waiting at 2027-01-10T00:57:00.000Z. `
          + 'The plan is kept; deploy again once it is Active: the next deploy adopts it and buys nothing.',
      });
    });
  });

  describe('Pending', () => {
    test.each([false, true])('waits before the deadline (requireActive %s)', (requireActive) => {
      expect(evaluateCompletion(planFacts(pendingPlan()), ctx({ requireActive }))).toEqual({ kind: 'wait', reason: `plan ${PLAN_NAME} is Pending` });
    });

    test('waits up to one millisecond before the deadline', () => {
      const now = new Date(DEADLINE.getTime() - 1);
      expect(evaluateCompletion(planFacts(pendingPlan()), ctx({ now })).kind).toBe('wait');
    });

    test.each([DEADLINE, new Date('2027-01-10T01:30:00Z')])('fails at or after the deadline (%s), saying the next deploy adopts it', (now) => {
      expect(evaluateCompletion(planFacts(pendingPlan()), ctx({ now }))).toEqual({
        kind: 'fail',
        message: `Training plan ${PLAN_NAME} was still Pending when this deploy stopped waiting at 2027-01-10T00:57:00.000Z. `
          + 'The purchase may still complete; the next deploy adopts the plan under the same name and buys nothing.',
      });
    });

    test('treats a status it does not know like Pending', () => {
      const plan = planFacts({ ...pendingPlan(), Status: undefined });
      expect(evaluateCompletion(plan, ctx())).toEqual({ kind: 'wait', reason: `plan ${PLAN_NAME} is Unknown` });
      expect(evaluateCompletion(plan, ctx({ now: DEADLINE })).kind).toBe('fail');
    });
  });

  describe('Expired', () => {
    test('fails with requireActive: an endpoint cannot run on it', () => {
      const plan = facts({ status: 'Expired', start: new Date('2026-12-01T00:00:00Z') });
      expect(evaluateCompletion(plan, ctx({ requireActive: true }))).toEqual({
        kind: 'fail',
        message: `Training plan ${PLAN_NAME} expired at 2026-12-03T00:00:00.000Z; an endpoint cannot run on it. `
          + 'To keep serving, reserve a new plan (set a new planName) or move the endpoint to on-demand capacity.',
      });
    });

    test('completes without requireActive, reporting Expired', () => {
      const plan = facts({ status: 'Expired', start: new Date('2026-12-01T00:00:00Z') });
      const verdict = evaluateCompletion(plan, ctx({ requireActive: false }));
      expect(verdict).toEqual({ kind: 'done', data: planAttributes(plan) });
      expect(verdict.kind === 'done' && verdict.data.Status).toBe('Expired');
    });
  });
});

describe('planAttributes', () => {
  test('returns every attribute as a string', () => {
    expect(planAttributes(facts({ status: 'Active', fee: '1234.50', az: 'us-east-1b' }))).toEqual({
      TrainingPlanArn: ARN,
      TrainingPlanName: PLAN_NAME,
      Status: 'Active',
      StartTime: '2027-01-20T00:00:00.000Z',
      EndTime: '2027-01-22T00:00:00.000Z',
      UpfrontFee: '1234.50',
      CurrencyCode: 'USD',
      AvailabilityZone: 'us-east-1b',
      InstanceType: 'ml.p5.48xlarge',
      InstanceCount: '2',
      Purchased: 'true',
      Report: `Reserved plan ${PLAN_NAME} (Active: 2 x ml.p5.48xlarge, 48 h, 2027-01-20T00:00:00.000Z to 2027-01-22T00:00:00.000Z), upfront fee 1234.50 USD`,
    });
  });

  test('returns empty strings for what the service did not state', () => {
    const data = planAttributes(planFacts(pendingPlan()));
    expect(data).toEqual({
      TrainingPlanArn: ARN,
      TrainingPlanName: PLAN_NAME,
      Status: 'Pending',
      StartTime: '',
      EndTime: '',
      UpfrontFee: '',
      CurrencyCode: '',
      AvailabilityZone: '',
      InstanceType: '',
      InstanceCount: '',
      Purchased: 'true',
      Report: `Reserved plan ${PLAN_NAME} (Pending: ? x ?, ? h, (none) to (none)), upfront fee ?`,
    });
    for (const value of Object.values(data)) {
      expect(typeof value).toBe('string');
    }
  });

  test('leaves OfferingId out, so the one onEvent returned after its purchase is not overwritten', () => {
    expect(Object.keys(planAttributes(facts({ status: 'Active' })))).not.toContain('OfferingId');
  });
});
