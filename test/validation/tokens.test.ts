import { Aws, CfnParameter, Duration, Fn, Lazy, Stack, Token } from 'aws-cdk-lib';
import { goodEndpoint, goodEndpointReservation, goodReservation, importedPlan, NOW, WAIT_BUDGET_SECONDS } from './fixtures';
import { ReservedInstanceType } from '../../src/reservation/instance-type';
import { OfferingSelection } from '../../src/reservation/offering-selection';
import {
  planFactsOf,
  planNameFromArn,
  validateEndpoint,
  validateReservation,
  validateTrainingPlanArn,
  validateTrainingPlanAttributes,
} from '../../src/validation';

/**
 * A value that is still a token at synth is only known at deploy: the rules
 * that need it are skipped (the handler checks at deploy), and it must never
 * be refused by mistake. The rules that do not need it still run.
 */

const stack = new Stack();
const numberParam = (id: string) => new CfnParameter(stack, id, { type: 'Number' }).valueAsNumber;
const stringParam = (id: string) => new CfnParameter(stack, id, { type: 'String' }).valueAsString;

describe('each token kind is accepted in a reservation', () => {
  test.each<[string, Record<string, unknown>]>([
    ['instanceType of a token', { instanceType: ReservedInstanceType.of(stringParam('Type')) }],
    ['instanceCount from a Number parameter', { instanceCount: numberParam('Count') }],
    ['duration of a token number of hours', { duration: Duration.hours(Lazy.number({ produce: () => 168 })) }],
    ['duration of a parameter', { duration: Duration.hours(numberParam('Hours')) }],
    ['earliestStart from a parameter', { earliestStart: stringParam('Start') }],
    ['latestEnd from a parameter', { latestEnd: stringParam('End') }],
    ['both window ends from parameters', { earliestStart: stringParam('Start2'), latestEnd: stringParam('End2') }],
    ['maxUpfrontFee from a parameter', { maxUpfrontFee: numberParam('Fee') }],
    ['currencyCode from a parameter', { currencyCode: stringParam('Currency') }],
    ['selection from a parameter', { selection: stringParam('Selection') as OfferingSelection }],
    ['planName from Fn.ref', { planName: Fn.ref('PlanNameParam') }],
    ['planName with an embedded token', { planName: `cri-${Aws.STACK_NAME}-plan` }],
    ['tag value from a parameter', { tags: { team: stringParam('Team') } }],
    ['tag key from a token', { tags: { [Lazy.string({ produce: () => 'team' })]: 'ml' } }],
  ])('%s', (_name, overrides) => {
    expect(validateReservation(goodReservation(overrides), NOW)).toEqual({ errors: [], warnings: [] });
  });

  test('a token skips only the checks that need it: the other fields are still checked', () => {
    const result = validateReservation(goodReservation({ instanceCount: numberParam('Count2'), duration: Duration.hours(36) }), NOW);
    expect(result.errors.map((e) => e.property)).toEqual(['duration']);
  });

  test('a token earliestStart still lets a latestEnd too close to synth time be flagged', () => {
    const result = validateReservation(goodReservation({ earliestStart: stringParam('Start3'), latestEnd: '2026-12-05T00:00:00Z' }), NOW);
    expect(result.errors).toEqual([]);
    expect(result.warnings.map((e) => e.message)).toEqual([
      'latestEnd is "2026-12-05T00:00:00Z", only 2 days after synth time (2026-12-03T00:00:00.000Z), the earliest earliestStart can be, less than duration (7 days): ' +
      'no new plan can be bought in this window; a deploy succeeds only by adopting the plan an earlier deploy bought under this name, and otherwise fails without buying.',
    ]);
  });

  test('a token duration skips the window length and price checks, not the window order', () => {
    const duration = Duration.hours(numberParam('TokenHours'));
    expect(validateReservation(goodReservation({ duration, latestEnd: '2027-01-26T00:00:00Z', maxUpfrontFee: 1 }), NOW)).toEqual({ errors: [], warnings: [] });
    expect(validateReservation(goodReservation({ duration, latestEnd: '2027-01-20T00:00:00Z' }), NOW).errors.map((e) => e.property)).toEqual(['latestEnd']);
  });

  test('the parameters really are unresolved (guards the test itself)', () => {
    expect(Token.isUnresolved(numberParam('Check'))).toBe(true);
    expect(Duration.days(Lazy.number({ produce: () => 7 })).isUnresolved()).toBe(true);
  });
});

