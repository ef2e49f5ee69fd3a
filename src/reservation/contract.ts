/**
 * The wire contract between the `TrainingPlanReservation` construct (synth
 * side) and the reservation handler (deploy side).
 *
 * CloudFormation hands custom-resource properties to the handler as strings
 * (numbers and booleans included), so every field here is a string and the
 * handler parses them once, in `parseReservationSpec`. Keeping the names in
 * one module means the construct and the handler cannot drift apart.
 */

/** The custom resource type shown in templates and in the console. */
export const RESERVATION_RESOURCE_TYPE = 'Custom::SageMakerTrainingPlanReservation';

/**
 * Prefix of every plan name this library derives (followed by the stack's
 * name). The provider's IAM policy is scoped to its own stack's names under
 * it, so a handler cannot create or describe anyone else's plans.
 */
export const PLAN_NAME_PREFIX = 'cri-';

/** Tag put on every plan this library buys, naming the construct that owns it. */
export const OWNER_TAG_KEY = 'cdk-reserved-inference:owner';

/** Physical ids of dry-run resources start with this, never with an ARN. */
export const DRY_RUN_ID_PREFIX = 'dry-run:';

/** Resource properties as CloudFormation delivers them to the handler. */
export interface ReservationResourceProperties {
  /** Deterministic plan name: the idempotency key of the purchase. */
  readonly PlanName: string;
  readonly InstanceType: string;
  readonly InstanceCount: string;
  readonly DurationHours: string;
  /** ISO-8601 with a zone; absent means "from now". */
  readonly EarliestStart?: string;
  /** ISO-8601 with a zone; absent means "no upper bound". */
  readonly LatestEnd?: string;
  /** Decimal string; an offering above it is never bought. */
  readonly MaxUpfrontFee: string;
  /** ISO 4217 code the budget is expressed in; offerings in another currency are never bought. */
  readonly CurrencyCode: string;
  /** One of `OfferingSelection`. */
  readonly Selection: string;
  /** 'true' when an endpoint in the same deploy needs the plan Active. */
  readonly RequireActive: string;
  /** 'false' for a dry run: search and report, never buy. */
  readonly Purchase: string;
  /** Seconds the provider waits in isComplete before it gives up. */
  readonly WaitBudgetSeconds: string;
  readonly Tags?: ReadonlyArray<{ readonly Key: string; readonly Value: string }>;
}

/**
 * Attribute names the handler returns as `Data` and the construct reads with
 * `Fn::GetAtt`. A dry run returns the same names (with an empty ARN), so the
 * construct's tokens resolve in both modes.
 */
export const ReservationAttribute = {
  PLAN_ARN: 'TrainingPlanArn',
  PLAN_NAME: 'TrainingPlanName',
  STATUS: 'Status',
  START_TIME: 'StartTime',
  END_TIME: 'EndTime',
  UPFRONT_FEE: 'UpfrontFee',
  CURRENCY_CODE: 'CurrencyCode',
  AVAILABILITY_ZONE: 'AvailabilityZone',
  INSTANCE_TYPE: 'InstanceType',
  INSTANCE_COUNT: 'InstanceCount',
  OFFERING_ID: 'OfferingId',
  PURCHASED: 'Purchased',
  REPORT: 'Report',
} as const;

/** Values of `Data` returned to CloudFormation (all strings, as CloudFormation stores them). */
export type ReservationAttributes = Record<(typeof ReservationAttribute)[keyof typeof ReservationAttribute], string>;
