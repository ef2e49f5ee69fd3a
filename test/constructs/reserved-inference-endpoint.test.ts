import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, Errors, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { newStack, STRICT_VALIDATION, weekOfP5 } from './fixtures';
import { ReservedInferenceEndpoint, ReservedInstanceType, TrainingPlanReservation } from '../../src';

const RESERVATION = 'Custom::SageMakerTrainingPlanReservation';
const PLAN_ARN = 'arn:aws:sagemaker:us-west-2:123456789012:training-plan/eval-week-5';

describe('ReservedInferenceEndpoint with a reservation', () => {
  const build = (extra: Partial<ConstructorParameters<typeof ReservedInferenceEndpoint>[2]> = {}) => {
    const { stack } = newStack();
    const endpoint = new ReservedInferenceEndpoint(stack, 'Eval', { modelName: 'fine-tuned-v3', reservation: weekOfP5(), instanceCount: 1, ...extra });
    // Synthesised on first use, so a test can still add to the tree first.
    return { stack, endpoint, get template() { return Template.fromStack(stack); } };
  };

  test('binds one production variant to the plan with capacity-reservations-only', () => {
    const { stack, endpoint, template } = build();
    const reservationId = stack.getLogicalId(endpoint.reservation!.node.defaultChild as any);
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      EndpointConfigName: Match.absent(),
      ProductionVariants: [{
        VariantName: 'AllTraffic',
        ModelName: 'fine-tuned-v3',
        InstanceType: 'ml.p5.48xlarge',
        InitialInstanceCount: 1,
        CapacityReservationConfig: {
          CapacityReservationPreference: 'capacity-reservations-only',
          MlReservationArn: { 'Fn::GetAtt': [reservationId, 'TrainingPlanArn'] },
        },
      }],
    });
  });

  test('the endpoint waits for the reservation, which waits for an Active plan', () => {
    const { stack, endpoint, template } = build();
    const reservationId = stack.getLogicalId(endpoint.reservation!.node.defaultChild as any);
    template.hasResource('AWS::SageMaker::Endpoint', { DependsOn: Match.arrayWith([reservationId]) });
    template.hasResourceProperties(RESERVATION, { RequireActive: 'true' });
  });

  test('instanceCount defaults to the reserved count', () => {
    const { template } = build({ instanceCount: undefined });
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [Match.objectLike({ InitialInstanceCount: 2 })],
    });
  });

  test('deployEndpoint: false reserves ahead and creates no endpoint', () => {
    const { endpoint, template } = build({ deployEndpoint: false });
    template.resourceCountIs(RESERVATION, 1);
    template.resourceCountIs('AWS::SageMaker::EndpointConfig', 0);
    template.resourceCountIs('AWS::SageMaker::Endpoint', 0);
    template.hasResourceProperties(RESERVATION, { RequireActive: 'false' });
    expect(endpoint.endpoint).toBeUndefined();
    expect(endpoint.endpointName).toBeUndefined();
  });

  test('the reserve and serve phases keep the same plan name and logical id', () => {
    const reserve = build({ deployEndpoint: false });
    const serve = build({ deployEndpoint: true });
    const props = (t: Template) => Object.entries(t.findResources(RESERVATION)).map(([id, r]) => [id, r.Properties.PlanName]);
    expect(props(serve.template)).toEqual(props(reserve.template));
  });

  test('a dry run creates no endpoint', () => {
    const { template } = build({ reservation: weekOfP5({ purchase: false }) });
    template.hasResourceProperties(RESERVATION, { Purchase: 'false' });
    template.resourceCountIs('AWS::SageMaker::Endpoint', 0);
  });

  test('exposes the endpoint name and ARN', () => {
    const { stack, endpoint } = build({ endpointName: 'eval-endpoint' });
    const endpointId = stack.getLogicalId(endpoint.endpoint!);
    expect(stack.resolve(endpoint.endpointName)).toEqual({ 'Fn::GetAtt': [endpointId, 'EndpointName'] });
    expect(stack.resolve(endpoint.endpointArn)).toEqual({ Ref: endpointId });
    Template.fromStack(stack).hasResourceProperties('AWS::SageMaker::Endpoint', { EndpointName: 'eval-endpoint' });
  });

  test('grantInvoke grants invocation on this endpoint only', () => {
    const { stack, endpoint } = build();
    const role = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    endpoint.grantInvoke(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: stack.getLogicalId(role.node.defaultChild as any) }],
      PolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: ['sagemaker:InvokeEndpoint', 'sagemaker:InvokeEndpointAsync', 'sagemaker:InvokeEndpointWithResponseStream'],
          Resource: { Ref: stack.getLogicalId(endpoint.endpoint!) },
        }],
      },
    });
  });

  test('grantInvoke without an endpoint is a ValidationError naming deployEndpoint', () => {
    const { stack, endpoint } = build({ deployEndpoint: false });
    const role = new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    let error: unknown;
    try {
      endpoint.grantInvoke(role);
    } catch (e) {
      error = e;
    }
    expect(Errors.isValidationError(error)).toBe(true);
    expect((error as Error).message).toMatch(/grantInvoke: .*deploys no endpoint.*deployEndpoint: true/);
  });

  test('metrics are the variant\'s, in AWS/SageMaker', () => {
    const { stack, endpoint } = build();
    const metric = endpoint.metricInvocations();
    expect(metric.namespace).toBe('AWS/SageMaker');
    expect(metric.metricName).toBe('Invocations');
    expect(metric.statistic).toBe('Sum');
    expect(stack.resolve(metric.dimensions)).toEqual({
      EndpointName: { 'Fn::GetAtt': [stack.getLogicalId(endpoint.endpoint!), 'EndpointName'] },
      VariantName: 'AllTraffic',
    });
    expect(endpoint.metricModelLatency().metricName).toBe('ModelLatency');
    expect(endpoint.metricInvocation5XXErrors({ period: Duration.minutes(1) }).period.toMinutes()).toBe(1);
  });
});

