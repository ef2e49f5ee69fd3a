/**
 * The suite judges budgets with the handler's own exact decimal comparison:
 * one implementation, so the check and the checked cannot disagree on what a
 * decimal is, while the suite still compares every purchase independently of
 * the handler's filtering.
 */
export { compareDecimal, isDecimal } from '../../src/reservation/handler/decimal';
