import { parseIsoInstant } from '../../validation/iso-time';
import { RESERVABLE_INSTANCE_COUNTS } from '../../validation/limits';
import { DRY_RUN_ID_PREFIX, ReservationResourceProperties } from '../contract';
import { ReservationError } from './reservation-error';

/** The resource properties, parsed once from CloudFormation's strings. */
export interface ReservationSpec {
  readonly planName: string;
  readonly instanceType: string;
  readonly instanceCount: number;
  readonly durationHours: number;
  readonly earliestStart?: Date;
  readonly latestEnd?: Date;
  readonly maxUpfrontFee: number;
  /** The budget exactly as CloudFormation sent it, for exact comparison with fees. */
  readonly maxUpfrontFeeText: string;
  readonly currencyCode: string;
  readonly selection: string;
  readonly requireActive: boolean;
  readonly purchase: boolean;
  readonly waitBudgetSeconds: number;
  readonly tags: ReadonlyArray<{ readonly Key: string; readonly Value: string }>;
}

function positiveNumber(name: string, value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || !/^\d+(\.\d+)?$/.test(value.trim()) || !Number.isFinite(n) || n <= 0) {
    throw new ReservationError(`Resource property ${name} must be a positive number; got ${JSON.stringify(value)}. Nothing was bought.`);
  }
  return n;
}

/** The same strict parser synth uses: a window must mean the same instant on every machine. */
function optionalDate(name: string, value: string | undefined): Date | undefined {
  if (value === undefined || value === '') {
    return undefined;
  }
  const parsed = parseIsoInstant(value);
  if (!parsed.ok) {
    throw new ReservationError(`Resource property ${name} must be an ISO-8601 time with a time zone; got ${JSON.stringify(value)} (${parsed.reason}). Nothing was bought.`);
  }
  return new Date(parsed.epochMs);
}

function oneOf(name: string, value: string | undefined, allowed: readonly number[]): number {
  const n = positiveNumber(name, value);
  if (!allowed.includes(n)) {
    throw new ReservationError(`Resource property ${name} must be one of ${allowed.join(', ')}; got ${JSON.stringify(value)}. Nothing was bought.`);
  }
  return n;
}

function wholeDaysInHours(name: string, value: string | undefined): number {
  const n = positiveNumber(name, value);
  if (!/^\d+$/.test(value!.trim()) || n % 24 !== 0) {
    throw new ReservationError(`Resource property ${name} must be a whole number of days in hours (24, 48, ...); got ${JSON.stringify(value)}. Nothing was bought.`);
  }
  return n;
}

/** Fails closed: only the exact strings CloudFormation renders for booleans are accepted. */
function flag(name: string, value: string | undefined, absent: boolean): boolean {
  if (value === undefined) return absent;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new ReservationError(`Resource property ${name} must be "true" or "false"; got ${JSON.stringify(value)}. Nothing was bought.`);
}

/**
 * Parses and re-checks the properties. Synth validated them already; this
 * guards against templates edited by hand, where a bad value must still fail
 * before anything is bought.
 */
export function parseReservationSpec(props: ReservationResourceProperties): ReservationSpec {
  if (!props.PlanName) {
    throw new ReservationError('Resource property PlanName is missing. Nothing was bought.');
  }
  if (!props.InstanceType) {
    throw new ReservationError('Resource property InstanceType is missing. Nothing was bought.');
  }
  return {
    planName: props.PlanName,
    instanceType: props.InstanceType,
    instanceCount: oneOf('InstanceCount', props.InstanceCount, RESERVABLE_INSTANCE_COUNTS),
    durationHours: wholeDaysInHours('DurationHours', props.DurationHours),
    earliestStart: optionalDate('EarliestStart', props.EarliestStart),
    latestEnd: optionalDate('LatestEnd', props.LatestEnd),
    maxUpfrontFee: positiveNumber('MaxUpfrontFee', props.MaxUpfrontFee),
    maxUpfrontFeeText: props.MaxUpfrontFee.trim(),
    currencyCode: props.CurrencyCode || 'USD',
    selection: props.Selection || 'CHEAPEST',
    requireActive: flag('RequireActive', props.RequireActive, false),
    purchase: flag('Purchase', props.Purchase, true),
    waitBudgetSeconds: positiveNumber('WaitBudgetSeconds', props.WaitBudgetSeconds),
    tags: props.Tags ?? [],
  };
}

/**
 * The fields that define what was bought. A plan cannot be modified, so a
 * change to any of them cannot be applied to the existing plan.
 */
export function purchaseSpecChanges(before: ReservationSpec, after: ReservationSpec): string[] {
  const changes: string[] = [];
  const same = (a?: Date, b?: Date) => (a?.getTime() ?? null) === (b?.getTime() ?? null);
  if (before.instanceType !== after.instanceType) changes.push(`instance type ${before.instanceType} -> ${after.instanceType}`);
  if (before.instanceCount !== after.instanceCount) changes.push(`instance count ${before.instanceCount} -> ${after.instanceCount}`);
  if (before.durationHours !== after.durationHours) changes.push(`duration ${before.durationHours} h -> ${after.durationHours} h`);
  if (!same(before.earliestStart, after.earliestStart)) changes.push(`earliest start ${iso(before.earliestStart)} -> ${iso(after.earliestStart)}`);
  if (!same(before.latestEnd, after.latestEnd)) changes.push(`latest end ${iso(before.latestEnd)} -> ${iso(after.latestEnd)}`);
  return changes;
}

export function iso(d: Date | undefined): string {
  return d ? d.toISOString() : '(none)';
}

export function isDryRunId(physicalId: string | undefined): boolean {
  return physicalId !== undefined && physicalId.startsWith(DRY_RUN_ID_PREFIX);
}

export function dryRunId(planName: string): string {
  return `${DRY_RUN_ID_PREFIX}${planName}`;
}

/** A one-line description of what is asked for, used in every failure message. */
export function describeAsk(spec: ReservationSpec): string {
  const window = `between ${spec.earliestStart ? iso(spec.earliestStart) : 'now'} and ${spec.latestEnd ? iso(spec.latestEnd) : 'any time'}`;
  return `${spec.instanceCount} x ${spec.instanceType} for ${spec.durationHours} h ${window}, at most ${spec.maxUpfrontFee} ${spec.currencyCode}`;
}
