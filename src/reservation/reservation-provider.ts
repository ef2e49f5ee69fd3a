import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { derivedPlanNamePrefix } from './plan-name';
import { ReservationIsCompleteFunction } from './reservation-is-complete-function';
import { ReservationOnEventFunction } from './reservation-on-event-function';
import { acknowledgeFinding } from '../nag/acknowledge';

/**
 * How long a deploy waits for a plan to become Scheduled or Active. It is
 * the Provider framework's maximum total timeout, and it bounds how soon an
 * offering must start when an endpoint is deployed on it in the same deploy.
 */
export const RESERVATION_WAIT_BUDGET = Duration.hours(1);

/** How often isComplete asks for the plan's status. */
export const RESERVATION_QUERY_INTERVAL = Duration.minutes(1);

const PROVIDER_ID = 'cdk-reserved-inference.ReservationProvider';

/**
 * The custom-resource provider behind every reservation in a stack.
 *
 * With `isComplete` the Provider framework adds about a dozen resources
 * (functions, roles, a state machine), so there is one per stack, shared by
 * every reservation in it, as aws-dynamodb's replica provider does.
 */
export class ReservationProvider extends Construct {
  /** The stack's provider, created on first use. */
  public static getOrCreate(scope: Construct): ReservationProvider {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(PROVIDER_ID) as ReservationProvider | undefined;
    return existing ?? new ReservationProvider(stack, PROVIDER_ID);
  }

  public readonly serviceToken: string;
  public readonly waitBudget = RESERVATION_WAIT_BUDGET;
  private readonly role: iam.Role;
  private readonly namedPlanArns = new Set<string>();
  /** Every name this stack derives starts with it; the role may buy nothing else unless granted by name. */
  private readonly derivedPrefix: string;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    this.derivedPrefix = derivedPlanNamePrefix(Stack.of(this).stackName);

