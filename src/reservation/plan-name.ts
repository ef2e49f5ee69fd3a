import { createHash } from 'crypto';
import { PLAN_NAME_PREFIX } from './contract';

const MAX_PLAN_NAME = 64;
const HASH_LENGTH = 10;

function sanitize(part: string): string {
  return part.replace(/[^a-zA-Z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

/**
 * The plan name a reservation buys under when the user gives none.
 *
 * It is the purchase's idempotency key, so it must be the same on every
 * synth of the same construct and differ between constructs: readable parts
 * (stack name, construct id) for people browsing the console, plus a hash of
 * the full construct path, which is what makes it unique. The result always
 * starts with the library's prefix (the provider's IAM scope) and fits the
 * service's pattern `[a-zA-Z0-9](-*[a-zA-Z0-9]){0,63}`.
 */
export function derivePlanName(stackName: string, constructPath: string): string {
  const hash = createHash('sha256').update(`${stackName}\0${constructPath}`).digest('hex').slice(0, HASH_LENGTH);
  const leaf = constructPath.split('/').filter((p) => p.length > 0).pop() ?? '';
  const room = MAX_PLAN_NAME - PLAN_NAME_PREFIX.length - HASH_LENGTH - 1;
  const stack = stackPart(stackName);
  const readable = [stack, sanitize(leaf)].filter((p) => p.length > 0).join('-').slice(0, room).replace(/-+$/, '');
  return readable.length > 0 ? `${PLAN_NAME_PREFIX}${readable}-${hash}` : `${PLAN_NAME_PREFIX}${hash}`;
}

/**
 * The prefix shared by every name `derivePlanName` gives in this stack, so
 * the provider's IAM policy can be limited to the stack's own plans.
 */
export function derivedPlanNamePrefix(stackName: string): string {
  const stack = stackPart(stackName);
  return stack.length > 0 ? `${PLAN_NAME_PREFIX}${stack}-` : PLAN_NAME_PREFIX;
}

/** The stack's part of a derived name: short enough to leave room for the hash, never ending in a hyphen. */
function stackPart(stackName: string): string {
  const room = MAX_PLAN_NAME - PLAN_NAME_PREFIX.length - HASH_LENGTH - 1;
  return sanitize(stackName).slice(0, room).replace(/-+$/, '');
}
