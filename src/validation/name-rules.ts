import { Token } from 'aws-cdk-lib';
import { show, typeName } from './format';
import { issue, ValidationIssue } from './issue';
import {
  ENDPOINT_NAME_MAX_LENGTH,
  ENDPOINT_NAME_PATTERN,
  MODEL_NAME_MAX_LENGTH,
  MODEL_NAME_PATTERN,
  PLAN_NAME_MAX_LENGTH,
  PLAN_NAME_PATTERN,
} from './limits';

/**
 * Checks on SageMaker resource names. They all share one shape (letters,
 * digits and hyphens, starting and ending with a letter or digit) with
 * different lengths, and a wrong one fails only at deploy, after the plan
 * (for a wrong endpoint name) may already have been bought.
 */

/** The shape of one kind of name. */
interface NameShape {
  readonly maxLength: number;
  readonly pattern: RegExp;
  /** The rule in words, for the message. */
  readonly described: string;
}

const HYPHENATED = 'letters, digits and hyphens, starting and ending with a letter or digit';

const PLAN_NAME: NameShape = {
  maxLength: PLAN_NAME_MAX_LENGTH,
  pattern: PLAN_NAME_PATTERN,
  described: HYPHENATED,
};

const ENDPOINT_NAME: NameShape = {
  maxLength: ENDPOINT_NAME_MAX_LENGTH,
  pattern: ENDPOINT_NAME_PATTERN,
  described: HYPHENATED,
};

const MODEL_NAME: NameShape = {
  maxLength: MODEL_NAME_MAX_LENGTH,
  pattern: MODEL_NAME_PATTERN,
  described: HYPHENATED,
};

function validateName(value: unknown, property: string, shape: NameShape, required: boolean): ValidationIssue[] {
  if (value === undefined) {
    return required ? [issue(property, `${property} is required: 1 to ${shape.maxLength} ${shape.described}; got undefined.`)] : [];
  }
  if (typeof value !== 'string') {
    return [issue(property, `${property} must be a string of 1 to ${shape.maxLength} ${shape.described}; got ${typeName(value)} ${show(value)}.`)];
  }
  if (Token.isUnresolved(value)) {
    return [];
  }
  if (value.length === 0 || value.length > shape.maxLength) {
    return [issue(property, `${property} must be 1 to ${shape.maxLength} characters long; got ${value.length} characters: ${show(value)}.`)];
  }
  if (!shape.pattern.test(value)) {
    return [issue(property, `${property} must contain only ${shape.described} (no underscores, dots or spaces); got ${show(value)}.`)];
  }
  return [];
}

/**
 * `TrainingPlanName`. Any prefix is allowed: the provider grants a name
 * outside the library's own prefix by its exact ARN.
 */
export function validatePlanName(value: unknown, property: string): ValidationIssue[] {
  return validateName(value, property, PLAN_NAME, false);
}

/** `EndpointName` / `VariantName` (and `EndpointConfigName`). */
export function validateEndpointName(value: unknown, property: string): ValidationIssue[] {
  return validateName(value, property, ENDPOINT_NAME, false);
}

/** `ModelName`: required, as an endpoint config without a model is refused. */
export function validateModelName(value: unknown, property: string): ValidationIssue[] {
  return validateName(value, property, MODEL_NAME, true);
}
