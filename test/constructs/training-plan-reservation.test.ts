import { CfnParameter, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { newStack, weekOfP5 } from './fixtures';
import { OfferingSelection, ReservedInferenceEndpoint, ReservedInstanceType, TrainingPlanReservation } from '../../src';

const RESERVATION = 'Custom::SageMakerTrainingPlanReservation';

describe('TrainingPlanReservation', () => {
  test('renders the purchase spec as the string properties the handler parses', () => {
    const { stack } = newStack();
    new TrainingPlanReservation(stack, 'Week', weekOfP5({ selection: OfferingSelection.EARLIEST_START, tags: { team: 'eval' } }));
    Template.fromStack(stack).hasResourceProperties(RESERVATION, {
      PlanName: Match.stringLikeRegexp('^cri-TestStack-Week-[0-9a-f]{10}$'),
      InstanceType: 'ml.p5.48xlarge',
      InstanceCount: '2',
      DurationHours: '168',
      EarliestStart: '2027-01-25T00:00:00Z',
      LatestEnd: '2027-02-05T00:00:00Z',
      MaxUpfrontFee: '120000',
      CurrencyCode: 'USD',
      Selection: 'EARLIEST_START',
      RequireActive: 'false',
      Purchase: 'true',
      WaitBudgetSeconds: '3600',
      Tags: [
        { Key: 'cdk-reserved-inference:owner', Value: Match.stringLikeRegexp('^TestStack/') },
        { Key: 'team', Value: 'eval' },
      ],
    });
  });

  test('the derived plan name is stable across synths and differs between constructs', () => {
    const names = () => {
      const { stack } = newStack();
      const a = new TrainingPlanReservation(stack, 'A', weekOfP5());
      const b = new TrainingPlanReservation(stack, 'B', weekOfP5());
      return [a.trainingPlanName, b.trainingPlanName];
    };
    const first = names();
    expect(names()).toEqual(first);
    expect(first[0]).not.toEqual(first[1]);
  });

  test('every reservation in a stack shares one provider', () => {
    const { stack } = newStack();
    new TrainingPlanReservation(stack, 'A', weekOfP5());
    new TrainingPlanReservation(stack, 'B', weekOfP5({ instanceCount: 4 }));
    const template = Template.fromStack(stack);
    template.resourceCountIs(RESERVATION, 2);
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    // Two handlers of ours plus the framework's onEvent, isComplete and onTimeout.
    template.resourceCountIs('AWS::Lambda::Function', 5);
    template.resourcePropertiesCountIs('AWS::Lambda::Function', { Runtime: 'nodejs22.x' }, 2);
    const tokens = Object.values(template.findResources(RESERVATION)).map((r) => JSON.stringify(r.Properties.ServiceToken));
    expect(new Set(tokens).size).toBe(1);
  });

  test('separate stacks get separate providers', () => {
    const { app, stack } = newStack('One');
    const other = new Stack(app, 'Two', { env: { account: '123456789012', region: 'us-west-2' } });
    new TrainingPlanReservation(stack, 'A', weekOfP5());
    new TrainingPlanReservation(other, 'A', weekOfP5());
    Template.fromStack(stack).resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    Template.fromStack(other).resourceCountIs('AWS::StepFunctions::StateMachine', 1);
  });

  test('the handlers\' role is least privilege: search on *, buy and describe only under the library prefix', () => {
    const { stack } = newStack();
    new TrainingPlanReservation(stack, 'A', weekOfP5());
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Sid: 'SearchOfferings', Effect: 'Allow', Action: ['sagemaker:SearchTrainingPlanOfferings', 'sagemaker:ListTrainingPlans'], Resource: '*' },
          {
            Sid: 'ManageLibraryPlans',
            Effect: 'Allow',
            Action: ['sagemaker:CreateTrainingPlan', 'sagemaker:DescribeTrainingPlan', 'sagemaker:AddTags'],
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:us-west-2:123456789012:training-plan/cri-TestStack-*']] },
          },
        ]),
      },
    });
    // No sagemaker action anywhere else on a wildcard resource.
    for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
      for (const statement of policy.Properties.PolicyDocument.Statement) {
        const actions = [statement.Action].flat();
        if (statement.Resource === '*' && actions.some((a: string) => a.startsWith('sagemaker:'))) {
          expect(actions.sort()).toEqual(['sagemaker:ListTrainingPlans', 'sagemaker:SearchTrainingPlanOfferings']);
        }
      }
    }
    // No managed policy on our handlers' role.
    template.hasResourceProperties('AWS::IAM::Role', {
      Description: Match.stringLikeRegexp('cdk-reserved-inference'),
      ManagedPolicyArns: Match.absent(),
    });
  });

  test('a custom plan name outside the prefix is granted by exact ARN', () => {
    const { stack } = newStack();
    new TrainingPlanReservation(stack, 'A', weekOfP5({ planName: 'eval-week-5' }));
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: ['sagemaker:CreateTrainingPlan', 'sagemaker:DescribeTrainingPlan', 'sagemaker:AddTags'],
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:us-west-2:123456789012:training-plan/eval-week-5']] },
        })]),
      },
    });
  });

  test('exposes the plan\'s attributes as GetAtt tokens', () => {
    const { stack } = newStack();
    const plan = new TrainingPlanReservation(stack, 'A', weekOfP5());
    const logicalId = stack.getLogicalId(plan.node.defaultChild as any);
    const attr = (v: string) => stack.resolve(v);
    expect(attr(plan.trainingPlanArn)).toEqual({ 'Fn::GetAtt': [logicalId, 'TrainingPlanArn'] });
    expect(attr(plan.startTime)).toEqual({ 'Fn::GetAtt': [logicalId, 'StartTime'] });
    expect(attr(plan.endTime)).toEqual({ 'Fn::GetAtt': [logicalId, 'EndTime'] });
    expect(attr(plan.upfrontFee)).toEqual({ 'Fn::GetAtt': [logicalId, 'UpfrontFee'] });
    expect(attr(plan.currencyCode)).toEqual({ 'Fn::GetAtt': [logicalId, 'CurrencyCode'] });
    expect(attr(plan.availabilityZone)).toEqual({ 'Fn::GetAtt': [logicalId, 'AvailabilityZone'] });
    expect(plan.trainingPlanName).toMatch(/^cri-/);
  });

  test('a dry run buys nothing and reports what it would buy as a stack output', () => {
    const { stack } = newStack();
    new TrainingPlanReservation(stack, 'A', weekOfP5({ purchase: false }));
    const template = Template.fromStack(stack);
    template.hasResourceProperties(RESERVATION, { Purchase: 'false' });
    const outputs = template.findOutputs('*', { Description: Match.stringLikeRegexp('would buy; nothing was bought') });
    expect(Object.values(outputs)).toHaveLength(1);
    expect(JSON.stringify(Object.values(outputs)[0].Value)).toContain('Report');
  });

  test('token values pass through to the template unchanged', () => {
    const { stack } = newStack();
    const count = new CfnParameter(stack, 'Count', { type: 'Number' });
    const start = new CfnParameter(stack, 'Start');
    new TrainingPlanReservation(stack, 'A', weekOfP5({ instanceCount: count.valueAsNumber, earliestStart: start.valueAsString }));
    const template = Template.fromStack(stack);
    template.hasResourceProperties(RESERVATION, {
      InstanceCount: { Ref: 'Count' },
      EarliestStart: { Ref: 'Start' },
    });
    Annotations.fromStack(stack).hasNoError('*', Match.anyValue());
  });
});

