import type { DescribeTrainingPlanResponse } from '@aws-sdk/client-sagemaker';
import { ReservationAttribute, ReservationAttributes } from '../contract';

export type PlanAttributes = Omit<ReservationAttributes, typeof ReservationAttribute.OFFERING_ID>;
import { ReservationSpec, describeAsk, iso } from './reservation-spec';

/** Statuses in which a plan found under our name may be adopted instead of bought. */
const ADOPTABLE = new Set(['Pending', 'Scheduled', 'Active']);

/** A plan as far as adoption and completion need to know it. */
export interface PlanFacts {
  readonly arn: string;
  readonly name: string;
  readonly status: string;
  readonly statusMessage?: string;
  readonly instanceType?: string;
  readonly instanceCount?: number;
  readonly durationHours?: number;
  readonly startTime?: Date;
  readonly endTime?: Date;
  readonly upfrontFee?: string;
  readonly currencyCode?: string;
  readonly availabilityZone?: string;
  readonly targetResources?: readonly string[];
}

export function planFacts(plan: DescribeTrainingPlanResponse): PlanFacts {
  const block = plan.ReservedCapacitySummaries?.[0];
  const hours = plan.DurationHours === undefined ? undefined : plan.DurationHours + (plan.DurationMinutes ?? 0) / 60;
  return {
    arn: plan.TrainingPlanArn ?? '',
    name: plan.TrainingPlanName ?? '',
    status: plan.Status ?? 'Unknown',
    statusMessage: plan.StatusMessage,
    instanceType: block?.InstanceType,
    instanceCount: plan.TotalInstanceCount ?? block?.TotalInstanceCount,
    durationHours: hours,
    startTime: plan.StartTime,
    endTime: plan.EndTime,
    upfrontFee: plan.UpfrontFee,
    currencyCode: plan.CurrencyCode,
    availabilityZone: block?.AvailabilityZone,
    targetResources: plan.TargetResources,
  };
}

export function describePlan(p: PlanFacts): string {
  return `plan ${p.name} (${p.status}: ${p.instanceCount ?? '?'} x ${p.instanceType ?? '?'}, ${p.durationHours ?? '?'} h, ${iso(p.startTime)} to ${iso(p.endTime)})`;
}

/**
 * Why a plan found under this reservation's name must not be adopted; empty
 * when it may. The name is the idempotency key, so a plan that carries it but
 * does not match the spec is someone's earlier purchase, never a reason to buy
 * again.
 */
export function adoptionProblems(p: PlanFacts, spec: ReservationSpec): string[] {
  const problems: string[] = [];
  if (!ADOPTABLE.has(p.status)) {
    problems.push(`it is ${p.status}${p.statusMessage ? ` (${p.statusMessage})` : ''}`);
  }
  return [...problems, ...specProblems(p, spec)];
}

/**
 * Where a plan contradicts the purchase spec, whatever its status. A plan
 * this resource already holds is judged by this alone: it may have expired
 * since, and a rollback to its properties must still succeed.
 */
export function specProblems(p: PlanFacts, spec: ReservationSpec): string[] {
  const problems: string[] = [];
  // Facts the service did not state (e.g. while Pending) cannot contradict the spec.
  if (p.targetResources !== undefined && !p.targetResources.includes('endpoint')) problems.push(`it serves ${p.targetResources.join(', ')}, not endpoints`);
  if (p.instanceType !== undefined && p.instanceType !== spec.instanceType) problems.push(`it reserves ${p.instanceType}, not ${spec.instanceType}`);
  if (p.instanceCount !== undefined && p.instanceCount !== spec.instanceCount) problems.push(`it reserves ${p.instanceCount} instances, not ${spec.instanceCount}`);
  if (p.durationHours !== undefined && p.durationHours !== spec.durationHours) problems.push(`it lasts ${p.durationHours} h, not ${spec.durationHours} h`);
  if (p.startTime && spec.earliestStart && p.startTime.getTime() < spec.earliestStart.getTime()) problems.push(`it starts ${iso(p.startTime)}, before the earliest start ${iso(spec.earliestStart)}`);
  if (p.endTime && spec.latestEnd && p.endTime.getTime() > spec.latestEnd.getTime()) problems.push(`it ends ${iso(p.endTime)}, after the latest end ${iso(spec.latestEnd)}`);
  return problems;
}

export function adoptionRefusal(p: PlanFacts, spec: ReservationSpec, problems: string[]): string {
  return `A training plan named ${p.name} already exists and cannot be used for this reservation: ${problems.join('; ')}. `
    + `Asked for: ${describeAsk(spec)}. Found: ${describePlan(p)}. Nothing was bought. `
    + 'The plan name is how this library avoids buying twice, so it will not buy under this name again: '
    + 'set a new planName to buy a separate plan, or bind the existing one with TrainingPlanReservation.fromTrainingPlanArn.';
}

