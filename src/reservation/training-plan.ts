import { IResource } from 'aws-cdk-lib';
import { ReservedInstanceType } from './instance-type';

/**
 * A SageMaker training plan: reserved capacity that an endpoint can run on.
 */
export interface ITrainingPlan extends IResource {
  /**
   * The plan's ARN, which an endpoint config's `MlReservationArn` binds to.
   *
   * @attribute
   */
  readonly trainingPlanArn: string;

  /**
   * The plan's name.
   *
   * @attribute
   */
  readonly trainingPlanName: string;

  /**
   * The instance type the plan reserves, when known at synth; lets synth
   * refuse an endpoint of another type.
   */
  readonly instanceType?: ReservedInstanceType;

  /**
   * How many instances the plan reserves, when known at synth; lets synth
   * refuse an endpoint that asks for more.
   */
  readonly instanceCount?: number;
}

/**
 * What is known of a training plan bought earlier, for
 * `TrainingPlanReservation.fromTrainingPlanAttributes`.
 */
export interface TrainingPlanAttributes {
  /**
   * The plan's ARN (`arn:aws:sagemaker:<region>:<account>:training-plan/<name>`).
   */
  readonly trainingPlanArn: string;

  /**
   * The instance type the plan reserves.
   *
   * @default - unknown: the endpoint must state its own instance type
   */
  readonly instanceType?: ReservedInstanceType;

  /**
   * How many instances the plan reserves.
   *
   * @default - unknown: the endpoint must state its own instance count
   */
  readonly instanceCount?: number;
}
