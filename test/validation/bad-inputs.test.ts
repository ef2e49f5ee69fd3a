import { mkdtempSync, readdirSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import {
  GOOD_ARN,
  goodEndpoint,
  goodEndpointReservation,
  goodReservation,
  importedPlan,
  Loose,
  NOW,
  WAIT_BUDGET_SECONDS,
} from './fixtures';
import { ReservedInferenceEndpoint } from '../../src/endpoint/reserved-inference-endpoint';
import { ReservedInferenceEndpointProps } from '../../src/endpoint/reserved-inference-endpoint-props';
import { OWNER_TAG_KEY } from '../../src/reservation/contract';
import { ReservedInstanceType } from '../../src/reservation/instance-type';
import { TrainingPlanReservationProps } from '../../src/reservation/training-plan-props';
import { TrainingPlanReservation } from '../../src/reservation/training-plan-reservation';
import {
  planFactsOf,
  validateEndpoint,
  validateReservation,
  validateTrainingPlanArn,
  validateTrainingPlanAttributes,
  ValidationIssue,
} from '../../src/validation';

/**
 * Every input here is wrong in exactly one way and must be refused with an
 * error that names the property, shows the value given and says what is
 * allowed. The suite counts refusals and prints one summary line, so a rule
 * that silently stops firing shows up as "accepted" rather than as a quieter log.
 */

interface BadInput {
  readonly name: string;
  /** The property the error must name. */
  readonly property: string;
  /** Text the message must contain: the value as shown, and what is allowed. */
  readonly mentions: readonly string[];
  /** Runs the rules and returns their errors. */
  readonly errors: Rules;
  /** How many errors in all; the default 1 proves nothing else was flagged. */
  readonly errorCount?: number;
}

const ALLOWED_COUNTS = '1, 2, 4, 8, 16, 32, 64';
const ALLOWED_TYPES = 'ml.p4d.24xlarge, ml.p4de.24xlarge, ml.p5.4xlarge, ml.p5.48xlarge';
const ALLOWED_DURATION = 'whole days from 1 to 182 (24 to 4368 hours in steps of 24)';
const ISO = 'ISO-8601 with a time zone (e.g. 2027-01-25T00:00:00Z)';
const FEE = 'a finite number greater than 0';
const ARN_SHAPE = 'arn:<partition>:sagemaker:<region>:<12-digit account>:training-plan/<name>';

/** The rules' errors, with the props they ran on, so the same input can be given to a construct. */
type Rules = (() => ValidationIssue[]) & {
  readonly reservationProps?: TrainingPlanReservationProps;
  readonly endpointProps?: ReservedInferenceEndpointProps;
};

function reservation(overrides: Loose<TrainingPlanReservationProps>): Rules {
  const props = goodReservation(overrides);
  return Object.assign(() => validateReservation(props, NOW).errors, { reservationProps: props });
}

function endpoint(props: ReservedInferenceEndpointProps): Rules {
  return Object.assign(() => validateEndpoint(props, planFactsOf(props), NOW, WAIT_BUDGET_SECONDS).errors, { endpointProps: props });
}

function arn(value: string): () => ValidationIssue[] {
  return () => validateTrainingPlanArn(value);
}

const manyTags = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`team-${i}`, 'ml']));