describe('ReservedInferenceEndpoint on an existing plan', () => {
  test('buys nothing and binds the given ARN', () => {
    const { stack } = newStack();
    const plan = TrainingPlanReservation.fromTrainingPlanAttributes(stack, 'Plan', {
      trainingPlanArn: PLAN_ARN, instanceType: ReservedInstanceType.P5_48XLARGE, instanceCount: 2,
    });
    new ReservedInferenceEndpoint(stack, 'Eval', { modelName: 'm', trainingPlan: plan, instanceCount: 1 });
    const template = Template.fromStack(stack);
    template.resourceCountIs(RESERVATION, 0);
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 0);
    template.resourceCountIs('AWS::Lambda::Function', 0);
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [Match.objectLike({
        InstanceType: 'ml.p5.48xlarge',
        CapacityReservationConfig: { CapacityReservationPreference: 'capacity-reservations-only', MlReservationArn: PLAN_ARN },
      })],
    });
  });

  test('a plan bought by a TrainingPlanReservation elsewhere in the stack is bound', () => {
    const { stack } = newStack();
    const plan = new TrainingPlanReservation(stack, 'Plan', weekOfP5({ waitForActive: true }));
    new ReservedInferenceEndpoint(stack, 'Eval', { modelName: 'm', trainingPlan: plan, instanceCount: 1 });
    const template = Template.fromStack(stack);
    template.resourceCountIs(RESERVATION, 1);
    template.hasResource('AWS::SageMaker::Endpoint', { DependsOn: Match.arrayWith([stack.getLogicalId(plan.node.defaultChild as any)]) });
  });
});

