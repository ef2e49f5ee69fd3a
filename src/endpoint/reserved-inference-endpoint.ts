import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CfnEndpoint, CfnEndpointConfig } from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { ReservedInferenceEndpointProps } from './reserved-inference-endpoint-props';
import { ReservedInstanceType } from '../reservation/instance-type';
import { RESERVATION_WAIT_BUDGET } from '../reservation/reservation-provider';
import { ITrainingPlan } from '../reservation/training-plan';
import { TrainingPlanReservationProps } from '../reservation/training-plan-props';
import { TrainingPlanReservation } from '../reservation/training-plan-reservation';
import { markValidatedByParent } from '../reservation/validated-by-parent';
import { attachValidation } from '../validation/attach';
import { validatePlanBinding } from '../validation/binding-rules';
import { claim, environmentKey } from '../validation/claims';
import { planFactsOf, validateEndpoint } from '../validation/endpoint-rules';
import { validationError } from '../validation/errors';

/** The only preference that keeps an endpoint on the plan it paid for. */
const CAPACITY_RESERVATIONS_ONLY = 'capacity-reservations-only';

/**
 * A SageMaker inference endpoint that runs only on reserved training-plan
 * capacity, with the plan bought in the same deploy or bound from elsewhere.
 *
 * The endpoint config's production variant carries
 * `CapacityReservationConfig { capacity-reservations-only, MlReservationArn }`,
 * so the endpoint never silently falls back to on-demand capacity. The
 * config has no fixed name, because every config property requires
 * replacement and a named config could never be replaced.
 */
export class ReservedInferenceEndpoint extends Construct {
  /** The plan the endpoint runs on. */
  public readonly trainingPlan: ITrainingPlan;
  /** The reservation this construct bought, when `reservation` was given. */
  public readonly reservation?: TrainingPlanReservation;
  /** The endpoint config; undefined when `deployEndpoint` is false or in a dry run. */
  public readonly endpointConfig?: CfnEndpointConfig;
  /** The endpoint; undefined when `deployEndpoint` is false or in a dry run. */
  public readonly endpoint?: CfnEndpoint;
  /** The endpoint's name; undefined when no endpoint is deployed. */
  public readonly endpointName?: string;
  /** The endpoint's ARN; undefined when no endpoint is deployed. */
  public readonly endpointArn?: string;
  /** The production variant's name. */
  public readonly variantName: string;
  /** The endpoint's instance type. */
  public readonly instanceType?: ReservedInstanceType;
  /** How many instances the endpoint starts with. */
  public readonly instanceCount?: number;

  constructor(scope: Construct, id: string, props: ReservedInferenceEndpointProps) {
    super(scope, id);
    // JavaScript callers can pass nothing; validation reports it, and the
    // construct must get that far without a TypeError.
    props = props ?? ({} as ReservedInferenceEndpointProps);
    const deployEndpoint = props.deployEndpoint ?? true;
    this.variantName = props.variantName ?? 'AllTraffic';

    attachValidation(this, validateEndpoint(props, planFactsOf(props), new Date(), RESERVATION_WAIT_BUDGET.toSeconds()));

    if (props.reservation && !props.trainingPlan) {
      const reservationProps: TrainingPlanReservationProps = {
        ...props.reservation,
        waitForActive: props.reservation.waitForActive ?? deployEndpoint,
      };
      markValidatedByParent(reservationProps);
      this.reservation = new TrainingPlanReservation(this, 'Reservation', reservationProps);
      this.trainingPlan = this.reservation;
    } else {
      // Both or neither were given: validation reports it; build nothing that could be bought.
      this.trainingPlan = props.trainingPlan ?? TrainingPlanReservation.fromTrainingPlanArn(this, 'MissingPlan', Stack.of(this).formatArn({
        service: 'sagemaker', resource: 'training-plan', resourceName: 'missing',
      }));
    }

    this.instanceType = props.instanceType ?? this.trainingPlan.instanceType;
    this.instanceCount = props.instanceCount ?? this.trainingPlan.instanceCount;
    const dryRun = this.reservation !== undefined && !this.reservation.purchase;
    if (!deployEndpoint || dryRun || !this.instanceType || this.instanceCount === undefined || !Construct.isConstruct(this.trainingPlan)) {
      return;
    }
    this.checkBinding(props);

    this.endpointConfig = new CfnEndpointConfig(this, 'EndpointConfig', {
      productionVariants: [{
        variantName: this.variantName,
        modelName: props.modelName,
        instanceType: this.instanceType.name,
        initialInstanceCount: this.instanceCount,
        capacityReservationConfig: {
          capacityReservationPreference: CAPACITY_RESERVATIONS_ONLY,
          mlReservationArn: this.trainingPlan.trainingPlanArn,
        },
      }],
    });
    this.endpoint = new CfnEndpoint(this, 'Endpoint', {
      endpointConfigName: this.endpointConfig.attrEndpointConfigName,
      endpointName: props.endpointName,
    });
    // The plan must be Active before the endpoint asks for its capacity,
    // which the reservation's isComplete guarantees when it has completed.
    // (The config already waits for it through MlReservationArn.)
    this.endpoint.node.addDependency(this.trainingPlan);
    this.endpointName = this.endpoint.attrEndpointName;
    this.endpointArn = this.endpoint.ref;
  }

