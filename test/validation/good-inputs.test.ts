import { Duration } from 'aws-cdk-lib';
import {
  GOOD_ARN,
  goodEndpoint,
  goodEndpointReservation,
  goodReservation,
  importedPlan,
  NOW,
  WAIT_BUDGET_SECONDS,
} from './fixtures';
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

const CLEAN = { errors: [], warnings: [] };

describe('valid input yields no errors and no warnings', () => {
  test('a realistic reservation: 1 x ml.p5.48xlarge, 7 days, 2027-01-25..2027-02-05, at most 60000 USD', () => {
    expect(validateReservation(goodReservation(), NOW)).toEqual(CLEAN);
  });

  test('every optional field set to a valid value', () => {
    expect(validateReservation(goodReservation({
      instanceType: ReservedInstanceType.of('ml.trn2.48xlarge'),
      instanceCount: 64,
      duration: Duration.days(7),
      earliestStart: '2027-01-25T09:30:00.123+05:30',
      latestEnd: '2027-02-05T00:00-08:00',
      maxUpfrontFee: 5_000_000,
      currencyCode: 'USD',
      selection: OfferingSelection.EARLIEST_START,
      planName: 'cri-trn2-batch-2027-q1',
      tags: { 'team': 'inference', 'cost-center': '1234', 'aws-team': 'x', 'owner@example.com': 'a/b:c=d+e' },
      purchase: false,
      waitForActive: true,
    }), NOW)).toEqual(CLEAN);
  });

  test('durations at both ends, and Duration.hours in multiples of 24', () => {
    for (const duration of [Duration.days(1), Duration.hours(24), Duration.days(182), Duration.hours(4368), Duration.minutes(1440 * 14)]) {
      expect(validateReservation(goodReservation({ duration, latestEnd: undefined }), NOW)).toEqual(CLEAN);
    }
  });

  test('49 user tags (50 with the owner tag)', () => {
    const tags = Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`k${i}`, 'v']));
    expect(validateReservation(goodReservation({ tags }), NOW)).toEqual(CLEAN);
  });

  test('a window that exactly fits the duration', () => {
    expect(validateReservation(goodReservation({ latestEnd: '2027-02-01T00:00:00Z' }), NOW)).toEqual(CLEAN);
  });

  test('an earliestStart in the past is read as "from now"', () => {
    expect(validateReservation(goodReservation({ earliestStart: '2026-01-01T00:00:00Z', latestEnd: '2026-12-20T00:00:00Z' }), NOW)).toEqual(CLEAN);
  });

  test('an endpoint on a reservation starting within the wait budget, with a spare reserved instance', () => {
    const props = goodEndpoint();
    expect(validateEndpoint(props, planFactsOf(props), NOW, WAIT_BUDGET_SECONDS)).toEqual(CLEAN);
  });

  test('an endpoint with every optional field, instanceCount below the reserved count', () => {
    const props = goodEndpoint({
      reservation: goodEndpointReservation({ instanceCount: 8 }),
      instanceType: ReservedInstanceType.P5_48XLARGE,
      instanceCount: 7,
      variantName: 'AllTraffic',
      endpointName: 'llama-3-70b-prod',
      deployEndpoint: true,
    });
    expect(validateEndpoint(props, planFactsOf(props), NOW, WAIT_BUDGET_SECONDS)).toEqual(CLEAN);
  });

  test('reserving ahead: deployEndpoint false on the realistic 2027 window', () => {
    const props = goodEndpoint({ reservation: goodReservation(), instanceCount: undefined, deployEndpoint: false });
    expect(validateEndpoint(props, planFactsOf(props), NOW, WAIT_BUDGET_SECONDS)).toEqual(CLEAN);
  });

  test('a planName outside the library prefix (the provider grants it by exact ARN)', () => {
    expect(validateReservation(goodReservation({ planName: 'Team-A-Q1-plan' }), NOW)).toEqual(CLEAN);
  });

  test('a dry run on an endpoint: the construct then deploys no endpoint', () => {
    const props = goodEndpoint({ reservation: goodEndpointReservation({ purchase: false }) });
    expect(validateEndpoint(props, planFactsOf(props), NOW, WAIT_BUDGET_SECONDS)).toEqual(CLEAN);
  });

  test('an endpoint on an imported plan whose type and count are known', () => {
    const props = goodEndpoint({
      reservation: undefined,
      trainingPlan: importedPlan({ instanceType: ReservedInstanceType.P5_48XLARGE, instanceCount: 4 }),
      instanceCount: 2,
    });
    expect(validateEndpoint(props, planFactsOf(props), NOW, WAIT_BUDGET_SECONDS)).toEqual(CLEAN);
  });

  test('an endpoint on an imported plan of unknown type and count states its own', () => {
    const props = goodEndpoint({
      reservation: undefined,
      trainingPlan: importedPlan(),
      instanceType: ReservedInstanceType.P5_48XLARGE,
      instanceCount: 1,
    });
    expect(validateEndpoint(props, planFactsOf(props), NOW, WAIT_BUDGET_SECONDS)).toEqual(CLEAN);
  });

  test.each([
    'arn:aws:sagemaker:us-east-1:123456789012:training-plan/cri-llama-serving',
    'arn:aws-cn:sagemaker:cn-north-1:123456789012:training-plan/p',
    'arn:aws-us-gov:sagemaker:us-gov-west-1:123456789012:training-plan/My-Plan--2',
  ])('ARN %s', (arn) => {
    expect(validateTrainingPlanArn(arn)).toEqual([]);
  });

  test('plan attributes with every field', () => {
    const attrs = { trainingPlanArn: GOOD_ARN, instanceType: ReservedInstanceType.P5_48XLARGE, instanceCount: 8 };
    expect(validateTrainingPlanAttributes(attrs)).toEqual(CLEAN);
  });
});