const reservationCases: BadInput[] = [
  // instance type
  { name: 'instanceType ml.g5.2xlarge (not reservable)', property: 'instanceType', mentions: [ALLOWED_TYPES, 'got "ml.g5.2xlarge".'], errors: reservation({ instanceType: ReservedInstanceType.of('ml.g5.2xlarge') }) },
  { name: 'instanceType typo ml.p5.48xlarg', property: 'instanceType', mentions: [ALLOWED_TYPES, 'got "ml.p5.48xlarg". Did you mean "ml.p5.48xlarge"?'], errors: reservation({ instanceType: ReservedInstanceType.of('ml.p5.48xlarg') }) },
  { name: 'instanceType empty', property: 'instanceType', mentions: [ALLOWED_TYPES, 'got "".'], errors: reservation({ instanceType: ReservedInstanceType.of('') }) },
  { name: 'instanceType upper case', property: 'instanceType', mentions: [ALLOWED_TYPES, 'got "ML.P5.48XLARGE". Did you mean "ml.p5.48xlarge"? Instance type names are lower case.'], errors: reservation({ instanceType: ReservedInstanceType.of('ML.P5.48XLARGE') }) },
  { name: 'instanceType without ml. prefix', property: 'instanceType', mentions: ['got "p5.48xlarge". Did you mean "ml.p5.48xlarge"?'], errors: reservation({ instanceType: ReservedInstanceType.of('p5.48xlarge') }) },
  { name: 'instanceType as a bare string (JS)', property: 'instanceType', mentions: ['must be a ReservedInstanceType', 'got a string "ml.p5.48xlarge".'], errors: reservation({ instanceType: 'ml.p5.48xlarge' }) },
  { name: 'instanceType missing (JS)', property: 'instanceType', mentions: ['is required', ALLOWED_TYPES, 'got undefined.'], errors: reservation({ instanceType: undefined }) },
  // instance count
  ...[0, -1, 3, 1.5, 65, NaN, Infinity].map((count): BadInput => ({
    name: `instanceCount ${count}`,
    property: 'instanceCount',
    mentions: [`instanceCount must be one of ${ALLOWED_COUNTS}; got ${count}.`],
    errors: reservation({ instanceCount: count }),
  })),
  { name: 'instanceCount missing (JS)', property: 'instanceCount', mentions: [`is required: one of ${ALLOWED_COUNTS}; got undefined.`], errors: reservation({ instanceCount: undefined }) },
  { name: 'instanceCount as a string (JS)', property: 'instanceCount', mentions: [ALLOWED_COUNTS, 'got a string "2".'], errors: reservation({ instanceCount: '2' }) },
  // duration
  { name: 'duration 36 hours', property: 'duration', mentions: [ALLOWED_DURATION, 'got 36 hours (Duration.hours(36)).'], errors: reservation({ duration: Duration.hours(36) }) },
  { name: 'duration 12 hours', property: 'duration', mentions: [ALLOWED_DURATION, 'got 12 hours (Duration.hours(12)).'], errors: reservation({ duration: Duration.hours(12) }) },
  { name: 'duration 183 days', property: 'duration', mentions: [ALLOWED_DURATION, 'got 183 days (Duration.days(183)).'], errors: reservation({ duration: Duration.days(183) }) },
  { name: 'duration 1500 minutes', property: 'duration', mentions: [ALLOWED_DURATION, 'got 25 hours (Duration.minutes(1500)).'], errors: reservation({ duration: Duration.minutes(1500) }) },
  { name: 'duration 0 days', property: 'duration', mentions: [ALLOWED_DURATION, 'got 0 days'], errors: reservation({ duration: Duration.days(0), latestEnd: undefined }) },
  { name: 'duration NaN hours', property: 'duration', mentions: [ALLOWED_DURATION, 'got Duration.hours(NaN).'], errors: reservation({ duration: Duration.hours(NaN) }) },
  { name: 'duration missing (JS)', property: 'duration', mentions: ['is required', ALLOWED_DURATION, 'got undefined.'], errors: reservation({ duration: undefined }) },
  { name: 'duration as a number (JS)', property: 'duration', mentions: ['must be a Duration', 'got a number 7.'], errors: reservation({ duration: 7 }) },
  // window
  { name: 'earliestStart date only', property: 'earliestStart', mentions: [ISO, 'got "2027-01-25" (a date without a time or time zone).'], errors: reservation({ earliestStart: '2027-01-25' }) },
  { name: 'earliestStart without zone', property: 'earliestStart', mentions: [ISO, 'got "2027-01-25T00:00:00" (no time zone).'], errors: reservation({ earliestStart: '2027-01-25T00:00:00' }) },
  { name: 'earliestStart not ISO', property: 'earliestStart', mentions: [ISO, 'got "next tuesday" (not ISO-8601).'], errors: reservation({ earliestStart: 'next tuesday' }) },
  { name: 'earliestStart February 30', property: 'earliestStart', mentions: [ISO, 'got "2027-02-30T00:00:00Z" (no such calendar date).'], errors: reservation({ earliestStart: '2027-02-30T00:00:00Z' }) },
  { name: 'earliestStart hour 24', property: 'earliestStart', mentions: [ISO, 'got "2027-01-25T24:00:00Z" (no such time of day).'], errors: reservation({ earliestStart: '2027-01-25T24:00:00Z' }) },
  { name: 'earliestStart as a Date (JS)', property: 'earliestStart', mentions: [ISO, 'got an object "2027-01-25T00:00:00.000Z".'], errors: reservation({ earliestStart: new Date('2027-01-25T00:00:00Z') }) },
  { name: 'latestEnd without zone', property: 'latestEnd', mentions: [ISO, 'got "2027-02-05T00:00:00" (no time zone).'], errors: reservation({ latestEnd: '2027-02-05T00:00:00' }) },
  { name: 'latestEnd before earliestStart', property: 'latestEnd', mentions: ['latestEnd must be later than earliestStart ("2027-01-25T00:00:00Z"); got "2027-01-20T00:00:00Z".'], errors: reservation({ latestEnd: '2027-01-20T00:00:00Z' }) },
  { name: 'latestEnd equal to earliestStart', property: 'latestEnd', mentions: ['latestEnd must be later than earliestStart ("2027-01-25T00:00:00Z"); got "2027-01-25T01:00:00+01:00".'], errors: reservation({ latestEnd: '2027-01-25T01:00:00+01:00' }) },
  { name: 'window shorter than duration', property: 'latestEnd', mentions: ['latestEnd must be at least duration (7 days) after earliestStart ("2027-01-25T00:00:00Z"); got "2027-01-28T00:00:00Z", a window of 3 days.'], errors: reservation({ latestEnd: '2027-01-28T00:00:00Z' }) },
  // budget
  { name: 'maxUpfrontFee missing (JS)', property: 'maxUpfrontFee', mentions: [`maxUpfrontFee is required: ${FEE}`, 'got undefined.'], errors: reservation({ maxUpfrontFee: undefined }) },
  ...[0, -5, NaN, Infinity].map((fee): BadInput => ({
    name: `maxUpfrontFee ${fee}`,
    property: 'maxUpfrontFee',
    mentions: [`maxUpfrontFee must be ${FEE}`, `got ${fee}.`],
    errors: reservation({ maxUpfrontFee: fee }),
  })),
  { name: 'maxUpfrontFee as a string (JS)', property: 'maxUpfrontFee', mentions: [FEE, 'got a string "60000".'], errors: reservation({ maxUpfrontFee: '60000' }) },
  { name: 'currencyCode lower case', property: 'currencyCode', mentions: ['currencyCode must be an ISO 4217 code of three upper-case letters (e.g. "USD"); got "usd".'], errors: reservation({ currencyCode: 'usd' }) },
  { name: 'currencyCode two letters', property: 'currencyCode', mentions: ['three upper-case letters', 'got "US".'], errors: reservation({ currencyCode: 'US' }) },
  { name: 'selection not an OfferingSelection (JS)', property: 'selection', mentions: ['selection must be one of CHEAPEST, EARLIEST_START, BEST_MATCH (OfferingSelection); got "cheapest".'], errors: reservation({ selection: 'cheapest' }) },
  // plan name
  { name: 'planName with underscore', property: 'planName', mentions: ['planName must contain only letters, digits and hyphens', 'got "cri-my_plan".'], errors: reservation({ planName: 'cri-my_plan' }) },
  { name: 'planName of 65 characters', property: 'planName', mentions: ['planName must be 1 to 64 characters long; got 65 characters'], errors: reservation({ planName: `cri-${'a'.repeat(61)}` }) },
  { name: 'planName empty', property: 'planName', mentions: ['planName must be 1 to 64 characters long; got 0 characters: "".'], errors: reservation({ planName: '' }) },
  { name: 'planName ending with a hyphen', property: 'planName', mentions: ['starting and ending with a letter or digit', 'got "cri-plan-".'], errors: reservation({ planName: 'cri-plan-' }) },
  // tags
  { name: '51 tags', property: 'tags', mentions: ['tags must have at most 49 entries', 'the library adds its own owner tag', 'got 51.'], errors: reservation({ tags: manyTags(51) }) },
  { name: '50 tags (one too many with the owner tag)', property: 'tags', mentions: ['at most 49 entries', 'got 50.'], errors: reservation({ tags: manyTags(50) }) },
  { name: 'tag key aws:foo', property: 'tags', mentions: ['tags key must not start with "aws:" in any case (reserved for AWS); got "aws:foo".'], errors: reservation({ tags: { 'aws:foo': 'x' } }) },
  { name: 'tag key AWS:Foo', property: 'tags', mentions: ['must not start with "aws:"', 'got "AWS:Foo".'], errors: reservation({ tags: { 'AWS:Foo': 'x' } }) },
  { name: 'tag key of 129 characters', property: 'tags', mentions: ['tags key must be 1 to 128 characters long; got 129 characters'], errors: reservation({ tags: { ['k'.repeat(129)]: 'x' } }) },
  { name: 'tag key empty', property: 'tags', mentions: ['tags key must be 1 to 128 characters long; got 0 characters: "".'], errors: reservation({ tags: { '': 'x' } }) },
  { name: 'tag value of 257 characters', property: 'tags', mentions: ['tags value of key "team" must be at most 256 characters long; got 257 characters'], errors: reservation({ tags: { team: 'v'.repeat(257) } }) },
  { name: 'tag key the library owns', property: 'tags', mentions: [`tags key must not be "${OWNER_TAG_KEY}"`, `got "${OWNER_TAG_KEY}".`], errors: reservation({ tags: { [OWNER_TAG_KEY]: 'me' } }) },
  { name: 'tag key with #', property: 'tags', mentions: ['tags key must contain only letters, digits, spaces and _ . : / = + - @; got "cost#center".'], errors: reservation({ tags: { 'cost#center': 'x' } }) },
  { name: 'tag value not a string (JS)', property: 'tags', mentions: ['tags value of key "count" must be a string; got a number 3.'], errors: reservation({ tags: { count: 3 } }) },
  // flags
  { name: 'purchase "false" (JS, truthy)', property: 'purchase', mentions: ['purchase must be true or false; got a string "false".'], errors: reservation({ purchase: 'false' }) },
  { name: 'waitForActive 0 (JS)', property: 'waitForActive', mentions: ['waitForActive must be true or false; got a number 0.'], errors: reservation({ waitForActive: 0 }) },
  // nesting
  {
    name: 'nested prefix names reservation.instanceCount',
    property: 'reservation.instanceCount',
    mentions: [`reservation.instanceCount must be one of ${ALLOWED_COUNTS}; got 3.`],
    errors: () => validateReservation(goodReservation({ instanceCount: 3 }), NOW, 'reservation.').errors,
  },
];