describe('bad input never reaches the custom resource', () => {
  function synthError(build: (stack: Stack) => void): { message: string; outdir: string; isValidation: boolean } {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cri-bad-'));
    const app = new App({ outdir, context: STRICT_VALIDATION });
    const stack = new Stack(app, 'Bad', { env: { account: '123456789012', region: 'us-west-2' } });
    build(stack);
    try {
      app.synth();
    } catch (e) {
      return { message: (e as Error).message, outdir, isValidation: Errors.isValidationError(e) };
    }
    throw new Error('synth succeeded');
  }

  test('three mistakes are reported together, with the construct path, in one synth', () => {
    const { message, isValidation } = synthError((stack) => new ReservedInferenceEndpoint(stack, 'Eval', {
      modelName: 'm',
      reservation: weekOfP5({ instanceCount: 3, duration: Duration.hours(36), maxUpfrontFee: -1 }),
    }));
    expect(isValidation).toBe(true);
    expect(message).toContain('[Bad/Eval]');
    expect(message).toMatch(/reservation\.instanceCount must be one of 1, 2, 4, 8, 16, 32, 64; got 3/);
    expect(message).toMatch(/reservation\.duration .*36/);
    expect(message).toMatch(/reservation\.maxUpfrontFee .*-1/);
  });

  test('mistakes in two constructs are reported in the same synth', () => {
    const { message } = synthError((stack) => {
      new TrainingPlanReservation(stack, 'A', weekOfP5({ instanceCount: 0 }));
      new ReservedInferenceEndpoint(stack, 'B', { modelName: 'm', reservation: weekOfP5(), trainingPlan: TrainingPlanReservation.fromTrainingPlanArn(stack, 'P', PLAN_ARN) });
    });
    expect(message).toMatch(/\[Bad\/A\] instanceCount/);
    expect(message).toMatch(/\[Bad\/B\] .*reservation.*trainingPlan/s);
  });

  test('a failed synth writes no template, so nothing can be deployed or bought', () => {
    const { outdir } = synthError((stack) => new ReservedInferenceEndpoint(stack, 'Eval', {
      modelName: 'm', reservation: weekOfP5({ instanceType: ReservedInstanceType.of('ml.g5.2xlarge') }),
    }));
    const templates = fs.readdirSync(outdir).filter((f) => f.endsWith('.template.json'));
    expect(templates).toEqual([]);
  });

  test('an instance count above the reserved count is refused with both numbers', () => {
    const { message } = synthError((stack) => new ReservedInferenceEndpoint(stack, 'Eval', {
      modelName: 'm', reservation: weekOfP5({ instanceCount: 2 }), instanceCount: 4,
    }));
    expect(message).toMatch(/instanceCount/);
    expect(message).toMatch(/4/);
    expect(message).toMatch(/2/);
  });

  test('an endpoint type that differs from the imported plan\'s is refused', () => {
    const { message } = synthError((stack) => new ReservedInferenceEndpoint(stack, 'Eval', {
      modelName: 'm',
      trainingPlan: TrainingPlanReservation.fromTrainingPlanAttributes(stack, 'P', { trainingPlanArn: PLAN_ARN, instanceType: ReservedInstanceType.P5_48XLARGE, instanceCount: 2 }),
      instanceType: ReservedInstanceType.P5E_48XLARGE,
    }));
    expect(message).toMatch(/instanceType/);
    expect(message).toContain('ml.p5e.48xlarge');
    expect(message).toContain('ml.p5.48xlarge');
  });
});

