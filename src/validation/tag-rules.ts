import { Token } from 'aws-cdk-lib';
import { show, typeName } from './format';
import { issue, ValidationIssue } from './issue';
import {
  MAX_TAGS,
  MAX_USER_TAGS,
  RESERVED_TAG_KEY_PREFIX,
  TAG_CHARS_PATTERN,
  TAG_KEY_MAX_LENGTH,
  TAG_VALUE_MAX_LENGTH,
} from './limits';
import { OWNER_TAG_KEY } from '../reservation/contract';

/**
 * Checks on the tags put on a plan at purchase. `CreateTrainingPlan` refuses
 * the whole purchase for one bad tag, so each is checked here, and each bad
 * one is reported: fixing them one deploy at a time would be slow.
 */
export function validateTags(tags: unknown, property: string): ValidationIssue[] {
  if (tags === undefined) {
    return [];
  }
  if (typeof tags !== 'object' || tags === null || Array.isArray(tags)) {
    return [issue(property, `${property} must be a map of tag keys to string values; got ${typeName(tags)} ${show(tags)}.`)];
  }
  const issues: ValidationIssue[] = [];
  const entries = Object.entries(tags as Record<string, unknown>);
  if (entries.length > MAX_USER_TAGS) {
    issues.push(issue(property,
      `${property} must have at most ${MAX_USER_TAGS} entries (a plan holds ${MAX_TAGS} tags and the library adds its own owner tag); got ${entries.length}.`));
  }
  for (const [key, value] of entries) {
    if (!Token.isUnresolved(key)) {
      issues.push(...validateTagKey(key, property));
    }
    if (typeof value !== 'string') {
      issues.push(issue(property, `${property} value of key ${show(key)} must be a string; got ${typeName(value)} ${show(value)}.`));
    } else if (!Token.isUnresolved(value)) {
      issues.push(...validateTagValue(key, value, property));
    }
  }
  return issues;
}

function validateTagKey(key: string, property: string): ValidationIssue[] {
  if (key.length === 0 || key.length > TAG_KEY_MAX_LENGTH) {
    return [issue(property, `${property} key must be 1 to ${TAG_KEY_MAX_LENGTH} characters long; got ${key.length} characters: ${show(key)}.`)];
  }
  if (key.toLowerCase().startsWith(RESERVED_TAG_KEY_PREFIX)) {
    return [issue(property, `${property} key must not start with ${show(RESERVED_TAG_KEY_PREFIX)} in any case (reserved for AWS); got ${show(key)}.`)];
  }
  if (key === OWNER_TAG_KEY) {
    return [issue(property, `${property} key must not be ${show(OWNER_TAG_KEY)}, which the library sets itself to record the owning construct; got ${show(key)}.`)];
  }
  if (!TAG_CHARS_PATTERN.test(key)) {
    return [issue(property, `${property} key must contain only letters, digits, spaces and _ . : / = + - @; got ${show(key)}.`)];
  }
  return [];
}

function validateTagValue(key: string, value: string, property: string): ValidationIssue[] {
  if (value.length > TAG_VALUE_MAX_LENGTH) {
    return [issue(property,
      `${property} value of key ${show(key)} must be at most ${TAG_VALUE_MAX_LENGTH} characters long; got ${value.length} characters: ${show(value)}.`)];
  }
  if (!TAG_CHARS_PATTERN.test(value)) {
    return [issue(property, `${property} value of key ${show(key)} must contain only letters, digits, spaces and _ . : / = + - @; got ${show(value)}.`)];
  }
  return [];
}
