import { App, CfnOutput, Duration, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { ReservedInferenceEndpoint, ReservedInstanceType } from '../../src';

/** The two phases of the seed scenario. */
export type Phase = 'reserve' | 'serve';

export interface EvaluationStackProps extends StackProps {
  /** `reserve` buys ahead of the window; `serve` deploys the endpoint on the same plan. */
  readonly phase: Phase;
}

/**
 * A data science team evaluates fine-tuned models for one week on one
 * ml.p5.48xlarge in us-west-2, in a window that opens in late January 2027.
 *
 * Phase `reserve` runs now: it buys the week (or adopts it, if an earlier
 * deploy did) and deploys no endpoint. Phase `serve` runs once the window has
 * opened: the same construct, with `deployEndpoint: true`, binds an endpoint
 * to the same plan, which the handler adopts instead of buying again.
 */
export class EvaluationStack extends Stack {
  public readonly endpoint: ReservedInferenceEndpoint;

  constructor(scope: Construct, id: string, props: EvaluationStackProps) {
    super(scope, id, props);

    const modelRole = new iam.Role(this, 'ModelRole', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: 'Reads the fine-tuned model artifacts and pulls the serving image',
    });
    const artifacts = `arn:${this.partition}:s3:::eval-team-models-${this.account}/fine-tuned/llama-70b-ft-v3`;
    modelRole.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [`${artifacts}/*`] }));
    modelRole.addToPolicy(new iam.PolicyStatement({
      actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
      resources: [`arn:${this.partition}:ecr:${this.region}:${this.account}:repository/eval-serving`],
    }));
    modelRole.addToPolicy(new iam.PolicyStatement({ actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }));
    Validations.of(modelRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ecr:GetAuthorizationToken supports no resource-level permissions.',
    });
    Validations.of(modelRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::eval-team-models-${this.account}/fine-tuned/llama-70b-ft-v3/*]`,
      reason: 'Object reads are limited to this one model\'s artifact prefix.',
    });

    const model = new sagemaker.CfnModel(this, 'FineTunedModel', {
      executionRoleArn: modelRole.roleArn,
      enableNetworkIsolation: true,
      primaryContainer: {
        image: `${this.account}.dkr.ecr.${this.region}.amazonaws.com/eval-serving:2027.01`,
        modelDataUrl: `s3://eval-team-models-${this.account}/fine-tuned/llama-70b-ft-v3/model.tar.gz`,
      },
    });
    model.node.addDependency(modelRole);
    Validations.of(model).acknowledge({
      id: 'AwsSolutions-SM1',
      reason: 'The model runs with network isolation and reads only its own artifacts; an evaluation endpoint needs no VPC.',
    });

    this.endpoint = new ReservedInferenceEndpoint(this, 'Evaluation', {
      modelName: model.attrModelName,
      reservation: {
        instanceType: ReservedInstanceType.P5_48XLARGE,
        instanceCount: 1,
        duration: Duration.days(7),
        earliestStart: '2027-01-25T00:00:00Z',
        latestEnd: '2027-02-05T00:00:00Z',
        maxUpfrontFee: 60_000,
        tags: { team: 'data-science', purpose: 'fine-tune-evaluation' },
      },
      deployEndpoint: props.phase === 'serve',
    });
    // One instance reserved and one serving: an endpoint-config change needs
    // a rolling update, not blue/green. Accepted for a one-week evaluation.
    Validations.of(this.endpoint).acknowledge({
      id: 'annotation::cdk-reserved-inference:instanceCount',
      reason: 'A one-week evaluation on one reserved instance; the config is not updated during the window.',
    });
    // The window opens in late January; serve is deployed once it has.
    Validations.of(this.endpoint).acknowledge({
      id: 'annotation::cdk-reserved-inference:deployEndpoint',
      reason: 'The serve phase is deployed after the window opens.',
    });
    if (this.endpoint.endpointConfig) {
      Validations.of(this.endpoint.endpointConfig).acknowledge({
        id: 'AwsSolutions-SM2',
        reason: 'ml.p5.48xlarge has local NVMe storage, encrypted by the instance\'s hardware; SageMaker refuses a KmsKeyId for such instance types.',
      });
    }

    new CfnOutput(this, 'TrainingPlanName', { value: this.endpoint.trainingPlan.trainingPlanName });
    if (this.endpoint.endpointName) {
      new CfnOutput(this, 'EndpointName', { value: this.endpoint.endpointName });
    }
  }
}

/** Builds the seed scenario's app for one phase. */
export function buildApp(app: App, phase: Phase): EvaluationStack {
  return new EvaluationStack(app, 'FineTuneEvaluation', {
    phase,
    env: { account: process.env.CDK_DEFAULT_ACCOUNT ?? '123456789012', region: 'us-west-2' },
  });
}
