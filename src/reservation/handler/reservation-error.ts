/**
 * A failure the user must read and act on.
 *
 * Its message is what CloudFormation shows as the resource's status reason,
 * so it says what was asked, what the service answered and what to do next.
 * Anything that is not a `ReservationError` is a bug or an unexpected service
 * answer, and is wrapped with the same three parts before it leaves the handler.
 */
export class ReservationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReservationError';
  }
}
