import { Duration, Token } from 'aws-cdk-lib';
import { formatInstant, formatSpan, show, typeName } from './format';
import { concreteInstanceTypeName, validateInstanceType } from './instance-type-rules';
import { parseIsoInstant } from './iso-time';
import { guarded, issue, neverThrows, ValidationIssue, ValidationResult } from './issue';
import {
  CURRENCY_CODE_PATTERN,
  DEFAULT_CURRENCY_CODE,
  FAR_FUTURE_DAYS,
  MAX_DURATION_DAYS,
  MIN_DURATION_DAYS,
  MIN_PLAUSIBLE_USD_PER_INSTANCE_HOUR,
  OFFERING_SELECTIONS,
  RESERVABLE_INSTANCE_COUNTS,
} from './limits';
import { validatePlanName } from './name-rules';
import { validateTags } from './tag-rules';
import { TrainingPlanReservationProps } from '../reservation/training-plan-props';

/**
 * Synth-time checks of what a reservation would buy.
 *
 * A training plan is charged in full at purchase and can never be cancelled,
 * so every input the service would refuse, or that would buy capacity the
 * endpoint cannot use, is refused here, before anything is deployed. Each
 * check that needs a concrete value is skipped when the value is still a
 * token: it is then the handler's job at deploy time.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Checks a reservation's props against the service's limits and against
 * `now` (synth time), e.g. `validateReservation(props, new Date(), 'reservation.')`.
 *
 * @param prefix prepended to every property name, for props nested in another construct's
 */
export function validateReservation(props: TrainingPlanReservationProps, now: Date, prefix: string = ''): ValidationResult {
  return neverThrows(prefix === '' ? 'props' : prefix.replace(/\.$/, ''), () => checkReservation(props, now, prefix));
}

function checkReservation(props: TrainingPlanReservationProps, now: Date, prefix: string): ValidationResult {
  const p = (name: string) => `${prefix}${name}`;
  if (typeof props !== 'object' || props === null) {
    const property = prefix === '' ? 'props' : prefix.replace(/\.$/, '');
    return { errors: [issue(property, `${property} is required: an object of reservation props; got ${show(props)}.`)], warnings: [] };
  }
  const nowMs = now.getTime();
  const errors: ValidationIssue[] = [];
  const warnings: ValidationIssue[] = [];

  errors.push(...guarded(p('instanceType'), () => validateInstanceType(props.instanceType, p('instanceType'), true)));
  errors.push(...guarded(p('instanceCount'), () => validateInstanceCount(props.instanceCount, p('instanceCount'))));

  const duration = checkDuration(props.duration, p('duration'));
  errors.push(...duration.issues);

  const earliest = checkInstant(props.earliestStart, p('earliestStart'));
  const latest = checkInstant(props.latestEnd, p('latestEnd'));
  errors.push(...earliest.issues, ...latest.issues);
  const window: WindowFacts = {
    earliestMs: earliest.epochMs,
    earliestText: props.earliestStart,
    earliestIsToken: earliest.isToken,
    latestMs: latest.epochMs,
    latestText: props.latestEnd,
    durationMs: duration.ms,
    nowMs,
    p,
  };
  errors.push(...guarded(p('latestEnd'), () => validateWindow(window)));
  warnings.push(...guarded(p('latestEnd'), () => warnWindowFromNow(window)));

  errors.push(...guarded(p('maxUpfrontFee'), () => validateMaxUpfrontFee(props.maxUpfrontFee, p('maxUpfrontFee'))));
  errors.push(...guarded(p('currencyCode'), () => validateCurrencyCode(props.currencyCode, p('currencyCode'))));
  errors.push(...guarded(p('selection'), () => validateSelection(props.selection, p('selection'))));
  errors.push(...guarded(p('planName'), () => validatePlanName(props.planName, p('planName'))));
  errors.push(...guarded(p('tags'), () => validateTags(props.tags, p('tags'))));
  errors.push(...guarded(p('purchase'), () => validateBoolean(props.purchase, p('purchase'))));
  errors.push(...guarded(p('waitForActive'), () => validateBoolean(props.waitForActive, p('waitForActive'))));

  if (earliest.epochMs !== undefined && earliest.epochMs > nowMs + FAR_FUTURE_DAYS * DAY_MS) {
    const ahead = Math.floor((earliest.epochMs - nowMs) / DAY_MS);
    warnings.push(issue(p('earliestStart'),
      `${p('earliestStart')} is ${show(props.earliestStart)}, ${ahead} days after synth time (${formatInstant(nowMs)}); ` +
      `capacity more than ${FAR_FUTURE_DAYS} days ahead is rarely offered, so the deploy may find no offering and fail without buying.`));
  }
  warnings.push(...guarded(p('maxUpfrontFee'), () => warnImplausibleFee(props, duration.ms, p)));

  return { errors, warnings };
}