describe('TrainingPlanReservation imports', () => {
  test('fromTrainingPlanArn takes the name from the ARN', () => {
    const { stack } = newStack();
    const plan = TrainingPlanReservation.fromTrainingPlanArn(stack, 'Existing', 'arn:aws:sagemaker:us-west-2:123456789012:training-plan/eval-week-5');
    expect(plan.trainingPlanName).toBe('eval-week-5');
    expect(plan.instanceType).toBeUndefined();
    expect(plan.instanceCount).toBeUndefined();
    expect(plan.env.region).toBe('us-west-2');
    expect(plan.env.account).toBe('123456789012');
  });

  test('fromTrainingPlanAttributes states type and count', () => {
    const { stack } = newStack();
    const plan = TrainingPlanReservation.fromTrainingPlanAttributes(stack, 'Existing', {
      trainingPlanArn: 'arn:aws:sagemaker:us-west-2:123456789012:training-plan/eval-week-5',
      instanceType: ReservedInstanceType.P5E_48XLARGE,
      instanceCount: 4,
    });
    expect(plan.instanceType?.name).toBe('ml.p5e.48xlarge');
    expect(plan.instanceCount).toBe(4);
  });

  test('a token ARN is accepted and its name is derived in the template', () => {
    const { stack } = newStack();
    const arn = new CfnParameter(stack, 'PlanArn').valueAsString;
    const plan = TrainingPlanReservation.fromTrainingPlanArn(stack, 'Existing', arn);
    expect(stack.resolve(plan.trainingPlanName)).toEqual({ 'Fn::Select': [1, { 'Fn::Split': ['training-plan/', { Ref: 'PlanArn' }] }] });
    new ReservedInferenceEndpoint(stack, 'Endpoint', { modelName: 'm', trainingPlan: plan, instanceType: ReservedInstanceType.P5_48XLARGE, instanceCount: 1 });
    expect(() => Template.fromStack(stack)).not.toThrow();
  });

  test('an ARN of another kind fails synth and names the property', () => {
    const { stack } = newStack();
    TrainingPlanReservation.fromTrainingPlanArn(stack, 'Existing', 'arn:aws:sagemaker:us-west-2:123456789012:reserved-capacity/abc');
    expect(() => Template.fromStack(stack)).toThrow(/trainingPlanArn/);
  });
});
