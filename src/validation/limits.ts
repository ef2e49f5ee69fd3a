import { ReservedInstanceType } from '../reservation/instance-type';
import { OfferingSelection } from '../reservation/offering-selection';

/**
 * The limits the rules enforce, in one place, with where each comes from.
 *
 * Sources: the SageMaker service model (botocore 1.43.11), the training-plan
 * user guide (durations and counts, which the model leaves looser) and this
 * library's own contract (the owner tag). See
 * /work/shared/reference/training-plans.md.
 */

/**
 * The instance types a training plan can reserve (`ReservedCapacityInstanceType`).
 *
 * Read from `ReservedInstanceType`'s static members so that adding a constant
 * there is enough: the synth check can never refuse a type the library itself
 * offers as a constant.
 */
export const RESERVABLE_INSTANCE_TYPES: readonly string[] = Object.values(ReservedInstanceType)
  .filter((v): v is ReservedInstanceType => v instanceof ReservedInstanceType)
  .map((t) => t.name);

/** Instance counts a plan can reserve (user guide; the model allows 0-256 but the service refuses the rest). */
export const RESERVABLE_INSTANCE_COUNTS: readonly number[] = [1, 2, 4, 8, 16, 32, 64];

/** The largest count a plan can hold: an endpoint on a plan of unknown size can ask for no more. */
export const MAX_RESERVABLE_INSTANCE_COUNT = Math.max(...RESERVABLE_INSTANCE_COUNTS);

/** Plan durations are whole days in this range (24 to 4368 hours). */
export const MIN_DURATION_DAYS = 1;
export const MAX_DURATION_DAYS = 182;

/** `TrainingPlanName`: 1-64 characters. */
export const PLAN_NAME_MAX_LENGTH = 64;
export const PLAN_NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,63}$/;

/** `EndpointName` and `VariantName`: up to 63 characters (empty is refused by the service too). */
export const ENDPOINT_NAME_MAX_LENGTH = 63;
export const ENDPOINT_NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

/** `ModelName`: up to 63 characters, inner hyphens only. */
export const MODEL_NAME_MAX_LENGTH = 63;
export const MODEL_NAME_PATTERN = /^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/;

/** `TagList` holds at most 50 tags. */
export const MAX_TAGS = 50;
/** Tags the library adds itself (the owner tag), which count against `MAX_TAGS`. */
export const LIBRARY_TAG_COUNT = 1;
/** What is left for the user. */
export const MAX_USER_TAGS = MAX_TAGS - LIBRARY_TAG_COUNT;
export const TAG_KEY_MAX_LENGTH = 128;
export const TAG_VALUE_MAX_LENGTH = 256;
/** Tag keys under this prefix (any case) are reserved for AWS. */
export const RESERVED_TAG_KEY_PREFIX = 'aws:';
/** `TagKey` / `TagValue` characters: letters, separators, digits and `_.:/=+-@`. */
export const TAG_CHARS_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** ISO 4217 alphabetic code. */
export const CURRENCY_CODE_PATTERN = /^[A-Z]{3}$/;
/** The currency the price floor table is in, and `currencyCode`'s default. */
export const DEFAULT_CURRENCY_CODE = 'USD';

/** `OfferingSelection` values, for JavaScript callers who can pass any string. */
export const OFFERING_SELECTIONS: readonly string[] = Object.values(OfferingSelection);

/**
 * A window that opens further ahead than this is warned about: how far ahead
 * offerings exist is not documented, and extensions (the one documented
 * horizon) may be requested at most 56 days ahead.
 */
export const FAR_FUTURE_DAYS = 56;

/**
 * `TrainingPlanArn`, stricter than the service model (which allows an empty
 * region and any name): an ARN that fails this cannot name a plan.
 */
export const TRAINING_PLAN_ARN_PATTERN = /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:[0-9]{12}:training-plan\/([a-zA-Z0-9](-*[a-zA-Z0-9]){0,63})$/;

/**
 * A conservative floor on the price of one instance-hour, in USD, per type.
 *
 * Source: the order of magnitude of published on-demand prices (us-east-1,
 * 2025), divided by ~10 and rounded down. Training plans are cheaper than
 * on-demand, but not ten times cheaper, so a budget below this floor cannot
 * buy anything. It drives a warning only, never an error: prices change and
 * this table is not a price list.
 */
export const MIN_PLAUSIBLE_USD_PER_INSTANCE_HOUR: Readonly<Record<string, number>> = {
  'ml.p4d.24xlarge': 3, // 8 x A100 40 GB, ~$33-38/h on demand
  'ml.p4de.24xlarge': 4, // 8 x A100 80 GB, ~$41-47/h
  'ml.p5.4xlarge': 0.5, // 1 x H100, ~$5-7/h
  'ml.p5.48xlarge': 5, // 8 x H100, ~$55-113/h
  'ml.p5e.48xlarge': 5, // 8 x H200
  'ml.p5en.48xlarge': 5, // 8 x H200, EFAv3
  'ml.p6-b200.48xlarge': 6, // 8 x B200, ~$114/h
  'ml.p6-b300.48xlarge': 6, // 8 x B300, priced at least like B200
  'ml.p6e-gb200.36xlarge': 3, // 4 x B200 (GB200 UltraServer node)
  'ml.trn1.32xlarge': 2, // 16 x Trainium, ~$21-25/h
  'ml.trn2.48xlarge': 2, // 16 x Trainium2
};
