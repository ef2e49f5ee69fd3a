import { Duration, Resource, Stack } from 'aws-cdk-lib';
import { ReservedInferenceEndpointProps } from '../../src/endpoint/reserved-inference-endpoint-props';
import { ReservedInstanceType } from '../../src/reservation/instance-type';
import { ITrainingPlan } from '../../src/reservation/training-plan';
import { TrainingPlanReservationProps } from '../../src/reservation/training-plan-props';

/**
 * Shared inputs for the validation tests. Every bad input is one of these
 * good ones with a single field changed, so a refusal can only come from
 * that field.
 */

/** Synth time in every test: about seven weeks before the realistic window. */
export const NOW = new Date('2026-12-03T00:00:00Z');

/** The provider's wait budget (its total timeout is at most one hour). */
export const WAIT_BUDGET_SECONDS = 3600;

export const GOOD_ARN = 'arn:aws:sagemaker:us-east-1:123456789012:training-plan/cri-llama-serving';

/** Field values as a JavaScript caller may pass them: anything at all. */
export type Loose<T> = { [K in keyof T]?: unknown };

/** 1 x ml.p5.48xlarge for 7 days inside 2027-01-25..2027-02-05, at most 60000 USD: valid and unremarkable. */
export function goodReservation(overrides: Loose<TrainingPlanReservationProps> = {}): TrainingPlanReservationProps {
  const base: TrainingPlanReservationProps = {
    instanceType: ReservedInstanceType.P5_48XLARGE,
    instanceCount: 1,
    duration: Duration.days(7),
    earliestStart: '2027-01-25T00:00:00Z',
    latestEnd: '2027-02-05T00:00:00Z',
    maxUpfrontFee: 60000,
  };
  return { ...base, ...overrides } as TrainingPlanReservationProps;
}

/**
 * A reservation an endpoint can be deployed on in the same deploy: it may
 * start within the wait budget, and it reserves 2 so the endpoint's 1 leaves
 * a spare instance.
 */
export function goodEndpointReservation(overrides: Loose<TrainingPlanReservationProps> = {}): TrainingPlanReservationProps {
  return goodReservation({
    instanceCount: 2,
    earliestStart: '2026-12-03T00:30:00Z',
    latestEnd: '2026-12-20T00:00:00Z',
    maxUpfrontFee: 120000,
    ...overrides,
  });
}

export function goodEndpoint(overrides: Loose<ReservedInferenceEndpointProps> = {}): ReservedInferenceEndpointProps {
  const base: ReservedInferenceEndpointProps = {
    modelName: 'llama-3-70b',
    reservation: goodEndpointReservation(),
    instanceCount: 1,
  };
  return { ...base, ...overrides } as ReservedInferenceEndpointProps;
}

/** An imported plan, as `fromTrainingPlanAttributes` would return it. */
class ImportedPlan extends Resource implements ITrainingPlan {
  public readonly trainingPlanArn: string;
  public readonly trainingPlanName: string;
  public readonly instanceType?: ReservedInstanceType;
  public readonly instanceCount?: number;

  constructor(scope: Stack, id: string, arn: string, instanceType?: ReservedInstanceType, instanceCount?: number) {
    super(scope, id);
    this.trainingPlanArn = arn;
    this.trainingPlanName = arn.split('/').pop() ?? '';
    this.instanceType = instanceType;
    this.instanceCount = instanceCount;
  }
}

let planCounter = 0;

export function importedPlan(opts: { arn?: string; instanceType?: ReservedInstanceType; instanceCount?: number } = {}): ITrainingPlan {
  const stack = new Stack();
  return new ImportedPlan(stack, `Plan${planCounter++}`, opts.arn ?? GOOD_ARN, opts.instanceType, opts.instanceCount);
}
