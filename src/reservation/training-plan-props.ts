import { Duration } from 'aws-cdk-lib';
import { ReservedInstanceType } from './instance-type';
import { OfferingSelection } from './offering-selection';

/**
 * What to buy: the capacity, the window it must fall in, and the most you
 * are willing to pay for it.
 *
 * A training plan is charged in full when it is bought and can never be
 * cancelled, so every field here is checked at synth, and the handler buys
 * only an offering that satisfies all of them.
 */
export interface TrainingPlanReservationProps {
  /**
   * The accelerated instance type to reserve.
   */
  readonly instanceType: ReservedInstanceType;

  /**
   * How many instances to reserve: 1, 2, 4, 8, 16, 32 or 64.
   */
  readonly instanceCount: number;

  /**
   * How long the reservation lasts: whole days, from 1 to 182.
   */
  readonly duration: Duration;

  /**
   * The earliest moment the reservation may start, as ISO-8601 with a time
   * zone (e.g. `2027-01-25T00:00:00Z`).
   *
   * @default - now: any offering that starts after the deploy
   */
  readonly earliestStart?: string;

  /**
   * The latest moment the reservation may end, as ISO-8601 with a time zone.
   *
   * @default - no upper bound
   */
  readonly latestEnd?: string;

  /**
   * The most this reservation may cost, as the upfront fee in `currencyCode`.
   *
   * No offering above it is ever bought, and neither is one that states no
   * fee or a different currency. A training plan is charged in full when
   * bought and cannot be refunded.
   */
  readonly maxUpfrontFee: number;

  /**
   * The ISO 4217 currency `maxUpfrontFee` is expressed in. Offerings priced in
   * any other currency are never bought.
   *
   * @default 'USD'
   */
  readonly currencyCode?: string;

  /**
   * How to choose among offerings that pass every filter.
   *
   * @default OfferingSelection.CHEAPEST
   */
  readonly selection?: OfferingSelection;

  /**
   * The training plan's name.
   *
   * The name is the purchase's idempotency key: a later deploy that finds a
   * plan of this name adopts it instead of buying again. Plans cannot be
   * renamed, so changing it is how you ask for a second, separate plan (the
   * old one stays, and stays charged, until its window ends).
   *
   * @default - derived from the stack name and the construct path, prefixed `cri-`
   */
  readonly planName?: string;

  /**
   * Tags put on the training plan when it is bought.
   *
   * Tags are applied only at purchase; changing them later buys nothing and
   * does not retag an existing plan.
   *
   * @default - only the library's owner tag
   */
  readonly tags?: { [key: string]: string };

  /**
   * Whether to buy. `false` is a dry run: the deploy searches, reports the
   * offering it would buy (as attributes and a stack output) and buys nothing.
   *
   * @default true
   */
  readonly purchase?: boolean;

  /**
   * Whether the deploy waits until the plan is Active (inside its window),
   * as an endpoint on it requires. Only offerings that start within the
   * provider's wait budget are then bought.
   *
   * `ReservedInferenceEndpoint` sets this from `deployEndpoint`.
   *
   * @default false - Scheduled is enough
   */
  readonly waitForActive?: boolean;
}
