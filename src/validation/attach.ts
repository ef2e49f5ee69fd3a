import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ValidationIssue, ValidationResult } from './issue';

/** Prefix of the ids under which this library's warnings can be acknowledged. */
export const WARNING_ID_PREFIX = 'cdk-reserved-inference';

/**
 * Hands a construct's validation result to CDK.
 *
 * Errors go through `node.addValidation`, so that synth collects every
 * mistake in the app and reports them together with their construct paths,
 * and fails before any template (and so any purchase) exists. Warnings are
 * acknowledgeable, like cdk-nag findings: `Validations.of(scope).acknowledge`
 * with the id `cdk-reserved-inference:<property>`.
 */
export function attachValidation(scope: IConstruct, result: ValidationResult): void {
  const errors = [...result.errors];
  if (errors.length > 0) {
    scope.node.addValidation({ validate: () => errors.map(formatIssue) });
  }
  for (const warning of result.warnings) {
    Validations.of(scope).addWarning(warningId(warning), warning.message);
  }
}

export function warningId(issue: ValidationIssue): string {
  return `${WARNING_ID_PREFIX}:${issue.property}`;
}

export function formatIssue(issue: ValidationIssue): string {
  return issue.message;
}
