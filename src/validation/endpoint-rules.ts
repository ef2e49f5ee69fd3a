import { Token } from 'aws-cdk-lib';
import { validateTrainingPlanArn } from './arn-rules';
import { formatInstant, formatSpan, show, typeName } from './format';
import { concreteInstanceTypeName, validateInstanceType } from './instance-type-rules';
import { parseIsoInstant } from './iso-time';
import { guarded, issue, mergeResults, neverThrows, ValidationIssue, ValidationResult } from './issue';
import { MAX_RESERVABLE_INSTANCE_COUNT, RESERVABLE_INSTANCE_TYPES } from './limits';
import { validateEndpointName, validateModelName } from './name-rules';
import { validateReservation } from './reservation-rules';
import { ReservedInferenceEndpointProps } from '../endpoint/reserved-inference-endpoint-props';

/**
 * Synth-time checks of an endpoint on reserved capacity.
 *
 * Under `capacity-reservations-only` an endpoint runs only on the plan's
 * instances: another type, more instances than reserved or a plan that is
 * not yet Active all fail at deploy, possibly after the plan was bought in
 * the same deploy. Those are refused here.
 */

/** What is known at synth of the capacity the endpoint will run on. */
export interface PlanFacts {
  /** The reserved instance type's name (possibly a token), when known. */
  readonly instanceType?: string;
  /** The reserved instance count (possibly a token), when known. */
  readonly instanceCount?: number;
}

/**
 * What the props say of the reserved capacity, as `validateEndpoint` expects
 * it: from the reservation when one is given, else from the imported plan.
 */
export function planFactsOf(props: ReservedInferenceEndpointProps): PlanFacts {
  const source: { instanceType?: unknown; instanceCount?: unknown } | undefined = props.reservation ?? props.trainingPlan;
  if (typeof source !== 'object' || source === null) {
    return {};
  }
  const name = (source.instanceType as { name?: unknown } | undefined)?.name;
  return {
    instanceType: typeof name === 'string' ? name : undefined,
    instanceCount: typeof source.instanceCount === 'number' ? source.instanceCount : undefined,
  };
}

/**
 * Checks an endpoint's props.
 *
 * @param plan what is known of the reserved capacity, from `props.reservation`
 *   or from `props.trainingPlan.instanceType` / `instanceCount`
 * @param now synth time
 * @param waitBudgetSeconds how long the deploy waits for a plan to become Active
 */
export function validateEndpoint(
  props: ReservedInferenceEndpointProps,
  plan: PlanFacts,
  now: Date,
  waitBudgetSeconds: number,
): ValidationResult {
  return neverThrows('props', () => checkEndpoint(props, plan, now, waitBudgetSeconds));
}

function checkEndpoint(props: ReservedInferenceEndpointProps, plan: PlanFacts, now: Date, waitBudgetSeconds: number): ValidationResult {
  if (typeof props !== 'object' || props === null) {
    return { errors: [issue('props', `props is required: an object of endpoint props; got ${show(props)}.`)], warnings: [] };
  }
  const errors: ValidationIssue[] = [];
  const warnings: ValidationIssue[] = [];
  const deployEndpoint = props.deployEndpoint !== false;

  const choice: ValidationIssue[] = [];
  // null from JavaScript callers means "not given", as undefined does.
  const hasReservation = props.reservation !== undefined && props.reservation !== null;
  const hasPlan = props.trainingPlan !== undefined && props.trainingPlan !== null;
  if (hasReservation && hasPlan) {
    choice.push(issue('reservation',
      'reservation and trainingPlan are mutually exclusive: give exactly one (reservation to buy capacity in this deploy, trainingPlan to use an existing plan); got both.'));
  } else if (!hasReservation && !hasPlan) {
    choice.push(issue('reservation',
      'reservation or trainingPlan is required: give exactly one (reservation to buy capacity in this deploy, trainingPlan to use an existing plan); got neither.'));
  }

  const reservation: ValidationResult = hasReservation
    ? validateReservation(props.reservation!, now, 'reservation.')
    : { errors: [], warnings: [] };
  if (hasPlan && typeof props.trainingPlan !== 'object') {
    errors.push(issue('trainingPlan',
      `trainingPlan must be an ITrainingPlan (e.g. TrainingPlanReservation.fromTrainingPlanArn(...)); got ${typeName(props.trainingPlan)} ${show(props.trainingPlan)}.`));
  } else if (hasPlan) {
    const arn = (props.trainingPlan as { trainingPlanArn?: unknown }).trainingPlanArn;
    errors.push(...guarded('trainingPlan.trainingPlanArn', () => validateTrainingPlanArn(arn as string, 'trainingPlan.trainingPlanArn')));
  }

  errors.push(...guarded('modelName', () => validateModelName(props.modelName, 'modelName')));
  // Only an imported plan can leave its type or count unknown: a reservation's own are required (and reported there),
  // and with no plan at all, demanding the endpoint's would only add noise to the error that matters.
  const importedOnly = hasPlan && !hasReservation;
  errors.push(...guarded('instanceType', () => validateEndpointInstanceType(props, plan, importedOnly)));
  errors.push(...guarded('instanceCount', () => validateEndpointInstanceCount(props.instanceCount, plan.instanceCount, importedOnly)));
  errors.push(...guarded('variantName', () => validateEndpointName(props.variantName, 'variantName')));
  errors.push(...guarded('endpointName', () => validateEndpointName(props.endpointName, 'endpointName')));
  if (props.deployEndpoint !== undefined && typeof props.deployEndpoint !== 'boolean') {
    errors.push(issue('deployEndpoint', `deployEndpoint must be true or false; got ${typeName(props.deployEndpoint)} ${show(props.deployEndpoint)}.`));
  }

  // A dry run deploys no endpoint even when deployEndpoint is true (the construct skips it), so the
  // rules about the endpoint running on the plan do not apply to it.
  const dryRun = hasReservation && props.reservation!.purchase === false;
  const endpointDeployed = deployEndpoint && !dryRun;
  if (endpointDeployed && hasReservation && props.reservation!.waitForActive === false) {
    errors.push(issue('reservation.waitForActive',
      'reservation.waitForActive must not be false while deployEndpoint is true: an endpoint cannot run on a plan that is not Active yet; ' +
      'got false. Leave it unset, or set deployEndpoint: false to reserve ahead.'));
  }

  if (endpointDeployed && hasReservation) {
    warnings.push(...guarded('deployEndpoint', () => warnWindowBeyondWaitBudget(props.reservation!.earliestStart, now, waitBudgetSeconds, props.deployEndpoint === undefined)));
  }
  if (endpointDeployed) {
    warnings.push(...guarded('instanceCount', () => warnNoSpareInstance(props.instanceCount, plan.instanceCount)));
  }

  // The choice between reservation and trainingPlan first, then the reservation's own props, then the endpoint's.
  return mergeResults({ errors: choice, warnings: [] }, reservation, { errors, warnings });
}

