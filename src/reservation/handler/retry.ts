/**
 * Which failures are worth retrying, and how long to wait between tries.
 *
 * Only reads are retried blindly. A purchase whose answer was lost is never
 * simply sent again: the handler first looks the plan up by name (see
 * `ReservationHandler.buy`), so a retry can never become a second purchase.
 */

const TRANSIENT_NAMES = new Set([
  'ThrottlingException', 'Throttling', 'ThrottledException', 'TooManyRequestsException',
  'RequestLimitExceeded', 'RequestThrottled', 'SlowDown', 'ProvisionedThroughputExceededException',
  'InternalFailure', 'InternalServerError', 'InternalError', 'ServiceUnavailable', 'ServiceUnavailableException',
  'RequestTimeout', 'RequestTimeoutException', 'TimeoutError',
]);

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNABORTED', 'EHOSTUNREACH', 'UND_ERR_SOCKET']);

interface ErrorLike {
  readonly name?: string;
  readonly code?: string;
  readonly message?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

/** True for throttling, 5xx answers, timeouts and broken connections. */
export function isTransient(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as ErrorLike;
  if (e.name && TRANSIENT_NAMES.has(e.name)) return true;
  if (e.code && NETWORK_CODES.has(e.code)) return true;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined) {
    // The service answered: its status, not the wording of its message, decides.
    return status >= 500;
  }
  return /socket hang up|ECONNRESET|network|timed? ?out/i.test(e.message ?? '');
}

/**
 * True when a failed call may nonetheless have taken effect on the service:
 * the request may have arrived even though its answer did not.
 */
export function isAmbiguous(err: unknown): boolean {
  if (!isTransient(err)) return false;
  const e = err as ErrorLike;
  // A throttled request was refused before it ran.
  return !(e.name && /thrott|TooManyRequests|RequestLimitExceeded|SlowDown/i.test(e.name));
}

export interface RetryPolicy {
  /** Tries in all, the first included. */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 5, baseDelayMs: 250, maxDelayMs: 8000 };

/** Exponential backoff with full jitter; `random` is injected so tests are exact. */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor(cap * random());
}

export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `fn`, retrying transient failures; the last failure is rethrown as it was. */
export async function withRetry<T>(fn: () => Promise<T>, policy: RetryPolicy, sleep: Sleep, random: () => number = Math.random): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isTransient(err) || attempt + 1 >= policy.attempts) {
        throw err;
      }
      await sleep(backoffDelay(policy, attempt, random));
    }
  }
}
