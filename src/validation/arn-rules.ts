import { Token } from 'aws-cdk-lib';
import { show, typeName } from './format';
import { issue, ValidationIssue } from './issue';
import { PLAN_NAME_PATTERN, TRAINING_PLAN_ARN_PATTERN } from './limits';

/**
 * Checks on a training plan ARN given by the user (an imported plan).
 *
 * The endpoint config accepts any reservation-looking ARN and fails only
 * when the endpoint is created, so a wrong one is caught here, with a
 * message that says which part is wrong, as the common mistakes (an ARN of
 * the reserved-capacity block inside the plan, a pasted account alias) look
 * almost right.
 */

const EXPECTED_SHAPE = 'arn:<partition>:sagemaker:<region>:<12-digit account>:training-plan/<name>';

/** Why `arn` is not a training plan ARN, part by part; empty when it is one. */
function diagnose(arn: string): string[] {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') {
    return ['it is not an ARN'];
  }
  const [, partition, service, region, account] = parts;
  const resource = parts.slice(5).join(':');
  const reasons: string[] = [];
  if (!/^aws[a-z-]*$/.test(partition)) {
    reasons.push(`its partition ${show(partition)} is not an AWS partition (aws, aws-cn, aws-us-gov, ...)`);
  }
  if (service !== 'sagemaker') {
    // Another service's ARN is wrong as a whole; its other parts follow that service's rules, not ours.
    return [`it is an ARN of service ${show(service)}, not a SageMaker training plan`];
  }
  if (region === '') {
    reasons.push('it has no region');
  } else if (!/^[a-z0-9-]+$/.test(region)) {
    reasons.push(`its region ${show(region)} must be lower-case letters, digits and hyphens (e.g. "us-east-1")`);
  }
  if (!/^[0-9]{12}$/.test(account)) {
    reasons.push(`its account ${show(account)} must be 12 digits`);
  }
  if (resource.startsWith('reserved-capacity/')) {
    reasons.push('it names a reserved-capacity block inside a plan, not the plan: use the training-plan ARN that DescribeTrainingPlan returns');
  } else if (!resource.startsWith('training-plan/')) {
    reasons.push(`its resource ${show(resource)} is not "training-plan/<name>"`);
  } else {
    const name = resource.slice('training-plan/'.length);
    if (name.length === 0 || name.length > 64 || !PLAN_NAME_PATTERN.test(name)) {
      reasons.push(`its plan name ${show(name)} must be 1 to 64 letters, digits and hyphens, starting and ending with a letter or digit`);
    }
  }
  return reasons;
}

/**
 * Checks that `arn` names a SageMaker training plan. A token (e.g. from
 * `Fn.importValue`) passes: it is only known at deploy.
 */
export function validateTrainingPlanArn(arn: string, property: string = 'trainingPlanArn'): ValidationIssue[] {
  const value: unknown = arn;
  if (typeof value !== 'string') {
    return [issue(property, `${property} must be a training plan ARN (${EXPECTED_SHAPE}); got ${typeName(value)} ${show(value)}.`)];
  }
  if (Token.isUnresolved(value) || TRAINING_PLAN_ARN_PATTERN.test(value)) {
    return [];
  }
  const reasons = diagnose(value);
  const why = reasons.length > 0 ? reasons.join('; ') : 'it does not have that shape';
  return [issue(property, `${property} must be a training plan ARN (${EXPECTED_SHAPE}); got ${show(value)}: ${why}.`)];
}

/** The plan name an ARN ends with, or undefined for a token or anything that is not a training plan ARN. */
export function planNameFromArn(arn: string): string | undefined {
  if (typeof arn !== 'string' || Token.isUnresolved(arn)) {
    return undefined;
  }
  return TRAINING_PLAN_ARN_PATTERN.exec(arn)?.[1];
}