const endpointCases: BadInput[] = [
  {
    name: 'both reservation and trainingPlan',
    property: 'reservation',
    mentions: ['reservation and trainingPlan are mutually exclusive', 'got both.'],
    errors: endpoint(goodEndpoint({ trainingPlan: importedPlan({ instanceType: ReservedInstanceType.P5_48XLARGE, instanceCount: 2 }) })),
  },
  {
    name: 'neither reservation nor trainingPlan',
    property: 'reservation',
    mentions: ['reservation or trainingPlan is required', 'got neither.'],
    errors: endpoint(goodEndpoint({ reservation: undefined })),
  },
  {
    name: 'instanceCount above the reserved count',
    property: 'instanceCount',
    mentions: ['instanceCount must be a whole number from 1 to the reserved instance count (2); got 3.'],
    errors: endpoint(goodEndpoint({ instanceCount: 3 })),
  },
  {
    name: 'instanceCount 0',
    property: 'instanceCount',
    mentions: ['instanceCount must be a whole number from 1 to the reserved instance count (2); got 0.'],
    errors: endpoint(goodEndpoint({ instanceCount: 0 })),
  },
  {
    name: 'instanceCount 1.5',
    property: 'instanceCount',
    mentions: ['from 1 to the reserved instance count (2); got 1.5.'],
    errors: endpoint(goodEndpoint({ instanceCount: 1.5 })),
  },
  {
    name: 'instanceCount missing on a plan of unknown count',
    property: 'instanceCount',
    mentions: ['instanceCount is required when the plan\'s instance count is not known at synth', 'got undefined.'],
    errors: endpoint(goodEndpoint({
      reservation: undefined,
      instanceCount: undefined,
      trainingPlan: importedPlan({ instanceType: ReservedInstanceType.P5_48XLARGE }),
    })),
  },
  {
    name: 'instanceCount 65 on a plan of unknown count',
    property: 'instanceCount',
    mentions: ['instanceCount must be a whole number from 1 to 64 (the most a plan can reserve); got 65.'],
    errors: endpoint(goodEndpoint({
      reservation: undefined,
      instanceCount: 65,
      trainingPlan: importedPlan({ instanceType: ReservedInstanceType.P5_48XLARGE }),
    })),
  },
  {
    name: 'instanceType other than the reserved one',
    property: 'instanceType',
    mentions: ['instanceType must equal the reserved instance type "ml.p5.48xlarge"', 'got "ml.p5e.48xlarge".'],
    errors: endpoint(goodEndpoint({ instanceType: ReservedInstanceType.P5E_48XLARGE })),
  },
  {
    name: 'instanceType other than the imported plan\'s',
    property: 'instanceType',
    mentions: ['must equal the reserved instance type "ml.trn2.48xlarge"', 'got "ml.p5.48xlarge".'],
    errors: endpoint(goodEndpoint({
      reservation: undefined,
      trainingPlan: importedPlan({ instanceType: ReservedInstanceType.TRN2_48XLARGE, instanceCount: 4 }),
      instanceType: ReservedInstanceType.P5_48XLARGE,
    })),
  },
  {
    name: 'endpoint instanceType not reservable',
    property: 'instanceType',
    mentions: [ALLOWED_TYPES, 'got "ml.g5.2xlarge".'],
    errors: endpoint(goodEndpoint({ instanceType: ReservedInstanceType.of('ml.g5.2xlarge') })),
  },
  {
    name: 'instanceType missing on a plan of unknown type',
    property: 'instanceType',
    mentions: ['instanceType is required when the plan\'s instance type is not known at synth', ALLOWED_TYPES, 'got undefined.'],
    errors: endpoint(goodEndpoint({ reservation: undefined, trainingPlan: importedPlan({ instanceCount: 2 }) })),
  },
  {
    name: 'endpointName with underscore',
    property: 'endpointName',
    mentions: ['endpointName must contain only letters, digits and hyphens', 'got "llama_endpoint".'],
    errors: endpoint(goodEndpoint({ endpointName: 'llama_endpoint' })),
  },
  {
    name: 'endpointName of 64 characters',
    property: 'endpointName',
    mentions: ['endpointName must be 1 to 63 characters long; got 64 characters'],
    errors: endpoint(goodEndpoint({ endpointName: 'e'.repeat(64) })),
  },
  {
    name: 'variantName empty',
    property: 'variantName',
    mentions: ['variantName must be 1 to 63 characters long; got 0 characters: "".'],
    errors: endpoint(goodEndpoint({ variantName: '' })),
  },
  {
    name: 'variantName with a space',
    property: 'variantName',
    mentions: ['variantName must contain only letters, digits and hyphens', 'got "All Traffic".'],
    errors: endpoint(goodEndpoint({ variantName: 'All Traffic' })),
  },
  {
    name: 'modelName empty',
    property: 'modelName',
    mentions: ['modelName must be 1 to 63 characters long; got 0 characters: "".'],
    errors: endpoint(goodEndpoint({ modelName: '' })),
  },
  {
    name: 'waitForActive false with deployEndpoint',
    property: 'reservation.waitForActive',
    mentions: ['reservation.waitForActive must not be false while deployEndpoint is true', 'not Active', 'got false.'],
    errors: endpoint(goodEndpoint({ reservation: goodEndpointReservation({ waitForActive: false }) })),
  },
  {
    name: 'deployEndpoint "false" (JS)',
    property: 'deployEndpoint',
    mentions: ['deployEndpoint must be true or false; got a string "false".'],
    errors: endpoint(goodEndpoint({ deployEndpoint: 'false' })),
  },
  {
    name: 'reservation errors are reported with the reservation. prefix',
    property: 'reservation.duration',
    mentions: [`reservation.duration must be ${ALLOWED_DURATION}; got 36 hours`],
    errors: endpoint(goodEndpoint({ reservation: goodEndpointReservation({ duration: Duration.hours(36) }) })),
  },
  {
    name: 'imported plan with a malformed ARN',
    property: 'trainingPlan.trainingPlanArn',
    mentions: [`trainingPlan.trainingPlanArn must be a training plan ARN (${ARN_SHAPE})`, 'its account "1234" must be 12 digits.'],
    errors: endpoint(goodEndpoint({
      reservation: undefined,
      trainingPlan: importedPlan({ arn: 'arn:aws:sagemaker:us-east-1:1234:training-plan/cri-x', instanceType: ReservedInstanceType.P5_48XLARGE, instanceCount: 2 }),
    })),
  },
];

