import { Duration } from 'aws-cdk-lib';
import { GOOD_ARN, goodEndpoint, goodEndpointReservation, goodReservation, importedPlan, NOW, WAIT_BUDGET_SECONDS } from './fixtures';
import { ReservedInstanceType } from '../../src/reservation/instance-type';
import {
  planFactsOf,
  validateEndpoint,
  validateReservation,
  validateTrainingPlanArn,
  validateTrainingPlanAttributes,
  ValidationIssue,
} from '../../src/validation';

/**
 * The examples of the README's validation tables, run for real: the doc test
 * checks that every row there shows the message the code produces today.
 */
export interface DocExample {
  readonly rule: string;
  /** The bad value, as the user would write it. */
  readonly example: string;
  readonly issues: () => ValidationIssue[];
}

const r = (overrides: Parameters<typeof goodReservation>[0]) => () => validateReservation(goodReservation(overrides), NOW).errors;
const e = (overrides: Parameters<typeof goodEndpoint>[0]) => () => {
  const props = goodEndpoint(overrides);
  return validateEndpoint(props, planFactsOf(props), NOW, WAIT_BUDGET_SECONDS).errors;
};
const w = (overrides: Parameters<typeof goodEndpoint>[0]) => () => {
  const props = goodEndpoint(overrides);
  return validateEndpoint(props, planFactsOf(props), NOW, WAIT_BUDGET_SECONDS).warnings;
};

export const ERROR_EXAMPLES: DocExample[] = [
  { rule: 'instanceType is a type a training plan can reserve (exact case)', example: "ReservedInstanceType.of('ML.P5.48XLARGE')", issues: r({ instanceType: ReservedInstanceType.of('ML.P5.48XLARGE') }) },
  { rule: 'instanceType is a ReservedInstanceType (JavaScript callers)', example: "'ml.p5.48xlarge'", issues: r({ instanceType: 'ml.p5.48xlarge' }) },
  { rule: 'instanceCount is 1, 2, 4, 8, 16, 32 or 64', example: '3', issues: r({ instanceCount: 3 }) },
  { rule: 'duration is whole days, 1 to 182', example: 'Duration.minutes(1500)', issues: r({ duration: Duration.minutes(1500) }) },
  { rule: 'earliestStart / latestEnd are ISO-8601 with a time zone', example: "'2027-01-25T00:00:00'", issues: r({ earliestStart: '2027-01-25T00:00:00' }) },
  { rule: 'earliestStart / latestEnd are real calendar dates', example: "'2027-02-30T00:00:00Z'", issues: r({ earliestStart: '2027-02-30T00:00:00Z' }) },
  { rule: 'latestEnd is later than earliestStart', example: "'2027-01-20T00:00:00Z'", issues: r({ latestEnd: '2027-01-20T00:00:00Z' }) },
  { rule: 'the window holds the whole duration', example: "7 days, '2027-01-25T00:00:00Z'..'2027-01-28T00:00:00Z'", issues: r({ latestEnd: '2027-01-28T00:00:00Z' }) },
  { rule: 'maxUpfrontFee is given (JavaScript callers)', example: 'undefined', issues: r({ maxUpfrontFee: undefined }) },
  { rule: 'maxUpfrontFee is finite and > 0', example: 'NaN', issues: r({ maxUpfrontFee: NaN }) },
  { rule: 'currencyCode is three upper-case letters', example: "'usd'", issues: r({ currencyCode: 'usd' }) },
  { rule: 'selection is an OfferingSelection (JavaScript callers)', example: "'cheapest'", issues: r({ selection: 'cheapest' }) },
  { rule: 'planName is 1-64 characters', example: "'cri-' + 'a'.repeat(61)", issues: r({ planName: `cri-${'a'.repeat(61)}` }) },
  { rule: 'planName is letters, digits and hyphens', example: "'my_plan'", issues: r({ planName: 'my_plan' }) },
  { rule: 'at most 49 tags (the library adds one)', example: '51 tags', issues: r({ tags: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])) }) },
  { rule: 'no tag key starts with aws: (any case)', example: "{ 'aws:foo': 'x' }", issues: r({ tags: { 'aws:foo': 'x' } }) },
  { rule: 'tag keys are 1-128 characters', example: "{ ['k'.repeat(129)]: 'x' }", issues: r({ tags: { ['k'.repeat(129)]: 'x' } }) },
  { rule: 'tag values are at most 256 characters', example: "{ team: 'v'.repeat(257) }", issues: r({ tags: { team: 'v'.repeat(257) } }) },
  { rule: "no tag uses the library's owner key", example: "{ 'cdk-reserved-inference:owner': 'me' }", issues: r({ tags: { 'cdk-reserved-inference:owner': 'me' } }) },
  { rule: 'tag keys and values use the allowed characters', example: "{ 'cost#center': 'x' }", issues: r({ tags: { 'cost#center': 'x' } }) },
  { rule: 'purchase / waitForActive are booleans (JavaScript callers)', example: "purchase: 'false'", issues: r({ purchase: 'false' }) },
  { rule: 'exactly one of reservation and trainingPlan', example: 'both given', issues: e({ trainingPlan: importedPlan({ instanceType: ReservedInstanceType.P5_48XLARGE, instanceCount: 2 }) }) },
  { rule: 'exactly one of reservation and trainingPlan', example: 'neither given', issues: e({ reservation: undefined }) },
  { rule: 'nested reservation props are checked, with the reservation. prefix', example: 'reservation.instanceCount: 3', issues: e({ reservation: goodEndpointReservation({ instanceCount: 3 }), instanceCount: 1 }) },
  { rule: 'endpoint instanceCount is 1..reserved count', example: '3 on a plan of 2', issues: e({ instanceCount: 3 }) },
  { rule: 'endpoint instanceCount is 1..64 when the reserved count is unknown', example: '0 on an imported plan of unknown count', issues: e({ reservation: undefined, trainingPlan: importedPlan({ instanceType: ReservedInstanceType.P5_48XLARGE }), instanceCount: 0 }) },
  { rule: 'endpoint instanceCount is required when the reserved count is unknown', example: 'not given, imported plan without instanceCount', issues: e({ reservation: undefined, trainingPlan: importedPlan({ instanceType: ReservedInstanceType.P5_48XLARGE }), instanceCount: undefined }) },
  { rule: "endpoint instanceType equals the plan's", example: 'ReservedInstanceType.P5E_48XLARGE on a ml.p5.48xlarge plan', issues: e({ instanceType: ReservedInstanceType.P5E_48XLARGE }) },
  { rule: 'endpoint instanceType is required when the plan type is unknown', example: 'not given, imported plan without instanceType', issues: e({ reservation: undefined, trainingPlan: importedPlan({ instanceCount: 2 }) }) },
  { rule: 'endpointName / variantName: 1-63 characters', example: "variantName: ''", issues: e({ variantName: '' }) },
  { rule: 'endpointName / variantName: letters, digits and hyphens', example: "endpointName: 'llama_endpoint'", issues: e({ endpointName: 'llama_endpoint' }) },
  { rule: 'modelName: 1-63 letters, digits and hyphens', example: "modelName: 'llama.3'", issues: e({ modelName: 'llama.3' }) },
  { rule: 'reservation.waitForActive is not false when an endpoint is deployed', example: 'waitForActive: false, deployEndpoint unset', issues: e({ reservation: goodEndpointReservation({ waitForActive: false }) }) },
  { rule: 'deployEndpoint is a boolean (JavaScript callers)', example: "'false'", issues: e({ deployEndpoint: 'false' }) },
  { rule: 'a training plan ARN is a SageMaker ARN', example: "'arn:aws:s3:::bucket'", issues: () => validateTrainingPlanArn('arn:aws:s3:::bucket') },
  { rule: "a training plan ARN is the plan's, not a reserved-capacity block's", example: "'arn:aws:sagemaker:us-east-1:123456789012:reserved-capacity/cri-x-abc'", issues: () => validateTrainingPlanArn('arn:aws:sagemaker:us-east-1:123456789012:reserved-capacity/cri-x-abc') },
  { rule: 'a training plan ARN has a 12-digit account', example: "'arn:aws:sagemaker:us-east-1:1234:training-plan/cri-x'", issues: () => validateTrainingPlanArn('arn:aws:sagemaker:us-east-1:1234:training-plan/cri-x') },
  { rule: 'a training plan ARN has a lower-case region', example: "'arn:aws:sagemaker:US-EAST-1:123456789012:training-plan/cri-x'", issues: () => validateTrainingPlanArn('arn:aws:sagemaker:US-EAST-1:123456789012:training-plan/cri-x') },
  { rule: 'a training plan ARN has a region', example: "'arn:aws:sagemaker::123456789012:training-plan/cri-x'", issues: () => validateTrainingPlanArn('arn:aws:sagemaker::123456789012:training-plan/cri-x') },
  { rule: 'a training plan ARN is an ARN', example: "'not-an-arn'", issues: () => validateTrainingPlanArn('not-an-arn') },
  { rule: 'imported plan attributes: instanceCount is a count a plan can hold', example: 'instanceCount: 3', issues: () => validateTrainingPlanAttributes({ trainingPlanArn: GOOD_ARN, instanceCount: 3 }).errors },
];