describe('an endpoint is bound only to a plan it can run on', () => {
  function synthMessage(build: (app: App) => void): string {
    const app = new App({ context: STRICT_VALIDATION });
    build(app);
    try {
      app.synth();
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error('synth succeeded');
  }
  const env = { account: '123456789012', region: 'us-west-2' };

  test('not on a dry run', () => {
    const message = synthMessage((app) => {
      const stack = new Stack(app, 'S', { env });
      const plan = new TrainingPlanReservation(stack, 'Plan', weekOfP5({ purchase: false, waitForActive: true }));
      new ReservedInferenceEndpoint(stack, 'Eval', { modelName: 'm', trainingPlan: plan, instanceCount: 1 });
    });
    expect(message).toContain('[S/Eval] trainingPlan is a dry run (purchase: false), which never buys a plan');
  });

  test('not on a reservation that does not wait for Active', () => {
    const message = synthMessage((app) => {
      const stack = new Stack(app, 'S', { env });
      const plan = new TrainingPlanReservation(stack, 'Plan', weekOfP5());
      new ReservedInferenceEndpoint(stack, 'Eval', { modelName: 'm', trainingPlan: plan, instanceCount: 1 });
    });
    expect(message).toContain('[S/Eval] trainingPlan must wait for its plan to be Active');
    expect(message).toContain('Set waitForActive: true on it');
  });

  test('not two endpoints on one plan', () => {
    const message = synthMessage((app) => {
      const stack = new Stack(app, 'S', { env });
      const plan = TrainingPlanReservation.fromTrainingPlanAttributes(stack, 'Plan', { trainingPlanArn: PLAN_ARN, instanceType: ReservedInstanceType.P5_48XLARGE, instanceCount: 2 });
      new ReservedInferenceEndpoint(stack, 'A', { modelName: 'm', trainingPlan: plan, instanceCount: 1 });
      new ReservedInferenceEndpoint(stack, 'B', { modelName: 'm', trainingPlan: plan, instanceCount: 1 });
    });
    expect(message).toContain('[S/B] trainingPlan is already bound to the endpoint S/A');
  });

  test.each([
    ['region', 'arn:aws:sagemaker:us-east-1:123456789012:training-plan/p', 'got a plan in "us-east-1"'],
    ['account', 'arn:aws:sagemaker:us-west-2:999999999999:training-plan/p', 'got a plan in "999999999999"'],
  ])('not on a plan in another %s', (what, arn, got) => {
    const message = synthMessage((app) => {
      const stack = new Stack(app, 'S', { env });
      const plan = TrainingPlanReservation.fromTrainingPlanAttributes(stack, 'Plan', { trainingPlanArn: arn, instanceType: ReservedInstanceType.P5_48XLARGE, instanceCount: 2 });
      new ReservedInferenceEndpoint(stack, 'Eval', { modelName: 'm', trainingPlan: plan, instanceCount: 1 });
    });
    expect(message).toContain(`trainingPlan must be in the endpoint's ${what}`);
    expect(message).toContain(got);
  });

  test('not two reservations under one plan name, even in two stacks of one environment', () => {
    const message = synthMessage((app) => {
      new TrainingPlanReservation(new Stack(app, 'One', { env }), 'A', weekOfP5({ planName: 'team-plan' }));
      new TrainingPlanReservation(new Stack(app, 'Two', { env }), 'B', weekOfP5({ planName: 'team-plan', instanceCount: 4 }));
    });
    expect(message).toContain('[Two/B] planName must be unique in its account and region');
    expect(message).toContain('which One/A uses too');
  });

  test('not two endpoints under one endpoint name', () => {
    const message = synthMessage((app) => {
      const stack = new Stack(app, 'S', { env });
      new ReservedInferenceEndpoint(stack, 'A', { modelName: 'm', reservation: weekOfP5(), instanceCount: 1, endpointName: 'llm' });
      new ReservedInferenceEndpoint(stack, 'B', { modelName: 'm', reservation: weekOfP5(), instanceCount: 1, endpointName: 'llm' });
    });
    expect(message).toContain('[S/B] endpointName must be unique in its account and region; got "llm", which S/A uses too');
  });

  test('a standalone reservation that waits for Active is a valid plan for an endpoint', () => {
    const { stack } = newStack();
    const plan = new TrainingPlanReservation(stack, 'Plan', weekOfP5({ waitForActive: true }));
    new ReservedInferenceEndpoint(stack, 'Eval', { modelName: 'm', trainingPlan: plan, instanceCount: 1 });
    expect(() => Template.fromStack(stack)).not.toThrow();
  });

  test('missing props from a JavaScript caller are a validation error, not a TypeError', () => {
    const message = synthMessage((app) => {
      const stack = new Stack(app, 'S', { env });
      new ReservedInferenceEndpoint(stack, 'Eval', undefined as any);
      new TrainingPlanReservation(stack, 'Plan', undefined as any);
    });
    expect(message).toContain('[S/Eval]');
    expect(message).toContain('[S/Plan]');
  });
});
