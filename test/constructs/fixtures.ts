import { App, Duration, Stack } from 'aws-cdk-lib';
import { ReservedInstanceType, TrainingPlanReservationProps } from '../../src';

/**
 * aws-cdk-lib's built-in template validator in strict mode: schema errors and
 * warnings both fail synth, so every construct test also checks the template.
 */
export const STRICT_VALIDATION = {
  '@aws-cdk/core:validateAgainstDefaultRules': true,
  '@aws-cdk/core:strictCfnValidateErrors': true,
};

/** A stack pinned to a region and account, so ARNs render concretely. */
export function newStack(id = 'TestStack'): { app: App; stack: Stack } {
  const app = new App({ context: STRICT_VALIDATION });
  const stack = new Stack(app, id, { env: { account: '123456789012', region: 'us-west-2' } });
  return { app, stack };
}

/** A valid reservation: one p5.48xlarge for a week in a window that opens in late January 2027. */
export function weekOfP5(overrides: Partial<TrainingPlanReservationProps> = {}): TrainingPlanReservationProps {
  return {
    instanceType: ReservedInstanceType.P5_48XLARGE,
    instanceCount: 2,
    duration: Duration.days(7),
    earliestStart: '2027-01-25T00:00:00Z',
    latestEnd: '2027-02-05T00:00:00Z',
    maxUpfrontFee: 120_000,
    ...overrides,
  };
}