describe('several mistakes at once are all reported in one result', () => {
  test('three reservation mistakes give three errors, in prop order', () => {
    const result = validateReservation(goodReservation({
      instanceCount: 3,
      duration: Duration.hours(36),
      maxUpfrontFee: 0,
    }), NOW);
    expect(result.errors.map((e) => e.property)).toEqual(['instanceCount', 'duration', 'maxUpfrontFee']);
    expect(result.errors.map((e) => e.message)).toEqual([
      'instanceCount must be one of 1, 2, 4, 8, 16, 32, 64; got 3.',
      'duration must be whole days from 1 to 182 (24 to 4368 hours in steps of 24); got 36 hours (Duration.hours(36)).',
      'maxUpfrontFee must be a finite number greater than 0 (the most the plan may cost, in currencyCode); got 0.',
    ]);
  });

  test('endpoint and nested reservation mistakes together', () => {
    const props = goodEndpoint({
      reservation: goodEndpointReservation({ currencyCode: 'usd', planName: 'bad name' }),
      endpointName: 'bad_name',
      instanceCount: 5,
    });
    const result = validateEndpoint(props, planFactsOf(props), NOW, WAIT_BUDGET_SECONDS);
    expect(result.errors.map((e) => e.property)).toEqual(['reservation.currencyCode', 'reservation.planName', 'instanceCount', 'endpointName']);
  });

  test('every bad tag is reported, not only the first', () => {
    const result = validateReservation(goodReservation({ tags: { 'aws:a': 'x', 'aws:b': 'y', 'ok': 'v'.repeat(300) } }), NOW);
    expect(result.errors).toHaveLength(3);
  });
});

describe('planNameFromArn', () => {
  test.each([
    [GOOD_ARN, 'cri-llama-serving'],
    ['arn:aws:sagemaker:us-east-1:123456789012:reserved-capacity/x', undefined],
    ['arn:aws:s3:::bucket', undefined],
    ['', undefined],
  ])('%s -> %s', (arn, name) => {
    expect(planNameFromArn(arn)).toBe(name);
  });
});

describe('planFactsOf', () => {
  test('reads the reservation first', () => {
    expect(planFactsOf(goodEndpoint())).toEqual({ instanceType: 'ml.p5.48xlarge', instanceCount: 2 });
  });

  test('reads an imported plan, unknown facts stay undefined', () => {
    expect(planFactsOf(goodEndpoint({ reservation: undefined, trainingPlan: importedPlan({ instanceCount: 4 }) })))
      .toEqual({ instanceType: undefined, instanceCount: 4 });
  });
});