function validateInstanceCount(count: unknown, property: string): ValidationIssue[] {
  const allowed = RESERVABLE_INSTANCE_COUNTS.join(', ');
  if (count === undefined) {
    return [issue(property, `${property} is required: one of ${allowed}; got undefined.`)];
  }
  if (typeof count !== 'number') {
    return [issue(property, `${property} must be a number, one of ${allowed}; got ${typeName(count)} ${show(count)}.`)];
  }
  if (Token.isUnresolved(count)) {
    return [];
  }
  if (!RESERVABLE_INSTANCE_COUNTS.includes(count)) {
    return [issue(property, `${property} must be one of ${allowed}; got ${show(count)}.`)];
  }
  return [];
}

function isDuration(value: unknown): value is Duration {
  // Duck-typed: two copies of aws-cdk-lib in one app defeat `instanceof`.
  const d = value as Partial<Duration> | undefined;
  return typeof d === 'object' && d !== null && typeof d.toMilliseconds === 'function' && typeof d.isUnresolved === 'function';
}

/**
 * Checks the duration and returns it in milliseconds when concrete and
 * valid, for the window and price checks that depend on it.
 */
function checkDuration(duration: unknown, property: string): { issues: ValidationIssue[]; ms?: number } {
  const allowed = `whole days from ${MIN_DURATION_DAYS} to ${MAX_DURATION_DAYS} (${MIN_DURATION_DAYS * 24} to ${MAX_DURATION_DAYS * 24} hours in steps of 24)`;
  if (duration === undefined) {
    return { issues: [issue(property, `${property} is required: ${allowed}, e.g. Duration.days(7); got undefined.`)] };
  }
  if (!isDuration(duration)) {
    return { issues: [issue(property, `${property} must be a Duration of ${allowed}, e.g. Duration.days(7); got ${typeName(duration)} ${show(duration)}.`)] };
  }
  let ms: number;
  try {
    if (duration.isUnresolved()) {
      // CloudFormation cannot multiply, so a token can only be passed on in the unit the handler reads.
      try {
        duration.toHours();
      } catch {
        return { issues: [issue(property, `${property} given as a token must be Duration.hours(token), the number of hours (a multiple of 24); got ${duration.toString()}.`)] };
      }
      return { issues: [] };
    }
    // integral: false, because the default throws for e.g. 1500 minutes instead of saying what is wrong.
    ms = duration.toMilliseconds({ integral: false });
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return { issues: [issue(property, `${property} must be ${allowed}; got ${duration.toString()}, which cannot be converted (${reason}).`)] };
  }
  if (!Number.isFinite(ms)) {
    return { issues: [issue(property, `${property} must be ${allowed}; got ${duration.toString()}.`)] };
  }
  const days = ms / DAY_MS;
  if (!Number.isInteger(days) || days < MIN_DURATION_DAYS || days > MAX_DURATION_DAYS) {
    return { issues: [issue(property, `${property} must be ${allowed}; got ${formatSpan(ms)} (${duration.toString()}).`)] };
  }
  return { issues: [], ms };
}

