import { Token } from 'aws-cdk-lib';
import { show, typeName } from './format';
import { issue, ValidationIssue } from './issue';
import { RESERVABLE_INSTANCE_TYPES } from './limits';

/**
 * Checks on an instance type, shared by the reservation and the endpoint:
 * both must name a type a plan can reserve, and the endpoint's must be the
 * plan's.
 */

/** Longest edit distance still offered as a "did you mean" hint within the same family (p5, trn2...). */
const MAX_HINT_DISTANCE_SAME_FAMILY = 2;
/** Across families only a single slip is a typo: `ml.g5.2xlarge` is not a misspelt `ml.p5.4xlarge`. */
const MAX_HINT_DISTANCE_OTHER_FAMILY = 1;

/** Edit distance counting a swap of two adjacent characters as one edit (optimal string alignment). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}

/** `p5` of `ml.p5.48xlarge`. */
function family(name: string): string {
  return name.split('.')[1] ?? '';
}

/**
 * The reservable type `name` most likely meant, if any: the same name in
 * another case, without the `ml.` prefix, or with a small typo.
 */
export function suggestInstanceType(name: string): string | undefined {
  const wanted = name.trim().toLowerCase();
  if (wanted === '') {
    return undefined;
  }
  const candidate = wanted.startsWith('ml.') ? wanted : `ml.${wanted}`;
  let best: { name: string; distance: number } | undefined;
  for (const known of RESERVABLE_INSTANCE_TYPES) {
    const distance = editDistance(candidate, known);
    const limit = family(candidate) === family(known) ? MAX_HINT_DISTANCE_SAME_FAMILY : MAX_HINT_DISTANCE_OTHER_FAMILY;
    if (distance <= limit && (!best || distance < best.distance)) {
      best = { name: known, distance };
    }
  }
  return best?.name;
}

/**
 * The concrete name of an instance type, or undefined when it is missing,
 * malformed or still a token (nothing can be compared against it then).
 */
export function concreteInstanceTypeName(type: unknown): string | undefined {
  const name = (type as { name?: unknown } | undefined)?.name;
  if (typeof type !== 'object' || type === null || typeof name !== 'string' || Token.isUnresolved(name)) {
    return undefined;
  }
  return name;
}

/** Checks that `name` (a concrete string) is a type a plan can reserve. */
export function validateInstanceTypeName(name: string, property: string): ValidationIssue[] {
  if (RESERVABLE_INSTANCE_TYPES.includes(name)) {
    return [];
  }
  const allowed = RESERVABLE_INSTANCE_TYPES.join(', ');
  const suggestion = suggestInstanceType(name);
  let hint = '';
  if (suggestion === name.trim()) {
    hint = ` Did you mean ${show(suggestion)}, without the surrounding spaces?`;
  } else if (suggestion === name.toLowerCase()) {
    hint = ` Did you mean ${show(suggestion)}? Instance type names are lower case.`;
  } else if (suggestion === `ml.${name.trim().toLowerCase()}`) {
    hint = ` Did you mean ${show(suggestion)}? SageMaker instance type names start with "ml.".`;
  } else if (suggestion !== undefined) {
    hint = ` Did you mean ${show(suggestion)}?`;
  }
  return [issue(property, `${property} must be one of the types a training plan can reserve (${allowed}); got ${show(name)}.${hint}`)];
}

/**
 * Checks a `ReservedInstanceType` as given by a caller: present when
 * required, really a `ReservedInstanceType` (JavaScript callers can pass a
 * bare string, whose `.name` is undefined and would reach the template as
 * nothing), and reservable. A token name passes: it is checked at deploy.
 */
export function validateInstanceType(type: unknown, property: string, required: boolean): ValidationIssue[] {
  if (type === undefined || type === null) {
    return required
      ? [issue(property, `${property} is required: one of ${RESERVABLE_INSTANCE_TYPES.join(', ')}; got ${show(type)}.`)]
      : [];
  }
  const name = (type as { name?: unknown }).name;
  if (typeof type !== 'object' || typeof name !== 'string') {
    return [issue(property,
      `${property} must be a ReservedInstanceType (e.g. ReservedInstanceType.P5_48XLARGE or ReservedInstanceType.of('ml.p5.48xlarge')); got ${typeName(type)} ${show(type)}.`)];
  }
  if (Token.isUnresolved(name)) {
    return [];
  }
  return validateInstanceTypeName(name, property);
}