  /**
   * Checks what only the construct tree knows: the plan construct itself,
   * the stack's environment, and the other endpoints and names in the app.
   */
  private checkBinding(props: ReservedInferenceEndpointProps): void {
    const stack = Stack.of(this);
    const plan = this.trainingPlan;
    const bought = plan instanceof TrainingPlanReservation ? plan : undefined;
    const errors = validatePlanBinding({
      deployEndpoint: true,
      planArn: plan.trainingPlanArn,
      planPurchased: bought?.purchase,
      // The plan this construct buys waits as deployEndpoint says; one built elsewhere must be told.
      planWaitsForActive: bought && bought !== this.reservation ? bought.waitForActive : undefined,
      stack: { partition: stack.partition, region: stack.region, account: stack.account },
      planUsedBy: claim(this, `plan-endpoint:${plan.node.path}`),
    });
    if (props.endpointName !== undefined && !Token.isUnresolved(props.endpointName)) {
      const holder = claim(this, `endpoint-name:${environmentKey(stack)}:${props.endpointName}`);
      if (holder !== undefined) {
        errors.push({
          property: 'endpointName',
          message: `endpointName must be unique in its account and region; got ${JSON.stringify(props.endpointName)}, which ${holder} uses too. The second endpoint would fail at deploy, after its plan was bought.`,
        });
      }
    }
    attachValidation(this, { errors, warnings: [] });
  }

  /** Lets `grantee` invoke the endpoint (and nothing else on it). */
  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['sagemaker:InvokeEndpoint', 'sagemaker:InvokeEndpointAsync', 'sagemaker:InvokeEndpointWithResponseStream'],
      resourceArns: [this.requireEndpoint('grantInvoke').ref],
    });
  }

  /**
   * A metric of the endpoint's production variant in `AWS/SageMaker`.
   *
   * @default - average over 5 minutes
   */
  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    const endpoint = this.requireEndpoint('metric');
    return new cloudwatch.Metric({
      namespace: 'AWS/SageMaker',
      metricName,
      dimensionsMap: { EndpointName: endpoint.attrEndpointName, VariantName: this.variantName },
      period: Duration.minutes(5),
      ...props,
    });
  }

  /** Requests the endpoint received; a drop to zero at the window's end means the reservation expired. */
  public metricInvocations(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('Invocations', { statistic: 'Sum', ...props });
  }

  /** Model latency in microseconds, as SageMaker reports it. */
  public metricModelLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('ModelLatency', { statistic: 'Average', ...props });
  }

  /** Server errors; capacity errors after the window ends show up here. */
  public metricInvocation5XXErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('Invocation5XXErrors', { statistic: 'Sum', ...props });
  }

  private requireEndpoint(method: string): CfnEndpoint {
    if (!this.endpoint) {
      throw validationError('NoEndpointDeployed', `${method}: ${this.node.path} deploys no endpoint (deployEndpoint is false, or the reservation is a dry run); set deployEndpoint: true to use ${method}.`, this);
    }
    return this.endpoint;
  }
}
