import type { TrainingPlanOffering } from '@aws-sdk/client-sagemaker';
import { compareDecimal, isDecimal } from './decimal';
import { ReservationSpec } from './reservation-spec';

/** An offering that passed every filter, with the fields selection needs. */
export interface Candidate {
  readonly offeringId: string;
  readonly upfrontFee: number;
  readonly upfrontFeeText: string;
  readonly currencyCode: string;
  readonly startTime: Date;
  readonly endTime: Date;
  readonly availabilityZone: string;
  readonly instanceType: string;
  readonly instanceCount: number;
  readonly durationHours: number;
  /** Position in the service's answer: 0 is its best match. */
  readonly rank: number;
}

export interface Rejection {
  readonly offeringId: string;
  readonly reason: string;
  /** Set when the only reason is the price, so the error can name the cheapest. */
  readonly overBudgetFee?: number;
  readonly currencyCode?: string;
}

export interface FilterResult {
  readonly eligible: Candidate[];
  readonly rejected: Rejection[];
}

export interface FilterOptions {
  /**
   * An offering starting after this cannot become Active before the deploy
   * gives up waiting; undefined when the deploy does not wait for Active.
   */
  readonly latestStart?: Date;
  /** Capacity that starts before this (now) cannot be bought as asked. */
  readonly notBefore?: Date;
}


/**
 * Keeps only offerings this reservation can safely buy.
 *
 * The service is asked for exactly this capacity, but its answer is not
 * trusted: every condition is checked again here, because buying the wrong
 * thing cannot be undone. An offering split into several capacity blocks is
 * refused too: an endpoint needs one contiguous block, or it stops serving
 * between blocks.
 */
export function filterOfferings(offerings: readonly TrainingPlanOffering[], spec: ReservationSpec, options: FilterOptions = {}): FilterResult {
  const eligible: Candidate[] = [];
  const rejected: Rejection[] = [];
  offerings.forEach((o, rank) => {
    const verdict = judge(o, rank, spec, options);
    if ('reason' in verdict) {
      rejected.push(verdict);
    } else {
      eligible.push(verdict);
    }
  });
  return { eligible, rejected };
}

function judge(o: TrainingPlanOffering, rank: number, spec: ReservationSpec, options: FilterOptions): Candidate | Rejection {
  const id = o.TrainingPlanOfferingId ?? '(no id)';
  const reject = (reason: string, extra: Partial<Rejection> = {}): Rejection => ({ offeringId: id, reason, ...extra });
  if (!o.TrainingPlanOfferingId) return reject('it has no offering id');
  if (!(o.TargetResources ?? []).includes('endpoint')) return reject(`it targets ${(o.TargetResources ?? []).join(', ') || 'nothing'}, not endpoints`);
  const blocks = o.ReservedCapacityOfferings ?? [];
  if (blocks.length !== 1) return reject(`it is split into ${blocks.length} capacity blocks; an endpoint needs one contiguous block`);
  const block = blocks[0];
  if (block.InstanceType !== spec.instanceType) return reject(`it reserves ${block.InstanceType}, not ${spec.instanceType}`);
  if (block.InstanceCount !== spec.instanceCount) return reject(`it reserves ${block.InstanceCount} instances, not ${spec.instanceCount}`);
  const hours = (o.DurationHours ?? 0) + (o.DurationMinutes ?? 0) / 60;
  if (hours !== spec.durationHours) return reject(`it lasts ${hours} h, not ${spec.durationHours} h`);
  const start = block.StartTime;
  const end = block.EndTime;
  if (!start || !end) return reject('it states no start or end time');
  const blockHours = (end.getTime() - start.getTime()) / 3_600_000;
  if (blockHours !== spec.durationHours) return reject(`its capacity block runs ${blockHours} h (${start.toISOString()} to ${end.toISOString()}), not ${spec.durationHours} h`);
  if (options.notBefore && start.getTime() < options.notBefore.getTime()) return reject(`it starts ${start.toISOString()}, in the past`);
  if (spec.earliestStart && start.getTime() < spec.earliestStart.getTime()) return reject(`it starts ${start.toISOString()}, before the earliest start`);
  if (spec.latestEnd && end.getTime() > spec.latestEnd.getTime()) return reject(`it ends ${end.toISOString()}, after the latest end`);
  if (options.latestStart && start.getTime() > options.latestStart.getTime()) {
    return reject(`it starts ${start.toISOString()}, too late to become Active before this deploy stops waiting (${options.latestStart.toISOString()})`);
  }
  const feeText = o.UpfrontFee;
  if (feeText === undefined || !isDecimal(feeText.trim())) return reject(`it states no usable upfront fee (${JSON.stringify(feeText)})`);
  if (o.CurrencyCode !== spec.currencyCode) return reject(`it is priced in ${o.CurrencyCode ?? 'no stated currency'}, not ${spec.currencyCode}`);
  const fee = Number(feeText.trim());
  if (compareDecimal(feeText.trim(), spec.maxUpfrontFeeText) > 0) {
    return reject(`its upfront fee ${feeText} ${o.CurrencyCode} is above the budget of ${spec.maxUpfrontFee}`, { overBudgetFee: fee, currencyCode: o.CurrencyCode });
  }
  return {
    offeringId: o.TrainingPlanOfferingId,
    upfrontFee: fee,
    upfrontFeeText: feeText.trim(),
    currencyCode: o.CurrencyCode,
    startTime: start,
    endTime: end,
    availabilityZone: block.AvailabilityZone ?? '',
    instanceType: block.InstanceType,
    instanceCount: block.InstanceCount,
    durationHours: hours,
    rank,
  };
}

/** Breaks the tie among eligible offerings; every one of them is within budget. */
export function selectOffering(eligible: readonly Candidate[], selection: string): Candidate | undefined {
  const byRank = (a: Candidate, b: Candidate) => a.rank - b.rank;
  const byFee = (a: Candidate, b: Candidate) => a.upfrontFee - b.upfrontFee;
  const byStart = (a: Candidate, b: Candidate) => a.startTime.getTime() - b.startTime.getTime();
  const order: Array<(a: Candidate, b: Candidate) => number> =
    selection === 'BEST_MATCH' ? [byRank]
      : selection === 'EARLIEST_START' ? [byStart, byFee, byRank]
        : [byFee, byStart, byRank];
  return [...eligible].sort((a, b) => {
    for (const cmp of order) {
      const c = cmp(a, b);
      if (c !== 0) return c;
    }
    return 0;
  })[0];
}

/** The cheapest offering that was refused only for its price, for the error message. */
export function cheapestOverBudget(rejected: readonly Rejection[]): Rejection | undefined {
  return rejected
    .filter((r) => r.overBudgetFee !== undefined)
    .sort((a, b) => (a.overBudgetFee ?? 0) - (b.overBudgetFee ?? 0))[0];
}
