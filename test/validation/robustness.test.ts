import { Duration } from 'aws-cdk-lib';
import { goodEndpoint, goodReservation, NOW, WAIT_BUDGET_SECONDS } from './fixtures';
import { ReservedInferenceEndpointProps } from '../../src/endpoint/reserved-inference-endpoint-props';
import { TrainingPlanReservationProps } from '../../src/reservation/training-plan-props';
import { planFactsOf, validateEndpoint, validateReservation, validateTrainingPlanArn } from '../../src/validation';

/**
 * JavaScript callers can pass anything. The rules must answer with issues,
 * never throw: an exception names no property, and a caller that catches it
 * might carry on to the purchase.
 */

const oddValues: unknown[] = [undefined, null, 0, -1, NaN, '', 'x', true, {}, [], () => 1, Symbol('s'), Duration.hours(NaN), new Date(NaN)];
const reservationKeys: (keyof TrainingPlanReservationProps)[] = [
  'instanceType', 'instanceCount', 'duration', 'earliestStart', 'latestEnd', 'maxUpfrontFee',
  'currencyCode', 'selection', 'planName', 'tags', 'purchase', 'waitForActive',
];
const endpointKeys: (keyof ReservedInferenceEndpointProps)[] = [
  'modelName', 'reservation', 'trainingPlan', 'instanceType', 'instanceCount', 'variantName', 'endpointName', 'deployEndpoint',
];

describe('the rules never throw', () => {
  test.each(reservationKeys)('reservation.%s of any value', (key) => {
    for (const value of oddValues) {
      expect(() => validateReservation(goodReservation({ [key]: value }), NOW)).not.toThrow();
    }
  });

  test.each(endpointKeys)('endpoint %s of any value', (key) => {
    for (const value of oddValues) {
      const props = goodEndpoint({ [key]: value });
      expect(() => validateEndpoint(props, planFactsOf(props), NOW, WAIT_BUDGET_SECONDS)).not.toThrow();
    }
  });

  test('props that are not objects', () => {
    for (const value of [undefined, null, 3, 'x']) {
      expect(validateReservation(value as unknown as TrainingPlanReservationProps, NOW).errors).toHaveLength(1);
      expect(validateEndpoint(value as unknown as ReservedInferenceEndpointProps, {}, NOW, WAIT_BUDGET_SECONDS).errors).toHaveLength(1);
    }
  });

  test('a non-integral Duration (the trap of toHours()) is an issue, not an exception', () => {
    for (const duration of [Duration.minutes(1500), Duration.seconds(90), Duration.millis(1)]) {
      const result = validateReservation(goodReservation({ duration }), NOW);
      expect(result.errors.map((e) => e.property)).toEqual(['duration']);
    }
  });

  test('ARNs of any value', () => {
    for (const value of oddValues) {
      expect(() => validateTrainingPlanArn(value as string)).not.toThrow();
    }
  });

  test('odd values that are wrong are refused, not accepted', () => {
    for (const key of ['instanceCount', 'maxUpfrontFee', 'duration', 'instanceType'] as const) {
      for (const value of [null, '', {}, [], true]) {
        const result = validateReservation(goodReservation({ [key]: value }), NOW);
        expect(result.errors.map((e) => e.property)).toContain(key);
      }
    }
  });
});