const arnCases: BadInput[] = [
  { name: 'ARN of an S3 bucket', property: 'trainingPlanArn', mentions: [ARN_SHAPE, 'got "arn:aws:s3:::bucket": it is an ARN of service "s3", not a SageMaker training plan.'], errors: arn('arn:aws:s3:::bucket') },
  {
    name: 'ARN of a reserved-capacity block',
    property: 'trainingPlanArn',
    mentions: ['got "arn:aws:sagemaker:us-east-1:123456789012:reserved-capacity/cri-x-abc"', 'names a reserved-capacity block inside a plan, not the plan'],
    errors: arn('arn:aws:sagemaker:us-east-1:123456789012:reserved-capacity/cri-x-abc'),
  },
  { name: 'ARN with a short account', property: 'trainingPlanArn', mentions: ['its account "1234" must be 12 digits.'], errors: arn('arn:aws:sagemaker:us-east-1:1234:training-plan/cri-x') },
  { name: 'ARN with an account alias', property: 'trainingPlanArn', mentions: ['its account "my-account" must be 12 digits.'], errors: arn('arn:aws:sagemaker:us-east-1:my-account:training-plan/cri-x') },
  { name: 'ARN without region', property: 'trainingPlanArn', mentions: ['got "arn:aws:sagemaker::123456789012:training-plan/cri-x": it has no region.'], errors: arn('arn:aws:sagemaker::123456789012:training-plan/cri-x') },
  { name: 'ARN with upper-case region', property: 'trainingPlanArn', mentions: ['its region "US-EAST-1" must be lower-case letters, digits and hyphens'], errors: arn('arn:aws:sagemaker:US-EAST-1:123456789012:training-plan/cri-x') },
  { name: 'ARN garbage', property: 'trainingPlanArn', mentions: [ARN_SHAPE, 'got "not-an-arn": it is not an ARN.'], errors: arn('not-an-arn') },
  { name: 'ARN empty', property: 'trainingPlanArn', mentions: ['got "": it is not an ARN.'], errors: arn('') },
  { name: 'ARN of an endpoint', property: 'trainingPlanArn', mentions: ['its resource "endpoint/llama" is not "training-plan/<name>".'], errors: arn('arn:aws:sagemaker:us-east-1:123456789012:endpoint/llama') },
  { name: 'ARN with a bad plan name', property: 'trainingPlanArn', mentions: ['its plan name "my_plan" must be 1 to 64 letters, digits and hyphens'], errors: arn('arn:aws:sagemaker:us-east-1:123456789012:training-plan/my_plan') },
  { name: 'ARN in another partition spelling', property: 'trainingPlanArn', mentions: ['its partition "amazon" is not an AWS partition'], errors: arn('arn:amazon:sagemaker:us-east-1:123456789012:training-plan/cri-x') },
  {
    name: 'plan attributes: instanceCount 3',
    property: 'instanceCount',
    mentions: [`instanceCount must be one of ${ALLOWED_COUNTS} (the counts a plan can hold); got 3.`],
    errors: () => validateTrainingPlanAttributes({ trainingPlanArn: GOOD_ARN, instanceCount: 3 }).errors,
  },
  {
    name: 'plan attributes: instanceType not reservable',
    property: 'instanceType',
    mentions: [ALLOWED_TYPES, 'got "ml.g5.2xlarge".'],
    errors: () => validateTrainingPlanAttributes({ trainingPlanArn: GOOD_ARN, instanceType: ReservedInstanceType.of('ml.g5.2xlarge') }).errors,
  },
];