export const WARNING_EXAMPLES: DocExample[] = [
  { rule: 'a window opening more than 56 days after synth', example: "earliestStart: '2027-03-01T00:00:00Z' (synth on 2026-12-03)", issues: () => validateReservation(goodReservation({ earliestStart: '2027-03-01T00:00:00Z', latestEnd: '2027-03-20T00:00:00Z' }), NOW).warnings },
  { rule: 'a budget below the price floor (type x count x hours)', example: 'maxUpfrontFee: 100 for 1 x ml.p5.48xlarge, 7 days', issues: () => validateReservation(goodReservation({ maxUpfrontFee: 100 }), NOW).warnings },
  { rule: 'an endpoint deployed on a window that opens after the wait budget', example: "earliestStart: '2027-01-25T00:00:00Z', deployEndpoint unset", issues: w({ reservation: goodReservation({ instanceCount: 2 }) }) },
  { rule: 'a window that has closed, or can no longer hold the duration, at synth time', example: "latestEnd: '2026-11-01T00:00:00Z', no earliestStart (synth on 2026-12-03)", issues: () => validateReservation(goodReservation({ earliestStart: undefined, latestEnd: '2026-11-01T00:00:00Z' }), NOW).warnings },
  { rule: 'no spare reserved instance for a blue/green update', example: 'instanceCount: 2 on a plan of 2', issues: w({ instanceCount: 2 }) },
];

/** A markdown table cell: pipes escaped, so a message can never break the table. */
export function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

export function row(example: DocExample): string {
  const messages = example.issues().map((i) => i.message);
  return `| ${cell(example.rule)} | \`${cell(example.example)}\` | ${cell(messages.join(' / '))} |`;
}