/** Checks one ISO-8601 instant; `epochMs` is set only when it is concrete and valid. */
function checkInstant(value: unknown, property: string): { issues: ValidationIssue[]; epochMs?: number; isToken?: boolean } {
  if (value === undefined) {
    return { issues: [] };
  }
  const allowed = 'ISO-8601 with a time zone (e.g. 2027-01-25T00:00:00Z)';
  if (typeof value !== 'string') {
    return { issues: [issue(property, `${property} must be a string, ${allowed}; got ${typeName(value)} ${show(value)}.`)] };
  }
  if (Token.isUnresolved(value)) {
    return { issues: [], isToken: true };
  }
  const parsed = parseIsoInstant(value);
  if (!parsed.ok) {
    return { issues: [issue(property, `${property} must be ${allowed}; got ${show(value)} (${parsed.reason}).`)] };
  }
  return { issues: [], epochMs: parsed.epochMs };
}

interface WindowFacts {
  readonly earliestMs?: number;
  readonly earliestText?: string;
  readonly earliestIsToken?: boolean;
  readonly latestMs?: number;
  readonly latestText?: string;
  readonly durationMs?: number;
  readonly nowMs: number;
  readonly p: (name: string) => string;
}

/**
 * Checks that the window, as written, can hold the plan: these mistakes are
 * wrong whenever the code is synthesised.
 */
function validateWindow(w: WindowFacts): ValidationIssue[] {
  if (w.latestMs === undefined || w.earliestMs === undefined) {
    return [];
  }
  const property = w.p('latestEnd');
  const latest = show(w.latestText);
  if (w.latestMs <= w.earliestMs) {
    return [issue(property, `${property} must be later than ${w.p('earliestStart')} (${show(w.earliestText)}); got ${latest}.`)];
  }
  if (w.durationMs !== undefined && w.latestMs - w.earliestMs < w.durationMs) {
    return [issue(property,
      `${property} must be at least ${w.p('duration')} (${formatSpan(w.durationMs)}) after ${w.p('earliestStart')} (${show(w.earliestText)}); got ${latest}, a window of ${formatSpan(w.latestMs - w.earliestMs)}.`)];
  }
  return [];
}

/**
 * Warns when the window, seen from synth time, can no longer hold a new
 * plan. This is a warning, not an error: once the window has opened, the
 * same code is synthesised again for as long as the stack lives (to change
 * the model, move to on-demand, or delete the stack), and the plan an earlier
 * deploy bought is adopted by name. A deploy that would have to buy finds
 * nothing that fits and fails without buying.
 */
function warnWindowFromNow(w: WindowFacts): ValidationIssue[] {
  if (w.latestMs === undefined) {
    return [];
  }
  const property = w.p('latestEnd');
  const latest = show(w.latestText);
  const adoptOnly = 'no new plan can be bought in this window; a deploy succeeds only by adopting the plan an earlier deploy bought under this name, and otherwise fails without buying.';
  if (w.latestMs <= w.nowMs) {
    return [issue(property, `${property} is ${latest}, before synth time (${formatInstant(w.nowMs)}): ${adoptOnly}`)];
  }
  if (w.durationMs === undefined || (w.earliestMs !== undefined && w.earliestMs > w.nowMs)) {
    return [];
  }
  const windowMs = w.latestMs - w.nowMs;
  if (windowMs < w.durationMs) {
    const from = `synth time (${formatInstant(w.nowMs)})${w.earliestIsToken ? `, the earliest ${w.p('earliestStart')} can be` : ''}`;
    return [issue(property,
      `${property} is ${latest}, only ${formatSpan(windowMs)} after ${from}, less than ${w.p('duration')} (${formatSpan(w.durationMs)}): ${adoptOnly}`)];
  }
  return [];
}

