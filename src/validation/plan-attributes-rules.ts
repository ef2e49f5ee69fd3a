import { Token } from 'aws-cdk-lib';
import { validateTrainingPlanArn } from './arn-rules';
import { show, typeName } from './format';
import { validateInstanceType } from './instance-type-rules';
import { guarded, issue, neverThrows, ValidationIssue, ValidationResult } from './issue';
import { RESERVABLE_INSTANCE_COUNTS } from './limits';
import { TrainingPlanAttributes } from '../reservation/training-plan';

/**
 * Checks on what a user states about a plan bought earlier
 * (`fromTrainingPlanAttributes`). The endpoint checks are only as good as
 * these facts: a count no plan can have would let an endpoint through that
 * the plan cannot hold.
 */
export function validateTrainingPlanAttributes(attrs: TrainingPlanAttributes, prefix: string = ''): ValidationResult {
  return neverThrows(prefix === '' ? 'attrs' : prefix.replace(/\.$/, ''), () => checkAttributes(attrs, prefix));
}

function checkAttributes(attrs: TrainingPlanAttributes, prefix: string): ValidationResult {
  if (typeof attrs !== 'object' || attrs === null) {
    const property = prefix === '' ? 'attrs' : prefix.replace(/\.$/, '');
    return { errors: [issue(property, `${property} is required: an object with at least trainingPlanArn; got ${show(attrs)}.`)], warnings: [] };
  }
  const p = (name: string) => `${prefix}${name}`;
  const errors: ValidationIssue[] = [
    ...guarded(p('trainingPlanArn'), () => validateTrainingPlanArn(attrs.trainingPlanArn, p('trainingPlanArn'))),
    ...guarded(p('instanceType'), () => validateInstanceType(attrs.instanceType, p('instanceType'), false)),
    ...guarded(p('instanceCount'), () => validatePlanCount(attrs.instanceCount, p('instanceCount'))),
  ];
  return { errors, warnings: [] };
}

function validatePlanCount(count: unknown, property: string): ValidationIssue[] {
  if (count === undefined || (typeof count === 'number' && Token.isUnresolved(count))) {
    return [];
  }
  const allowed = `one of ${RESERVABLE_INSTANCE_COUNTS.join(', ')} (the counts a plan can hold)`;
  if (typeof count !== 'number') {
    return [issue(property, `${property} must be a number, ${allowed}; got ${typeName(count)} ${show(count)}.`)];
  }
  if (!RESERVABLE_INSTANCE_COUNTS.includes(count)) {
    return [issue(property, `${property} must be ${allowed}; got ${show(count)}.`)];
  }
  return [];
}