describe('each token kind is accepted on an endpoint', () => {
  test('instanceCount from a parameter, with the reserved count known', () => {
    const props = goodEndpoint({ instanceCount: numberParam('EndpointCount') });
    expect(validateEndpoint(props, planFactsOf(props), NOW, WAIT_BUDGET_SECONDS)).toEqual({ errors: [], warnings: [] });
  });

  test('a reserved count from a parameter, endpoint count not given', () => {
    const props = goodEndpoint({ reservation: goodEndpointReservation({ instanceCount: numberParam('Reserved') }), instanceCount: undefined });
    expect(validateEndpoint(props, planFactsOf(props), NOW, WAIT_BUDGET_SECONDS)).toEqual({ errors: [], warnings: [] });
  });

  test('a reserved count from a parameter with a concrete endpoint count', () => {
    const props = goodEndpoint({ reservation: goodEndpointReservation({ instanceCount: numberParam('Reserved2') }), instanceCount: 16 });
    expect(validateEndpoint(props, planFactsOf(props), NOW, WAIT_BUDGET_SECONDS)).toEqual({ errors: [], warnings: [] });
  });

  test('an instance type of a token on the plan and a concrete one on the endpoint', () => {
    const props = goodEndpoint({
      reservation: goodEndpointReservation({ instanceType: ReservedInstanceType.of(stringParam('PlanType')) }),
      instanceType: ReservedInstanceType.P5E_48XLARGE,
    });
    expect(validateEndpoint(props, planFactsOf(props), NOW, WAIT_BUDGET_SECONDS)).toEqual({ errors: [], warnings: [] });
  });

  test('an instance type of a token on the endpoint', () => {
    const props = goodEndpoint({ instanceType: ReservedInstanceType.of(stringParam('EndpointType')) });
    expect(validateEndpoint(props, planFactsOf(props), NOW, WAIT_BUDGET_SECONDS)).toEqual({ errors: [], warnings: [] });
  });

  test('names and model from tokens', () => {
    const props = goodEndpoint({
      modelName: Fn.getAtt('Model', 'ModelName').toString(),
      endpointName: stringParam('EndpointName'),
      variantName: Fn.ref('VariantParam'),
    });
    expect(validateEndpoint(props, planFactsOf(props), NOW, WAIT_BUDGET_SECONDS)).toEqual({ errors: [], warnings: [] });
  });

  test('an earliestStart of a token raises no wait-budget warning', () => {
    const props = goodEndpoint({ reservation: goodEndpointReservation({ earliestStart: stringParam('Start4') }) });
    expect(validateEndpoint(props, planFactsOf(props), NOW, WAIT_BUDGET_SECONDS)).toEqual({ errors: [], warnings: [] });
  });

  test('an imported plan whose ARN comes from Fn.importValue', () => {
    const props = goodEndpoint({
      reservation: undefined,
      trainingPlan: importedPlan({ arn: Fn.importValue('SharedPlanArn'), instanceType: ReservedInstanceType.P5_48XLARGE, instanceCount: 2 }),
    });
    expect(validateEndpoint(props, planFactsOf(props), NOW, WAIT_BUDGET_SECONDS)).toEqual({ errors: [], warnings: [] });
  });
});

describe('ARNs and attributes of tokens', () => {
  test.each([
    ['Fn.importValue', Fn.importValue('SharedPlanArn')],
    ['a parameter', stringParam('Arn')],
    ['a joined ARN with the stack region', `arn:${Aws.PARTITION}:sagemaker:${Aws.REGION}:${Aws.ACCOUNT_ID}:training-plan/cri-x`],
  ])('ARN from %s', (_name, arn) => {
    expect(validateTrainingPlanArn(arn)).toEqual([]);
    expect(planNameFromArn(arn)).toBeUndefined();
  });

  test('attributes with a count from a parameter', () => {
    expect(validateTrainingPlanAttributes({ trainingPlanArn: Fn.importValue('A'), instanceCount: numberParam('AttrCount') }).errors).toEqual([]);
  });
});

test('a token duration in days is refused with the form that works: CloudFormation cannot turn days into hours', () => {
  const result = validateReservation(goodReservation({ duration: Duration.days(numberParam('TokenDays')) }), NOW);
  expect(result.errors.map((e) => e.message)).toEqual([
    expect.stringMatching(/^duration given as a token must be Duration\.hours\(token\), the number of hours \(a multiple of 24\); got Duration\.days\(/),
  ]);
});