    // One role for both handlers, with nothing but what they call: no
    // managed policy, and purchases only under the library's name prefix.
    this.role = new iam.Role(this, 'HandlerRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'cdk-reserved-inference: searches, buys and describes SageMaker training plans',
    });
    this.role.addToPolicy(new iam.PolicyStatement({
      sid: 'SearchOfferings',
      actions: ['sagemaker:SearchTrainingPlanOfferings', 'sagemaker:ListTrainingPlans'],
      resources: ['*'],
    }));
    this.role.addToPolicy(new iam.PolicyStatement({
      sid: 'ManageLibraryPlans',
      actions: ['sagemaker:CreateTrainingPlan', 'sagemaker:DescribeTrainingPlan', 'sagemaker:AddTags'],
      resources: [this.planArn(`${this.derivedPrefix}*`)],
    }));

    const onEvent = new ReservationOnEventFunction(this, 'OnEvent', {
      role: this.role,
      timeout: Duration.minutes(5),
      memorySize: 256,
      description: 'cdk-reserved-inference: buys a training plan at most once',
      logGroup: this.logGroup('OnEventLogs'),
    });
    const isComplete = new ReservationIsCompleteFunction(this, 'IsComplete', {
      role: this.role,
      timeout: Duration.minutes(1),
      memorySize: 256,
      description: 'cdk-reserved-inference: waits for a training plan to be ready',
      logGroup: this.logGroup('IsCompleteLogs'),
    });
    this.role.addToPolicy(new iam.PolicyStatement({
      sid: 'WriteOwnLogs',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [onEvent.logGroup.logGroupArn, isComplete.logGroup.logGroupArn].map((arn) => `${arn}:*`),
    }));

    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: onEvent,
      isCompleteHandler: isComplete,
      queryInterval: RESERVATION_QUERY_INTERVAL,
      totalTimeout: RESERVATION_WAIT_BUDGET,
      logGroup: this.logGroup('FrameworkLogs'),
      disableWaiterStateMachineLogging: false,
      waiterStateMachineLogOptions: {
        destination: this.logGroup('WaiterLogs'),
        level: sfn.LogLevel.ALL,
        includeExecutionData: true,
      },
    });
    this.serviceToken = provider.serviceToken;

    this.acknowledgeFindings(provider, [onEvent, isComplete]);
  }

  /**
   * Lets the handlers buy and describe a plan whose name the user chose
   * outside the library's prefix; each such name is granted by exact ARN.
   */
  public grantPlanName(planName: string): void {
    // A token name (a parameter, say) is granted as the token renders.
    if (!Token.isUnresolved(planName) && planName.startsWith(this.derivedPrefix)) {
      return;
    }
    const arn = this.planArn(planName);
    if (this.namedPlanArns.has(arn)) {
      return;
    }
    this.namedPlanArns.add(arn);
    this.role.addToPolicy(new iam.PolicyStatement({
      actions: ['sagemaker:CreateTrainingPlan', 'sagemaker:DescribeTrainingPlan', 'sagemaker:AddTags'],
      resources: [arn],
    }));
  }

  /**
   * Acknowledges, one by one, the cdk-nag findings on what aws-cdk-lib's
   * Provider framework creates for itself and on the handlers' scoped
   * wildcards, each with the reason it stands.
   */
  private acknowledgeFindings(provider: cr.Provider, handlers: lambda.IFunction[]): void {
    const frameworkFunctions = provider.node.findAll().filter((c): c is lambda.Function => c instanceof lambda.Function);
    for (const role of provider.node.findAll().filter((c): c is iam.Role => c instanceof iam.Role)) {
      acknowledgeFinding(role, 'AwsSolutions-IAM4', 'The Provider framework\'s own functions use AWSLambdaBasicExecutionRole to write their logs; aws-cdk-lib creates these roles and offers no way to replace the policy.',
        { kind: 'Policy', value: 'arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole' });
      for (const fn of [...handlers, ...frameworkFunctions]) {
        acknowledgeFinding(role, 'AwsSolutions-IAM5', 'aws-cdk-lib\'s Provider framework grants invoke on this one function\'s versions and aliases (`<arn>:*`).',
          { kind: 'Resource', value: `${fn.functionArn}:*` });
      }
    }
    const waiter = provider.node.tryFindChild('waiter-state-machine');
    if (waiter) {
      acknowledgeFinding(waiter, 'AwsSolutions-IAM5', 'CloudWatch Logs delivery for a state machine (logs:CreateLogDelivery and friends) supports no resource-level permissions; aws-cdk-lib creates this statement.',
        { kind: 'Resource', value: '*' });
      acknowledgeFinding(waiter, 'AwsSolutions-SF2', 'The waiter state machine is a one-step polling loop created by aws-cdk-lib that exposes no tracing option; its executions are logged in full (level ALL).');
    }
    acknowledgeFinding(this.role, 'AwsSolutions-IAM5', 'SearchTrainingPlanOfferings and ListTrainingPlans support no resource-level permissions.',
      { kind: 'Resource', value: '*' });
    acknowledgeFinding(this.role, 'AwsSolutions-IAM5', 'Create, describe and tag are limited to training plans named with the prefix this stack derives its plan names from (cri-<stack>-).',
      { kind: 'Resource', value: this.planArn(`${this.derivedPrefix}*`) });
    for (const fn of handlers) {
      acknowledgeFinding(fn, 'AwsSolutions-L1', 'Node.js 22 is pinned on purpose: the bundled SageMaker client is built and tested for it; a runtime bump is a deliberate, tested change.');
      acknowledgeFinding(this.role, 'AwsSolutions-IAM5', 'Log streams in this handler\'s own log group, whose names Lambda chooses.',
        { kind: 'Resource', value: `${(fn as lambda.Function).logGroup.logGroupArn}:*` });
    }
  }

  private planArn(resourceName: string): string {
    return Stack.of(this).formatArn({ service: 'sagemaker', resource: 'training-plan', resourceName });
  }

  private logGroup(id: string): logs.LogGroup {
    return new logs.LogGroup(this, id, {
      retention: logs.RetentionDays.ONE_YEAR,
    });
  }
}