function validateEndpointInstanceType(props: ReservedInferenceEndpointProps, plan: PlanFacts, requiredWhenUnknown: boolean): ValidationIssue[] {
  const property = 'instanceType';
  if (props.instanceType === undefined) {
    if (plan.instanceType === undefined && requiredWhenUnknown) {
      return [issue(property,
        `${property} is required when the plan's instance type is not known at synth (an imported plan without instanceType): ` +
        `give the plan's type, one of ${RESERVABLE_INSTANCE_TYPES.join(', ')}; got undefined.`)];
    }
    return [];
  }
  const own = validateInstanceType(props.instanceType, property, false);
  if (own.length > 0) {
    return own;
  }
  const name = concreteInstanceTypeName(props.instanceType);
  const planType = plan.instanceType;
  if (name !== undefined && typeof planType === 'string' && !Token.isUnresolved(planType) && name !== planType) {
    return [issue(property,
      `${property} must equal the reserved instance type ${show(planType)}, as the endpoint can only run on the plan's instances; got ${show(name)}.`)];
  }
  return [];
}

function validateEndpointInstanceCount(count: unknown, reserved: number | undefined, requiredWhenUnknown: boolean): ValidationIssue[] {
  const property = 'instanceCount';
  const reservedKnown = typeof reserved === 'number' && !Token.isUnresolved(reserved) && Number.isInteger(reserved) && reserved > 0;
  if (count === undefined) {
    if (reserved === undefined && requiredWhenUnknown) {
      return [issue(property,
        `${property} is required when the plan's instance count is not known at synth (an imported plan without instanceCount): ` +
        'give a whole number from 1 to the plan\'s reserved count; got undefined.')];
    }
    return [];
  }
  if (typeof count === 'number' && Token.isUnresolved(count)) {
    return [];
  }
  const max = reservedKnown ? reserved : MAX_RESERVABLE_INSTANCE_COUNT;
  const allowed = reservedKnown
    ? `a whole number from 1 to the reserved instance count (${reserved})`
    : `a whole number from 1 to ${MAX_RESERVABLE_INSTANCE_COUNT} (the most a plan can reserve)`;
  if (typeof count !== 'number') {
    return [issue(property, `${property} must be ${allowed}; got ${typeName(count)} ${show(count)}.`)];
  }
  if (!Number.isInteger(count) || count < 1 || count > max) {
    return [issue(property, `${property} must be ${allowed}; got ${show(count)}.`)];
  }
  return [];
}

/**
 * Not an error: synth time is not deploy time (pipelines synth days ahead),
 * and the handler enforces the rule when it deploys anyway.
 */
function warnWindowBeyondWaitBudget(earliestStart: unknown, now: Date, waitBudgetSeconds: number, byDefault: boolean): ValidationIssue[] {
  if (typeof earliestStart !== 'string' || Token.isUnresolved(earliestStart) || !Number.isFinite(waitBudgetSeconds)) {
    return [];
  }
  const parsed = parseIsoInstant(earliestStart);
  const horizonMs = now.getTime() + waitBudgetSeconds * 1000;
  if (!parsed.ok || parsed.epochMs <= horizonMs) {
    return [];
  }
  return [issue('deployEndpoint',
    `deployEndpoint is true${byDefault ? ' (the default)' : ''} but reservation.earliestStart is ${show(earliestStart)}, ` +
    `later than the deploy can wait (${formatSpan(waitBudgetSeconds * 1000)}, until ${formatInstant(horizonMs)} if deployed at synth time). ` +
    'An endpoint needs an Active plan, so the deploy only buys an offering that starts within that wait and fails without buying if none does. ' +
    'To reserve ahead, deploy with deployEndpoint: false, then deploy the endpoint once the window has opened.')];
}

/** An endpoint using every reserved instance has none left for the new fleet of a blue/green update. */
function warnNoSpareInstance(count: unknown, reserved: number | undefined): ValidationIssue[] {
  const effective = count ?? reserved;
  if (typeof effective !== 'number' || typeof reserved !== 'number' || Token.isUnresolved(effective) || Token.isUnresolved(reserved)) {
    return [];
  }
  if (effective !== reserved) {
    return [];
  }
  const given = count === undefined ? `defaults to the reserved count (${reserved})` : `is ${effective}, the reserved count`;
  return [issue('instanceCount',
    `instanceCount ${given}, leaving no spare reserved instance for a blue/green update: ` +
    'a later change of the endpoint config will need a rolling update policy, or will fail. Reserve more instances than the endpoint starts with to keep one spare.')];
}
