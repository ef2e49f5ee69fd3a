/**
 * One problem found in the props, tied to the property that caused it.
 *
 * The constructs turn errors into synth failures and warnings into
 * annotations; keeping the property separate from the sentence lets them
 * (and tests) tell which input is at fault without parsing the message.
 */
export interface ValidationIssue {
  /** The property at fault, dotted for nested props, e.g. `reservation.instanceCount`. */
  readonly property: string;
  /**
   * A full sentence that starts with the property name, shows the value given
   * and says what is allowed: the reader must be able to fix the input from
   * the message alone, without opening the docs.
   */
  readonly message: string;
}

/**
 * Everything the rules found. Rules never stop at the first problem: a
 * synth that reports one mistake per run turns three mistakes into three
 * round trips.
 */
export interface ValidationResult {
  /** Inputs AWS would refuse, or that would buy capacity the endpoint cannot use. */
  readonly errors: ValidationIssue[];
  /** Inputs that are allowed but most likely not what was meant. */
  readonly warnings: ValidationIssue[];
}

/** Builds an issue; a helper so call sites read as one line per rule. */
export function issue(property: string, message: string): ValidationIssue {
  return { property, message };
}

/** Concatenates results, keeping their order so messages read in prop order. */
export function mergeResults(...results: ValidationResult[]): ValidationResult {
  return {
    errors: results.flatMap((r) => r.errors),
    warnings: results.flatMap((r) => r.warnings),
  };
}

/**
 * Runs one rule and turns an unexpected exception into an error issue.
 *
 * A rule that throws would abort synth with a stack trace that names no
 * property; worse, a caller that catches it might go on and buy. Refusing
 * with the property's name is the safe side of both.
 */
export function guarded(property: string, rule: () => ValidationIssue[]): ValidationIssue[] {
  try {
    return rule();
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return [issue(property, `${property} could not be checked (${reason}); fix the value or report this as a bug.`)];
  }
}

/** `guarded` for a whole rule set: the last line of defence behind the per-rule guards. */
export function neverThrows(property: string, rules: () => ValidationResult): ValidationResult {
  let result: ValidationResult | undefined;
  const errors = guarded(property, () => {
    result = rules();
    return [];
  });
  return result ?? { errors, warnings: [] };
}
