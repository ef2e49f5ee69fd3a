/**
 * Props objects whose validation a parent construct has already reported
 * under its own property names (e.g. `reservation.instanceCount`), so a child
 * built from them does not report the same mistakes a second time.
 */
const validatedByParent = new WeakSet<object>();

export function markValidatedByParent(props: object): void {
  validatedByParent.add(props);
}

export function isValidatedByParent(props: object): boolean {
  return validatedByParent.has(props);
}
