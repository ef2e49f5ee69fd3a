/**
 * How to choose among the training-plan offerings that pass every filter
 * (instance type, count, duration, window, currency and budget).
 *
 * Offerings that reach this step are all acceptable purchases; the selection
 * only breaks the tie, so no choice here can exceed the budget.
 */
export enum OfferingSelection {
  /** The offering with the lowest upfront fee; ties go to the earliest start. */
  CHEAPEST = 'CHEAPEST',
  /** The offering that starts first; ties go to the lowest fee. */
  EARLIEST_START = 'EARLIEST_START',
  /** The first offering in the service's answer, which it ranks as its best match. */
  BEST_MATCH = 'BEST_MATCH',
}
