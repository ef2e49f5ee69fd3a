import { CRASH_REASON } from '../handler-emulator/harness';

/**
 * Invariant 5: every FAILED reason must be one of these known, clear causes.
 * A reason that matches none of them is a "failure without a clear cause".
 * Each class states what a user needs: what was asked, what happened, what to
 * do next; the patterns require those parts, not just a keyword.
 */

export interface ReasonContext {
  /** The PlanName the request asked for. */
  readonly planName: string;
  /** The plan of that name right after the request, as the emulator holds it. */
  readonly planStatus?: string;
  readonly planStatusMessage?: string;
  /** The request ran with onEvent made to crash after it returned. */
  readonly crashed: boolean;
}

export interface ReasonClass {
  readonly name: string;
  readonly pattern: RegExp;
  /** Further requirement; returns what is missing, or undefined when the reason is complete. */
  readonly check?: (reason: string, ctx: ReasonContext) => string | undefined;
}

const ASK = String.raw`\d+ x \S+ for \d+ h between \S+ and .+?, at most \S+ [A-Z]{3}`;

export const REASON_CLASSES: readonly ReasonClass[] = [
  {
    name: 'no offering in the window',
    pattern: new RegExp(`^No training-plan offering was found for ${ASK} \\(TargetResources: endpoint\\)\\. .*Widen the window`),
  },
  {
    name: 'no acceptable offering (over budget / currency / fee / window)',
    pattern: new RegExp(`^No offering can be bought for ${ASK}: \\d+ found, none acceptable \\(.+\\)\\. .*widen the window`),
    check: (reason) => (/is above the budget of/.test(reason) && !/The cheapest offering found is \S+ at [0-9.]+ [A-Z]{3}, above maxUpfrontFee/.test(reason)
      ? 'an offering was refused for its price, but the cheapest and its fee are not named'
      : undefined),
  },
  { name: 'quota', pattern: /(training-plan quota is reached \(ResourceLimitExceeded|answered ResourceLimitExceeded \().*Request a quota increase/ },
  { name: 'sold out between search and purchase', pattern: new RegExp(`sold out between search and purchase, \\d+ times in a row, for ${ASK}\\. Nothing was bought\\.`) },
  {
    name: 'plan failed (with its StatusMessage)',
    pattern: /^Training plan \S+ failed: .+\. Nothing more was bought\./,
    check: (reason, ctx) => (ctx.planStatusMessage && !reason.includes(ctx.planStatusMessage) ? `the StatusMessage "${ctx.planStatusMessage}" is missing` : undefined),
  },
  { name: 'still Pending/Scheduled when the deploy stopped waiting', pattern: /^Training plan \S+ was still \w+ when this deploy stopped waiting at \S+\. .*(adopts|deploy again once it is Active)/ },
  { name: 'Scheduled to start after the deploy stops waiting', pattern: /^Training plan \S+ is Scheduled and starts \S+, after this deploy stops waiting/ },
  { name: 'expired, an endpoint needs Active', pattern: /^Training plan \S+ expired at \S+; an endpoint cannot run on it/ },
  { name: 'spec change refused', pattern: /^Training plan \S+ cannot be changed \(.+\).*Nothing was bought\..*set a new planName/ },
  { name: 'name taken by a non-matching plan', pattern: /^A training plan named \S+ already exists and cannot be used for this reservation: .+Nothing was bought\..*set a new planName/ },
  { name: 'name refused, no plan found', pattern: /^CreateTrainingPlan refused the name \S+ \(ResourceInUse: .*\), yet no plan of that name can be described\./ },
  {
    name: 'transient failures exhausted',
    pattern: new RegExp(`^CreateTrainingPlan (failed \\d+ times with transient errors \\(last: .+\\)|was throttled \\d+ times \\(\\w+\\)|failed \\d+ times \\(the last throttled: \\w+\\)) while buying ${ASK}.*Deploy again later`),
  },
  {
    name: 'service error, explained',
    pattern: new RegExp(`^(SearchTrainingPlanOfferings|CreateTrainingPlan|DescribeTrainingPlan) failed with \\w+: .* while reserving ${ASK}[.;] .*deploying again is safe`, 'is'),
  },
  {
    name: 'purchase outcome unknown, look-up failed',
    pattern: /^CreateTrainingPlan answered \w+: .*, and looking plan \S+ up afterwards failed too \(.+\)\. Whether the plan was bought is not known\..*adopts it if it exists/s,
  },
  {
    name: 'bought, not yet described',
    pattern: /^Training plan \S+ was bought but the service still does not describe it at \S+\. The next deploy adopts it/,
    check: (_reason, ctx) => (ctx.planStatus === undefined ? `it says the plan was bought, but no plan named ${ctx.planName} exists` : undefined),
  },
  {
    name: 'timed out by the framework while Pending or Scheduled',
    pattern: /^Operation timed out$/,
    check: (_reason, ctx) => (ctx.planStatus === 'Pending' || ctx.planStatus === 'Scheduled'
      ? undefined
      : `the framework timed out while the plan was ${ctx.planStatus ?? 'absent'}`),
  },
  { name: 'invalid property', pattern: /^Resource property \w+ (is missing|must be .+; got .+)\. Nothing was bought\.$/ },
  {
    name: 'the Lambda crashed (injected)',
    pattern: new RegExp(`^${CRASH_REASON.replace(/\./g, '\\.')}$`),
    check: (_reason, ctx) => (ctx.crashed ? undefined : 'a crash reason from a request that did not crash'),
  },
];

export interface Classification {
  /** The class, or undefined when no class matches: a failure without a clear cause. */
  readonly cls?: ReasonClass;
  /** Set when the class matched but the reason lacks something it must say. */
  readonly missing?: string;
}

export function classifyReason(reason: string | undefined, ctx: ReasonContext): Classification {
  if (!reason) {
    return {};
  }
  const cls = REASON_CLASSES.find((c) => c.pattern.test(reason));
  if (!cls) {
    return {};
  }
  return { cls, missing: cls.check?.(reason, ctx) };
}

/** A reason that tells the user nothing was bought (by the request that failed). */
export const NOTHING_BOUGHT = /\bnothing was bought\b|\bthis call buys nothing\b/i;
