import { CapacityFacts } from './catalogue';
import { msToEpochSeconds } from './validate';

export type TrainingPlanStatus = 'Pending' | 'Scheduled' | 'Active' | 'Expired' | 'Failed';

export interface PlanTag {
  readonly Key: string;
  readonly Value: string;
}

/** A training plan in the emulated account, as the emulator holds it. */
export interface PlanRecord extends CapacityFacts {
  readonly seq: number;
  readonly name: string;
  readonly arn: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly tags: readonly PlanTag[];
  readonly createdMs: number;
  /** End of the Pending phase (createdMs + pendingSeconds). */
  readonly pendingUntilMs: number;
  readonly reservedCapacityArn: string;
  /** true: seeded with preloadPlan(), not bought through CreateTrainingPlan. */
  readonly preloaded: boolean;
  /** Set: the purchase fails once its pending time is over, with this StatusMessage. */
  failureMessage?: string;
  /** true: stays Pending whatever the clock says. */
  stuckPending: boolean;
  /** Set: this status whatever the clock says (preloadPlan with an explicit status). */
  pinnedStatus?: TrainingPlanStatus;
}

/** A training plan as `SageMakerEmulator.plans()` reports it (a snapshot). */
export interface EmulatorPlan extends CapacityFacts {
  readonly name: string;
  readonly arn: string;
  readonly startTime: Date;
  readonly endTime: Date;
  readonly tags: readonly PlanTag[];
  readonly createdAt: Date;
  /** The status at the emulator's current time. */
  readonly status: TrainingPlanStatus;
  readonly statusMessage?: string;
  readonly reservedCapacityArn: string;
  readonly preloaded: boolean;
}

/** The plan's status: a pure function of the emulator clock. */
export function planStatus(plan: PlanRecord, nowMs: number): TrainingPlanStatus {
  if (plan.pinnedStatus) {
    return plan.pinnedStatus;
  }
  if (plan.stuckPending || nowMs < plan.pendingUntilMs) {
    return 'Pending';
  }
  if (plan.failureMessage !== undefined) {
    return 'Failed';
  }
  if (nowMs < plan.startMs) {
    return 'Scheduled';
  }
  return nowMs < plan.endMs ? 'Active' : 'Expired';
}

export function planStatusMessage(plan: PlanRecord, status: TrainingPlanStatus): string | undefined {
  return status === 'Failed' ? plan.failureMessage ?? 'The training plan could not be fulfilled.' : undefined;
}

export function snapshotPlan(plan: PlanRecord, nowMs: number): EmulatorPlan {
  const status = planStatus(plan, nowMs);
  return {
    name: plan.name,
    arn: plan.arn,
    offeringId: plan.offeringId,
    upfrontFee: plan.upfrontFee,
    currencyCode: plan.currencyCode,
    instanceType: plan.instanceType,
    instanceCount: plan.instanceCount,
    availabilityZone: plan.availabilityZone,
    startTime: new Date(plan.startMs),
    endTime: new Date(plan.endMs),
    durationHours: plan.durationHours,
    targetResources: [...plan.targetResources],
    tags: plan.tags.map((t) => ({ ...t })),
    createdAt: new Date(plan.createdMs),
    status,
    statusMessage: planStatusMessage(plan, status),
    reservedCapacityArn: plan.reservedCapacityArn,
    preloaded: plan.preloaded,
  };
}

function compact(obj: Record<string, unknown>): Record<string, unknown> {
  for (const k of Object.keys(obj)) {
    if (obj[k] === undefined) {
      delete obj[k];
    }
  }
  return obj;
}

/**
 * The wire form of a plan: the members of `DescribeTrainingPlanResponse` that apply to an
 * instance (non-UltraServer) plan. `TrainingPlanSummary` is the same minus the instance-health
 * members, which this emulator does not report anyway.
 */
export function renderPlan(plan: PlanRecord, nowMs: number): Record<string, unknown> {
  const status = planStatus(plan, nowMs);
  const available = status === 'Active' ? plan.instanceCount : 0;
  return compact({
    TrainingPlanArn: plan.arn,
    TrainingPlanName: plan.name,
    Status: status,
    StatusMessage: planStatusMessage(plan, status),
    DurationHours: plan.durationHours,
    DurationMinutes: 0,
    StartTime: msToEpochSeconds(plan.startMs),
    EndTime: msToEpochSeconds(plan.endMs),
    UpfrontFee: plan.upfrontFee,
    CurrencyCode: plan.currencyCode,
    TotalInstanceCount: plan.instanceCount,
    AvailableInstanceCount: available,
    InUseInstanceCount: 0,
    TargetResources: [...plan.targetResources],
    ReservedCapacitySummaries: [{
      ReservedCapacityArn: plan.reservedCapacityArn,
      ReservedCapacityType: 'Instance',
      InstanceType: plan.instanceType,
      TotalInstanceCount: plan.instanceCount,
      Status: status,
      AvailabilityZone: plan.availabilityZone,
      DurationHours: plan.durationHours,
      DurationMinutes: 0,
      StartTime: msToEpochSeconds(plan.startMs),
      EndTime: msToEpochSeconds(plan.endMs),
    }],
  });
}