export type Completion =
  | { readonly kind: 'done'; readonly data: PlanAttributes }
  | { readonly kind: 'wait'; readonly reason: string }
  | { readonly kind: 'fail'; readonly message: string };

export interface CompletionContext {
  readonly requireActive: boolean;
  readonly now: Date;
  /** When this deploy stops waiting; set a little before the provider's own timeout. */
  readonly deadline: Date;
}

/**
 * Whether the reservation resource is complete, given the plan's status.
 *
 * An endpoint cannot use a Scheduled plan, so with `requireActive` only
 * Active completes, and a plan that cannot become Active before the deadline
 * fails at once instead of holding the stack for an hour.
 */
export function evaluateCompletion(p: PlanFacts, ctx: CompletionContext): Completion {
  const minutesWaited = (what: string) => `${what} when this deploy stopped waiting at ${ctx.deadline.toISOString()}`;
  switch (p.status) {
    case 'Failed':
      return { kind: 'fail', message: `Training plan ${p.name} failed: ${(p.statusMessage ?? 'the service gave no reason').replace(/\.+$/, '')}. Nothing more was bought. Check the service's reason above, then deploy again with a new planName to search anew.` };
    case 'Active':
      return { kind: 'done', data: planAttributes(p) };
    case 'Expired':
      if (ctx.requireActive) {
        return { kind: 'fail', message: `Training plan ${p.name} expired at ${iso(p.endTime)}; an endpoint cannot run on it. To keep serving, reserve a new plan (set a new planName) or move the endpoint to on-demand capacity.` };
      }
      return { kind: 'done', data: planAttributes(p) };
    case 'Scheduled':
      if (!ctx.requireActive) return { kind: 'done', data: planAttributes(p) };
      if (p.startTime && p.startTime.getTime() > ctx.deadline.getTime()) {
        return { kind: 'fail', message: `Training plan ${p.name} is Scheduled and starts ${iso(p.startTime)}, after this deploy stops waiting (${ctx.deadline.toISOString()}); an endpoint needs an Active plan. The plan is kept and nothing more was bought. Deploy with deployEndpoint: false now, and with deployEndpoint: true once the window has opened.` };
      }
      if (ctx.now.getTime() >= ctx.deadline.getTime()) {
        return { kind: 'fail', message: `${minutesWaited(`Training plan ${p.name} was still Scheduled`)}. The plan is kept; deploy again once it is Active: the next deploy adopts it and buys nothing.` };
      }
      return { kind: 'wait', reason: `plan ${p.name} is Scheduled, starting ${iso(p.startTime)}` };
    case 'Pending':
    default:
      if (ctx.now.getTime() >= ctx.deadline.getTime()) {
        return { kind: 'fail', message: `${minutesWaited(`Training plan ${p.name} was still ${p.status}`)}. The purchase may still complete; the next deploy adopts the plan under the same name and buys nothing.` };
      }
      return { kind: 'wait', reason: `plan ${p.name} is ${p.status}` };
  }
}

/**
 * The plan's attributes. OfferingId is left out: a plan does not state the
 * offering it was bought from, and an empty value would overwrite the one
 * onEvent returned after its purchase.
 */
export function planAttributes(p: PlanFacts): PlanAttributes {
  return {
    [ReservationAttribute.PLAN_ARN]: p.arn,
    [ReservationAttribute.PLAN_NAME]: p.name,
    [ReservationAttribute.STATUS]: p.status,
    [ReservationAttribute.START_TIME]: p.startTime ? p.startTime.toISOString() : '',
    [ReservationAttribute.END_TIME]: p.endTime ? p.endTime.toISOString() : '',
    [ReservationAttribute.UPFRONT_FEE]: p.upfrontFee ?? '',
    [ReservationAttribute.CURRENCY_CODE]: p.currencyCode ?? '',
    [ReservationAttribute.AVAILABILITY_ZONE]: p.availabilityZone ?? '',
    [ReservationAttribute.INSTANCE_TYPE]: p.instanceType ?? '',
    [ReservationAttribute.INSTANCE_COUNT]: p.instanceCount === undefined ? '' : String(p.instanceCount),
    [ReservationAttribute.PURCHASED]: 'true',
    [ReservationAttribute.REPORT]: `Reserved ${describePlan(p)}, upfront fee ${p.upfrontFee ?? '?'} ${p.currencyCode ?? ''}`.trim(),
  };
}