let refused = 0;
let accepted = 0;

describe.each([
  ['reservation', reservationCases],
  ['endpoint', endpointCases],
  ['training plan ARN and attributes', arnCases],
])('bad %s inputs are refused', (_group, cases) => {
  test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const errors = c.errors();
    const hit = errors.find((e) => e.property === c.property);
    if (hit) {
      refused++;
    } else {
      accepted++;
    }
    expect(hit).toBeDefined();
    expect(hit!.message.startsWith(`${c.property} `)).toBe(true);
    for (const mention of c.mentions) {
      expect(hit!.message).toContain(mention);
    }
    expect(hit!.message).toMatch(/[.?]$/);
    expect(errors).toHaveLength(c.errorCount ?? 1);
  });
});

/**
 * The same inputs, given to the constructs: synth must fail, naming the
 * property, before any template exists. No template, no deploy, no purchase.
 * Synth-time rules run with the real clock here, so only inputs that are
 * wrong whatever the date are replayed (every window rule is).
 */
describe.each([
  ['reservation', reservationCases.filter((c) => c.errors.reservationProps !== undefined)],
  // Cases on an imported plan hold a plan from the fixtures' own app, which cannot join this one.
  ['endpoint', endpointCases.filter((c) => c.errors.endpointProps !== undefined && c.errors.endpointProps.trainingPlan === undefined)],
])('bad %s inputs never reach the custom resource', (_group, cases) => {
  test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const outdir = mkdtempSync(join(tmpdir(), 'cri-bad-input-'));
    const app = new App({ outdir, context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
    const stack = new Stack(app, 'Bad', { env: { account: '123456789012', region: 'us-west-2' } });
    let message = '';
    try {
      if (c.errors.reservationProps) {
        new TrainingPlanReservation(stack, 'Reservation', c.errors.reservationProps);
      } else {
        new ReservedInferenceEndpoint(stack, 'Endpoint', c.errors.endpointProps!);
      }
      app.synth();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain(c.property);
    expect(readdirSync(outdir).filter((f) => f.endsWith('.template.json'))).toEqual([]);
  });
});

afterAll(() => {
  process.stdout.write(`validation: ${refused} bad inputs refused, ${accepted} accepted\n`);
  expect(accepted).toBe(0);
});