function validateMaxUpfrontFee(fee: unknown, property: string): ValidationIssue[] {
  const allowed = 'a finite number greater than 0 (the most the plan may cost, in currencyCode)';
  if (fee === undefined) {
    return [issue(property, `${property} is required: ${allowed}; got undefined.`)];
  }
  if (typeof fee !== 'number') {
    return [issue(property, `${property} must be ${allowed}; got ${typeName(fee)} ${show(fee)}.`)];
  }
  if (Token.isUnresolved(fee)) {
    return [];
  }
  if (!Number.isFinite(fee) || fee <= 0) {
    return [issue(property, `${property} must be ${allowed}; got ${show(fee)}.`)];
  }
  return [];
}

function validateCurrencyCode(code: unknown, property: string): ValidationIssue[] {
  if (code === undefined) {
    return [];
  }
  if (typeof code === 'string' && Token.isUnresolved(code)) {
    return [];
  }
  if (typeof code !== 'string' || !CURRENCY_CODE_PATTERN.test(code)) {
    return [issue(property, `${property} must be an ISO 4217 code of three upper-case letters (e.g. ${show(DEFAULT_CURRENCY_CODE)}); got ${show(code)}.`)];
  }
  return [];
}

function validateSelection(selection: unknown, property: string): ValidationIssue[] {
  if (selection === undefined) {
    return [];
  }
  if (typeof selection === 'string' && (Token.isUnresolved(selection) || OFFERING_SELECTIONS.includes(selection))) {
    return [];
  }
  return [issue(property, `${property} must be one of ${OFFERING_SELECTIONS.join(', ')} (OfferingSelection); got ${show(selection)}.`)];
}

/**
 * JavaScript callers can pass `'false'`, which is truthy: for `purchase`
 * that buys a plan the caller meant as a dry run.
 */
function validateBoolean(value: unknown, property: string): ValidationIssue[] {
  if (value === undefined || typeof value === 'boolean') {
    return [];
  }
  if (typeof value === 'string' && Token.isUnresolved(value)) {
    return [];
  }
  return [issue(property, `${property} must be true or false; got ${typeName(value)} ${show(value)}.`)];
}

/** A budget below the price floor of what is asked for cannot buy anything: say so before the deploy searches in vain. */
function warnImplausibleFee(props: TrainingPlanReservationProps, durationMs: number | undefined, p: (name: string) => string): ValidationIssue[] {
  const fee = props.maxUpfrontFee;
  const count = props.instanceCount;
  const currency = props.currencyCode ?? DEFAULT_CURRENCY_CODE;
  const type = concreteInstanceTypeName(props.instanceType);
  if (durationMs === undefined || type === undefined || currency !== DEFAULT_CURRENCY_CODE) {
    return [];
  }
  if (typeof fee !== 'number' || Token.isUnresolved(fee) || !Number.isFinite(fee) || fee <= 0) {
    return [];
  }
  if (typeof count !== 'number' || Token.isUnresolved(count) || !RESERVABLE_INSTANCE_COUNTS.includes(count)) {
    return [];
  }
  const perInstanceHour = MIN_PLAUSIBLE_USD_PER_INSTANCE_HOUR[type];
  if (perInstanceHour === undefined) {
    return [];
  }
  const hours = durationMs / HOUR_MS;
  const floor = perInstanceHour * count * hours;
  if (fee >= floor) {
    return [];
  }
  const property = p('maxUpfrontFee');
  return [issue(property,
    `${property} is ${fee} ${DEFAULT_CURRENCY_CODE}, far below any plausible price for ${count} x ${type} for ${hours} hours ` +
    `(at least about ${floor} ${DEFAULT_CURRENCY_CODE}, at a floor of ${perInstanceHour} ${DEFAULT_CURRENCY_CODE} per instance-hour, ` +
    'a tenth of on-demand prices); the search will most likely find nothing affordable and the deploy will fail without buying.')];
}
