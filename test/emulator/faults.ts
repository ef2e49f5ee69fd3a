/**
 * Fault injection.
 * - 'error': answer `status` (default 400) with `__type` `errorType` (default 'ValidationException').
 * - 'throttle': 400 `ThrottlingException`, 'Rate exceeded'.
 * - 'server-error': `status` (default 500) with `__type` `errorType`
 *   (default 'InternalFailure', or 'ServiceUnavailable' for 503).
 * - 'reset': destroy the socket without answering; nothing is committed.
 * - 'latency': wait `latencyMs` (default 1000) then answer normally.
 * - 'commit-then-reset': perform the operation (e.g. the purchase), then destroy the socket.
 * - 'commit-then-server-error': perform the operation, then answer `status` (default 500).
 */
export type FaultKind = 'error' | 'throttle' | 'server-error' | 'reset' | 'latency' | 'commit-then-reset' | 'commit-then-server-error';

export interface FaultRule {
  /** e.g. 'CreateTrainingPlan'; undefined = any operation. */
  readonly operation?: string;
  readonly kind: FaultKind;
  /** How many matching calls it applies to; default 1; Infinity allowed. */
  readonly times?: number;
  /** Let this many matching calls pass first; default 0. */
  readonly skip?: number;
  /** For 'error' / 'server-error' / 'commit-then-server-error'. */
  readonly errorType?: string;
  /** For 'error' (default 400) / 'server-error' and 'commit-then-server-error' (default 500). */
  readonly status?: number;
  readonly message?: string;
  /** For 'latency': delay (real milliseconds) then answer normally. Default 1000. */
  readonly latencyMs?: number;
}

const KINDS: readonly FaultKind[] = ['error', 'throttle', 'server-error', 'reset', 'latency', 'commit-then-reset', 'commit-then-server-error'];

interface ActiveRule {
  readonly rule: FaultRule;
  skip: number;
  times: number;
}

/** The error answer a fault produces (for the kinds that answer with an error). */
export interface FaultAnswer {
  readonly status: number;
  readonly errorType: string;
  readonly message: string;
}

export function faultAnswer(rule: FaultRule): FaultAnswer {
  switch (rule.kind) {
    case 'throttle':
      return { status: 400, errorType: 'ThrottlingException', message: rule.message ?? 'Rate exceeded' };
    case 'error':
      return {
        status: rule.status ?? 400,
        errorType: rule.errorType ?? 'ValidationException',
        message: rule.message ?? 'Injected error',
      };
    default: {
      const status = rule.status ?? 500;
      return {
        status,
        errorType: rule.errorType ?? (status === 503 ? 'ServiceUnavailable' : 'InternalFailure'),
        message: rule.message ?? (status === 503 ? 'Service Unavailable' : 'We encountered an internal error. Please try again.'),
      };
    }
  }
}

/**
 * Holds the injected rules. For each call, rules are tried in the order they were injected;
 * a rule that is still skipping lets the call pass (and counts it), the first rule with calls
 * left applies. At most one fault applies to a call. Exhausted rules are dropped.
 */
export class FaultInjector {
  private rules: ActiveRule[] = [];

  public inject(rule: FaultRule): void {
    if (!KINDS.includes(rule.kind)) {
      throw new Error(`emulator faults: unknown kind ${String(rule.kind)}`);
    }
    const times = rule.times ?? 1;
    const skip = rule.skip ?? 0;
    if (!(times >= 0) || !(skip >= 0)) {
      throw new Error('emulator faults: times and skip must be >= 0');
    }
    if (rule.latencyMs !== undefined && !(rule.latencyMs >= 0)) {
      throw new Error('emulator faults: latencyMs must be >= 0');
    }
    if (rule.status !== undefined && !(Number.isInteger(rule.status) && rule.status >= 400 && rule.status <= 599)) {
      throw new Error('emulator faults: status must be a 4xx or 5xx code');
    }
    if (times > 0) {
      this.rules.push({ rule, skip, times });
    }
  }

  public clear(): void {
    this.rules = [];
  }

  /** Number of rules that can still fire. */
  public get pending(): number {
    return this.rules.length;
  }

  /** The fault that applies to this call, if any (and counts the call against the rules). */
  public take(operation: string): FaultRule | undefined {
    for (const active of this.rules) {
      if (active.rule.operation !== undefined && active.rule.operation !== operation) {
        continue;
      }
      if (active.skip > 0) {
        active.skip -= 1;
        continue;
      }
      active.times -= 1;
      if (active.times <= 0) {
        this.rules = this.rules.filter((r) => r !== active);
      }
      return active.rule;
    }
    return undefined;
  }
}
