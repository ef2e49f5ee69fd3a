import { CapacityBlock, EmulatorCall, EmulatorPlan, FaultRule, PreloadPlanOptions } from '../emulator';
import { compareDecimal, isDecimal } from './decimal';
import { Draw, lifecycleRng } from './prng';
import { classifyReason, NOTHING_BOUGHT } from './reasons';
import {
  crashingAfterOnEvent, DAY, HandlerRig, HOUR, isDryRun, isPlanArn, MINUTE, Props, realDelay, T0,
} from '../handler-emulator/harness';
import { CfnOutcome, CREATE_FAILED_MARKER, ProviderFrameworkDriver, UserHandlers } from '../support/provider-driver';

/**
 * The fault suite's lifecycles (issue 3): a random sequence of CloudFormation
 * operations on one or two reservation resources, against a random catalogue,
 * with random faults, played through the Provider framework driver against
 * the SageMaker emulator. Every request is checked against the six
 * invariants as soon as it is answered.
 *
 * A lifecycle is generated up front from (seed, index) alone, so it replays
 * exactly; the runner then adapts each step to the stack's state (an Update
 * of a resource that does not exist becomes its Create, and so on).
 */

// ---- settings -------------------------------------------------------------

export const SUITE_RETRY = { attempts: 4, baseDelayMs: 5, maxDelayMs: 40 } as const;
export const MAX_SEARCHES = 3;
export const MAX_PURCHASE_ATTEMPTS = 3;
/** Requests past this fail with TimeoutError (the timeout createSageMakerClient intends). */
export const REQUEST_TIMEOUT_MS = 150;
/** A "slow answer": well past the request timeout; the service still commits it afterwards. */
export const SLOW_LATENCY_MS = 300;
/** A slow purchase outlasts all of the handler's attempts (3 x the timeout) before it commits. */
export const SLOW_CREATE_LATENCY_MS = 700;
/** "Delete answers in seconds": generous, for a loaded CI machine; the focused tests ask for 500 ms. */
export const DELETE_BUDGET_MS = 2_000;

const SEARCH = 'SearchTrainingPlanOfferings';
const CREATE = 'CreateTrainingPlan';
const DESCRIBE = 'DescribeTrainingPlan';
const OTHER_STACK = 'arn:aws:cloudformation:us-west-2:123456789012:stack/Racing/22222222-2222-2222-2222-222222222222';

const FAILURE_MESSAGES = [
  'Capacity in the requested Availability Zone could not be secured.',
  'The training plan could not be fulfilled because the reserved capacity was reclaimed.',
  'Internal error while provisioning reserved capacity',
];

// ---- the script -----------------------------------------------------------

export type StepKind =
  | 'deploy' | 'duplicate' | 'duplicate-concurrent' | 'crash' | 'race' | 'create-rollback'
  | 'update-cosmetic' | 'update-spec' | 'update-name' | 'dry-run-purchase' | 'delete' | 'advance';

export type Control =
  | { readonly kind: 'preload'; readonly resource: number; readonly variant: 'matching' | 'other-count' | 'expired' | 'failed' | 'other-type' }
  | { readonly kind: 'max-plans'; readonly n: number }
  | { readonly kind: 'fail-next'; readonly count: number; readonly message: string }
  | { readonly kind: 'stick-pending'; readonly resource?: number }
  | { readonly kind: 'release-pending' }
  | { readonly kind: 'vanish'; readonly times: number };

export interface Step {
  readonly kind: StepKind;
  readonly resource: number;
  readonly faults: FaultRule[];
  readonly controls: Control[];
  /** Drawn up front, for choices the runner makes from the stack's state. */
  readonly variant: number;
  readonly advanceMs: number;
}

export interface ResourceScript {
  readonly logicalId: string;
  readonly props: Props;
}

export interface LifecycleScript {
  readonly seed: number;
  readonly index: number;
  readonly catalogue: CapacityBlock[];
  readonly resources: ResourceScript[];
  readonly setup: Control[];
  readonly steps: Step[];
  readonly queryIntervalMs: number;
  readonly totalTimeoutMs: number;
}

function at(ms: number): Date {
  return new Date(T0.getTime() + ms);
}

function genProps(d: Draw, index: number, r: number): Props {
  const hours = d.pick([24, 168, 168, 336]);
  const requireActive = d.chance(0.12);
  let earliest: Date | undefined;
  let latest: Date | undefined;
  if (requireActive) {
    earliest = d.chance(0.5) ? undefined : T0;
    latest = d.chance(0.3) ? undefined : at(30 * DAY);
  } else {
    earliest = d.chance(0.1) ? undefined : at(d.int(1, 3) * DAY);
    latest = d.chance(0.15) ? undefined : new Date((earliest ?? T0).getTime() + hours * HOUR + d.int(2, 20) * DAY);
  }
  const props: Props = {
    PlanName: `cri-Fault-L${index}-R${r}`,
    InstanceType: d.chance(0.85) ? 'ml.p5.48xlarge' : 'ml.p4d.24xlarge',
    InstanceCount: String(d.pick([1, 1, 2, 4])),
    DurationHours: String(hours),
    MaxUpfrontFee: d.pick(['60000', '25000.50', '100000', '150000']),
    CurrencyCode: d.chance(0.9) ? 'USD' : 'EUR',
    Selection: d.pick(['CHEAPEST', 'CHEAPEST', 'BEST_MATCH', 'EARLIEST_START']),
    RequireActive: requireActive ? 'true' : 'false',
    Purchase: d.chance(0.8) ? 'true' : 'false',
    WaitBudgetSeconds: d.chance(0.7) ? '3600' : '1380',
    Tags: [{ Key: 'cdk-reserved-inference:owner', Value: `Fault/R${r}` }],
  };
  if (earliest) {
    props.EarliestStart = earliest.toISOString();
  }
  if (latest) {
    props.LatestEnd = latest.toISOString();
  }
  return props;
}

function feeUnder(d: Draw, budget: string): string {
  if (d.chance(0.1)) {
    return budget;
  }
  const b = Number(budget);
  return (Math.floor(b * (0.4 + 0.6 * d.int(0, 1000) / 1000) * 100) / 100).toFixed(2);
}

function feeOver(d: Draw, budget: string): string {
  const b = Number(budget);
  return (Math.ceil(b * (1 + 0.5 * d.int(0, 1000) / 1000) * 100) / 100 + 0.01).toFixed(2);
}

function inWindowStart(d: Draw, props: Props): Date {
  if (props.RequireActive === 'true') {
    // Some start before the deploy stops waiting, some after.
    return at(d.int(5, 70) * MINUTE);
  }
  const hours = Number(props.DurationHours);
  const lo = props.EarliestStart ? new Date(props.EarliestStart as string).getTime() : T0.getTime() + HOUR;
  const hi = props.LatestEnd ? new Date(props.LatestEnd as string).getTime() - hours * HOUR : lo + 10 * DAY;
  const span = Math.max(0, Math.floor((hi - lo) / HOUR));
  return new Date(lo + d.int(0, span) * HOUR);
}

/** A block shaped after a resource's properties: a fit, or wrong in one way. */
function genOffering(d: Draw, props: Props): CapacityBlock {
  const budget = props.MaxUpfrontFee as string;
  const currency = props.CurrencyCode as string;
  const count = Number(props.InstanceCount);
  const hours = Number(props.DurationHours);
  const base: CapacityBlock = {
    instanceType: props.InstanceType as string,
    instanceCount: count,
    availabilityZone: d.pick(['us-west-2a', 'us-west-2b', 'us-west-2c', 'us-west-2d']),
    startTime: inWindowStart(d, props),
    durationHours: hours,
    upfrontFee: feeUnder(d, budget),
    currencyCode: currency,
    targetResources: d.chance(0.5) ? ['training-job', 'endpoint'] : ['training-job', 'hyperpod-cluster', 'endpoint'],
  };
  const kind = d.weighted<string>([
    ['fit', 40], ['over', 14], ['hair-over', 1], ['no-fee', 7], ['other-currency', 7], ['no-currency', 3],
    ['early', 4], ['late', 5], ['wrong-count', 5], ['wrong-hours', 4], ['training-only', 3], ['other-type', 3],
  ]);
  switch (kind) {
    case 'over':
      return { ...base, upfrontFee: feeOver(d, budget) };
    case 'hair-over':
      // A decimal a hair above the budget (rounds to it as a double).
      return { ...base, upfrontFee: `${budget}${budget.includes('.') ? '' : '.'}000000000001` };
    case 'no-fee':
      return { ...base, upfrontFee: undefined };
    case 'other-currency':
      return { ...base, currencyCode: currency === 'USD' ? 'EUR' : 'USD' };
    case 'no-currency':
      return { ...base, currencyCode: undefined };
    case 'early': {
      if (!props.EarliestStart) return base;
      const start = new Date(new Date(props.EarliestStart as string).getTime() - d.int(1, 20) * HOUR);
      return start.getTime() > T0.getTime() ? { ...base, startTime: start } : base;
    }
    case 'late': {
      const start = props.LatestEnd
        ? new Date(new Date(props.LatestEnd as string).getTime() - hours * HOUR + d.int(1, 48) * HOUR)
        : at(d.int(40, 90) * DAY);
      return { ...base, startTime: start };
    }
    case 'wrong-count':
      return { ...base, instanceCount: count * 2 };
    case 'wrong-hours':
      return { ...base, durationHours: hours === 168 ? 336 : 168 };
    case 'training-only':
      return { ...base, targetResources: ['training-job'] };
    case 'other-type':
      return { ...base, instanceType: base.instanceType === 'ml.p5.48xlarge' ? 'ml.p4d.24xlarge' : 'ml.p5.48xlarge' };
    default:
      return base;
  }
}

function genFault(d: Draw): FaultRule {
  const operation = d.pick([SEARCH, CREATE, DESCRIBE, DESCRIBE, undefined]);
  const kind = d.weighted<FaultRule['kind']>([
    ['throttle', 25], ['server-error', 18], ['reset', 14], ['commit-then-reset', 12],
    ['commit-then-server-error', 8], ['error', 8], ['latency', 15],
  ]);
  const times = d.weighted<number>([[1, 55], [2, 18], [3, 12], [5, 10], [Infinity, 5]]);
  const skip = d.chance(0.6) ? 0 : d.int(1, 3);
  switch (kind) {
    case 'server-error':
      return { operation, kind, times, skip, status: d.pick([500, 503]) };
    case 'commit-then-server-error':
      return { operation, kind, times, skip, status: d.pick([500, 502, 503]) };
    case 'error':
      return {
        operation,
        kind,
        times,
        skip,
        status: 400,
        errorType: d.pick(['ValidationException', 'AccessDeniedException', 'ResourceLimitExceeded', 'ResourceNotFound', 'ResourceInUse']),
        message: 'Injected by the fault suite',
      };
    case 'latency':
      return d.chance(0.8)
        ? { operation, kind, times, skip, latencyMs: d.int(2, 20) }
        // Slow answers cost real time: at most three per rule.
        : { operation, kind, times: Math.min(times, d.int(1, 3)), skip, latencyMs: operation === CREATE ? SLOW_CREATE_LATENCY_MS : SLOW_LATENCY_MS };
    default:
      return { operation, kind, times, skip };
  }
}

function genControl(d: Draw, resources: number, setup: boolean): Control {
  const kind = d.weighted<Control['kind']>(setup
    ? [['preload', 12], ['max-plans', 5], ['fail-next', 8], ['stick-pending', 6], ['vanish', 8]]
    : [['max-plans', 2], ['fail-next', 3], ['stick-pending', 2], ['release-pending', 2], ['vanish', 3]]);
  switch (kind) {
    case 'preload':
      return {
        kind,
        resource: d.int(0, resources - 1),
        variant: d.weighted([['matching', 30], ['other-count', 25], ['expired', 20], ['failed', 15], ['other-type', 10]] as const),
      };
    case 'max-plans':
      return { kind, n: d.pick([0, 1]) };
    case 'fail-next':
      return { kind, count: d.int(1, 2), message: d.pick(FAILURE_MESSAGES) };
    case 'stick-pending':
      return d.chance(0.5) ? { kind } : { kind, resource: d.int(0, resources - 1) };
    case 'release-pending':
      return { kind };
    default:
      return { kind: 'vanish', times: d.int(1, 4) };
  }
}

export function generateLifecycle(seed: number, index: number): LifecycleScript {
  const d = new Draw(lifecycleRng(seed, index));
  const resources: ResourceScript[] = [];
  const nResources = d.chance(0.3) ? 2 : 1;
  for (let r = 0; r < nResources; r++) {
    resources.push({ logicalId: `Reservation${r}`, props: genProps(d, index, r) });
  }
  const catalogue: CapacityBlock[] = [];
  for (const res of resources) {
    const n = d.weighted([[0, 10], [1, 25], [2, 30], [3, 20], [4, 15]]);
    for (let i = 0; i < n; i++) {
      catalogue.push(genOffering(d, res.props));
    }
  }
  // The service's order is its "best match": not the order they were made in.
  const rotate = catalogue.length > 0 ? d.int(0, catalogue.length - 1) : 0;
  const ordered = [...catalogue.slice(rotate), ...catalogue.slice(0, rotate)];

  const setup: Control[] = [];
  for (let i = 0; i < 2; i++) {
    if (d.chance(0.2)) {
      setup.push(genControl(d, nResources, true));
    }
  }

  const steps: Step[] = [];
  const nSteps = d.int(2, 6);
  for (let i = 0; i < nSteps; i++) {
    const kind = d.weighted<StepKind>([
      ['deploy', 20], ['duplicate', 8], ['duplicate-concurrent', 5], ['crash', 7], ['race', 5], ['create-rollback', 6],
      ['update-cosmetic', 10], ['update-spec', 8], ['update-name', 8], ['dry-run-purchase', 7], ['delete', 7], ['advance', 7],
    ]);
    const faults: FaultRule[] = [];
    if (d.chance(0.45)) {
      const n = d.int(1, 2);
      for (let f = 0; f < n; f++) {
        faults.push(genFault(d));
      }
    }
    const controls: Control[] = d.chance(0.08) ? [genControl(d, nResources, false)] : [];
    steps.push({
      kind,
      resource: d.int(0, nResources - 1),
      faults,
      controls,
      variant: d.u32(),
      advanceMs: d.pick([HOUR, 6 * HOUR, 2 * DAY, 10 * DAY, 40 * DAY]),
    });
  }
  return {
    seed,
    index,
    catalogue: ordered,
    resources,
    setup,
    steps,
    queryIntervalMs: d.weighted([[600_000, 70], [900_000, 15], [300_000, 15]]),
    totalTimeoutMs: 3_600_000,
  };
}

// ---- the run --------------------------------------------------------------

export type ViolationCode =
  | 'double-purchase' | 'over-budget' | 'unclear-failure'
  | 'unexpected-purchase' | 'wrong-purchase' | 'false-claim'
  | 'delete-failed' | 'delete-slow' | 'delete-called-create'
  | 'id-changed' | 'rollback-failed' | 'dry-run-mismatch'
  | 'unbounded-backoff' | 'unbounded-retries' | 'blind-resend';

export interface Violation {
  readonly code: ViolationCode;
  readonly step: number;
  readonly request: string;
  readonly message: string;
  readonly reason?: string;
}

export interface LifecycleReport {
  readonly script: LifecycleScript;
  readonly violations: Violation[];
  readonly faultsInjected: number;
  readonly purchases: number;
  readonly requests: number;
  readonly failures: number;
  /** FAILED reasons by class name. */
  readonly reasonClasses: Record<string, number>;
  /** Every FAILED answer, in order. */
  readonly failed: ReadonlyArray<{ readonly step: number; readonly request: string; readonly cause: string; readonly reason: string }>;
}

/** One emulator and SDK client for many lifecycles. */
export interface SuiteContext {
  readonly rig: HandlerRig;
  /** Wall-clock time until which a delayed (slow) answer may still commit on the emulator. */
  settleBy: number;
  /** Requests the client gave up on (TimeoutError) so far. */
  timeouts: number;
}

export async function startSuite(): Promise<SuiteContext> {
  const rig = await HandlerRig.start({ clientMode: 'enforced-timeout', requestTimeoutMs: REQUEST_TIMEOUT_MS });
  const ctx: SuiteContext = { rig, settleBy: 0, timeouts: 0 };
  // A request the client gave up on still runs on the emulator once its delay
  // is over: remember when, so nothing lands in the next request's window.
  rig.client.middlewareStack.add((next) => async (args) => {
    const started = Date.now();
    const target = (args.request as { headers?: Record<string, string> }).headers?.['x-amz-target'] ?? '';
    const latency = target.endsWith(`.${CREATE}`) ? SLOW_CREATE_LATENCY_MS : SLOW_LATENCY_MS;
    try {
      return await next(args);
    } catch (err) {
      // smithy names dropped connections TimeoutError too (code ECONNRESET): only ETIMEDOUT is a request timeout.
      if ((err as { code?: string }).code === 'ETIMEDOUT') {
        ctx.timeouts++;
        ctx.settleBy = Math.max(ctx.settleBy, started + latency + 40);
      }
      throw err;
    }
  }, { step: 'finalizeRequest', name: 'faultSuiteTimeoutTracker' });
  return ctx;
}

export async function stopSuite(ctx: SuiteContext): Promise<void> {
  await settle(ctx);
  await ctx.rig.stop();
}

async function settle(ctx: SuiteContext): Promise<void> {
  const wait = ctx.settleBy - Date.now();
  if (wait > 0) {
    await realDelay(wait);
  }
}

type Role =
  | 'create' | 'duplicate-1' | 'duplicate-2' | 'crash' | 'race-ours' | 'race-other' | 'dry-run-create'
  | 'update-cosmetic' | 'update-spec' | 'update-name' | 'update-purchase' | 'rollback-update'
  | 'delete' | 'rollback-delete' | 'cleanup-delete';

/** Roles after which no plan may have been bought. */
const NO_PURCHASE: ReadonlySet<Role> = new Set(['update-cosmetic', 'update-spec', 'rollback-update', 'delete', 'rollback-delete', 'cleanup-delete']);

interface Request {
  readonly role: Role;
  readonly kind: 'Create' | 'Update' | 'Delete';
  readonly logicalId: string;
  readonly props: Props;
  readonly oldProps?: Props;
  readonly sentId?: string;
  readonly crashed?: boolean;
  readonly run: () => Promise<CfnOutcome>;
}

interface Answered {
  readonly req: Request;
  readonly out: CfnOutcome;
  readonly ms: number;
}

interface ResourceState {
  readonly logicalId: string;
  props: Props;
  physicalId?: string;
}

/**
 * The handler's own refusals. A rollback Update goes back to what the resource
 * already holds: it needs no purchase and no search, so none of these may
 * answer it (the stack would stay UPDATE_ROLLBACK_FAILED). Failures that
 * injected faults explain, or that the plan's state explains in isComplete,
 * are not counted here.
 */
const REFUSALS: ReadonlySet<string> = new Set([
  'spec change refused', 'name taken by a non-matching plan', 'name refused, no plan found', 'no offering in the window',
  'no acceptable offering (over budget / currency / fee / window)', 'sold out between search and purchase',
]);

const SPEC_KEYS = ['InstanceType', 'InstanceCount', 'DurationHours', 'EarliestStart', 'LatestEnd'];

function label(req: Request): string {
  return `${req.role} ${req.kind} ${req.logicalId} (PlanName ${String(req.props.PlanName)}${req.sentId ? `, id ${req.sentId}` : ''})`;
}

class LifecycleRun {
  private readonly violations: Violation[] = [];
  private readonly resources: ResourceState[];
  private readonly reasonClasses: Record<string, number> = {};
  private readonly failed: Array<{ step: number; request: string; cause: string; reason: string }> = [];
  /** Plan names each logical resource has bought under. */
  private readonly boughtBy = new Map<string, Set<string>>();
  private readonly handlers: UserHandlers;
  private faultsInjected = 0;
  private requests = 0;
  private failures = 0;
  private step = -1;
  /** Selection may legitimately differ from a dry run's report after these. */
  private selectionDisturbed = false;

  constructor(private readonly ctx: SuiteContext, private readonly script: LifecycleScript) {
    this.resources = script.resources.map((r) => ({ logicalId: r.logicalId, props: r.props }));
    this.handlers = ctx.rig.handler({ retry: SUITE_RETRY, maxSearches: MAX_SEARCHES, maxPurchaseAttempts: MAX_PURCHASE_ATTEMPTS });
  }

  private get emulator() {
    return this.ctx.rig.emulator;
  }

  public async run(): Promise<LifecycleReport> {
    await settle(this.ctx);
    this.ctx.rig.reset();
    this.emulator.setCatalogue(this.script.catalogue);
    for (const c of this.script.setup) {
      this.apply(c);
    }
    for (const [i, s] of this.script.steps.entries()) {
      this.step = i;
      for (const c of s.controls) {
        this.apply(c);
      }
      for (const f of s.faults) {
        this.emulator.inject(f);
        this.faultsInjected++;
        if (f.kind === 'error' && f.errorType === 'ResourceNotFound') {
          this.selectionDisturbed = true;
        }
      }
      await this.perform(s);
    }
    this.checkGlobal();
    return {
      script: this.script,
      violations: this.violations,
      faultsInjected: this.faultsInjected,
      purchases: this.emulator.purchases(),
      requests: this.requests,
      failures: this.failures,
      reasonClasses: this.reasonClasses,
      failed: this.failed,
    };
  }

  private apply(c: Control): void {
    this.faultsInjected++;
    switch (c.kind) {
      case 'preload': {
        const props = this.resources[c.resource].props;
        const name = props.PlanName as string;
        // Its own stream, so a preload does not shift the lifecycle's draws.
        const d = new Draw(lifecycleRng(this.script.seed + 0x5eed, this.script.index));
        const fit: CapacityBlock = {
          ...genOffering(d, props),
          instanceType: props.InstanceType as string,
          instanceCount: Number(props.InstanceCount),
          durationHours: Number(props.DurationHours),
          startTime: inWindowStart(d, props),
        };
        const otherType = fit.instanceType === 'ml.p5.48xlarge' ? 'ml.p4d.24xlarge' : 'ml.p5.48xlarge';
        const variants: Record<typeof c.variant, PreloadPlanOptions> = {
          'matching': { name, block: fit },
          'other-count': { name, block: { ...fit, instanceCount: fit.instanceCount * 2 } },
          'other-type': { name, block: { ...fit, instanceType: otherType } },
          'expired': { name, block: fit, status: 'Expired' },
          'failed': { name, block: fit, status: 'Failed', statusMessage: FAILURE_MESSAGES[0] },
        };
        const options = variants[c.variant];
        if (!this.emulator.findPlan(options.name)) {
          this.emulator.preloadPlan(options);
        }
        return;
      }
      case 'max-plans':
        this.emulator.setMaxPlans(c.n);
        return;
      case 'fail-next':
        this.emulator.failNextPlans(c.count, c.message);
        return;
      case 'stick-pending':
        this.emulator.stickPending(c.resource === undefined ? undefined : this.resources[c.resource].props.PlanName as string);
        return;
      case 'release-pending':
        this.emulator.releasePending();
        return;
      default:
        this.selectionDisturbed = true;
        for (let i = 0; i < c.times; i++) {
          this.emulator.vanishAfterSearch();
        }
    }
  }

  // ---- CloudFormation, step by step ----

  private driver(stackId?: string, handlers: UserHandlers = this.handlers): ProviderFrameworkDriver {
    return this.ctx.rig.driver({
      handlers,
      queryIntervalMs: this.script.queryIntervalMs,
      totalTimeoutMs: this.script.totalTimeoutMs,
      stackId,
    });
  }

  private async perform(s: Step): Promise<void> {
    const res = this.resources[s.resource];
    const exists = res.physicalId !== undefined;
    switch (s.kind) {
      case 'advance':
        this.emulator.advance(s.advanceMs);
        return;
      case 'deploy':
        return exists ? this.updateCosmetic(res, s) : this.deploy(res);
      case 'duplicate':
      case 'duplicate-concurrent':
        return exists ? this.updateCosmetic(res, s) : this.duplicateCreate(res, s.kind === 'duplicate-concurrent');
      case 'crash':
        return exists ? this.updateCosmetic(res, s) : this.crashCreate(res);
      case 'race':
        return this.race(res);
      case 'create-rollback':
        if (exists) {
          return this.deleteResource(res, 'rollback-delete');
        }
        await this.deploy(res);
        if (res.physicalId !== undefined) {
          // Another resource of the stack failed: CloudFormation rolls this one back.
          await this.deleteResource(res, 'rollback-delete');
        }
        return;
      case 'update-cosmetic':
        return exists ? this.updateCosmetic(res, s) : this.deploy(res);
      case 'update-spec':
        return exists ? this.updateSpec(res, s) : this.deploy(res);
      case 'update-name':
        return exists ? this.updateName(res, s) : this.deploy(res);
      case 'dry-run-purchase':
        return this.dryRunThenPurchase(res, s);
      case 'delete':
        return exists ? this.deleteResource(res, 'delete') : this.deploy(res);
      default:
        throw new Error(`unknown step ${String(s.kind)}`);
    }
  }

  private async deploy(res: ResourceState): Promise<void> {
    await this.create(res, 'create');
  }

  private createRequest(res: ResourceState, role: Role, props: Props, driver = this.driver()): Request {
    return { role, kind: 'Create', logicalId: res.logicalId, props, run: () => driver.create(res.logicalId, props) };
  }

  /** A Create; on FAILED, CloudFormation's rollback Delete (skipped for the marker). */
  private async create(res: ResourceState, role: Role, props: Props = res.props): Promise<CfnOutcome> {
    const [a] = await this.group([this.createRequest(res, role, props)]);
    await this.settleCreate(res, a.out, props);
    return a.out;
  }

  private async settleCreate(res: ResourceState, out: CfnOutcome, props: Props): Promise<void> {
    if (out.status === 'SUCCESS') {
      res.physicalId = out.physicalResourceId;
      res.props = props;
      return;
    }
    res.physicalId = undefined;
    await this.delete(res.logicalId, out.physicalResourceId, props, 'rollback-delete');
  }

  private async duplicateCreate(res: ResourceState, concurrent: boolean): Promise<void> {
    const driver = this.driver();
    const event = driver.createEvent(res.logicalId, res.props);
    const first: Request = { role: 'duplicate-1', kind: 'Create', logicalId: res.logicalId, props: res.props, run: () => driver.run(event) };
    const second: Request = { ...first, role: 'duplicate-2' };
    const answers = concurrent ? await this.group([first, second]) : [...await this.group([first]), ...await this.group([second])];
    const [a, b] = answers;
    if (a.out.status === 'SUCCESS' && b.out.status === 'SUCCESS' && a.out.physicalResourceId !== b.out.physicalResourceId) {
      this.violate('id-changed', b.req, `the same Create delivered twice answered two physical ids: ${a.out.physicalResourceId} and ${b.out.physicalResourceId}`);
    }
    // CloudFormation keeps the first answer.
    await this.settleCreate(res, a.out, res.props);
  }

  private async crashCreate(res: ResourceState): Promise<void> {
    this.faultsInjected++;
    const crashing = crashingAfterOnEvent(this.handlers);
    const driver = this.driver(undefined, crashing);
    const req: Request = { role: 'crash', kind: 'Create', logicalId: res.logicalId, props: res.props, crashed: true, run: () => driver.create(res.logicalId, res.props) };
    const [a] = await this.group([req]);
    await this.settleCreate(res, a.out, res.props);
  }

  /** A second stack deploys a reservation with the same PlanName at the same time. */
  private async race(res: ResourceState): Promise<void> {
    const other = this.createRequest(res, 'race-other', res.props, this.driver(OTHER_STACK));
    if (res.physicalId !== undefined) {
      const [b] = await this.group([other]);
      return this.deleteOther(b.out, res);
    }
    const ours = this.createRequest(res, 'race-ours', res.props);
    const [a, b] = await this.group([ours, other]);
    if (a.out.status === 'SUCCESS' && b.out.status === 'SUCCESS' && a.out.physicalResourceId !== b.out.physicalResourceId) {
      this.violate('id-changed', b.req, `two racing Creates of PlanName ${String(res.props.PlanName)} answered ${a.out.physicalResourceId} and ${b.out.physicalResourceId}`);
    }
    await this.settleCreate(res, a.out, res.props);
    await this.deleteOther(b.out, res);
  }

  private async deleteOther(out: CfnOutcome, res: ResourceState): Promise<void> {
    // The other stack goes away again (its Delete, or its rollback).
    const driver = this.driver(OTHER_STACK);
    await this.group([{
      role: out.status === 'SUCCESS' ? 'cleanup-delete' : 'rollback-delete',
      kind: 'Delete',
      logicalId: res.logicalId,
      props: res.props,
      sentId: out.physicalResourceId,
      run: () => driver.delete(res.logicalId, out.physicalResourceId, res.props),
    }]);
  }

  private async update(res: ResourceState, role: Role, props: Props): Promise<Answered> {
    const sentId = res.physicalId!;
    const oldProps = res.props;
    const driver = this.driver();
    const [a] = await this.group([{
      role,
      kind: 'Update',
      logicalId: res.logicalId,
      props,
      oldProps,
      sentId,
      run: () => driver.update(res.logicalId, sentId, props, oldProps),
    }]);
    if (a.out.status === 'SUCCESS') {
      res.props = props;
      const newId = a.out.physicalResourceId;
      if (newId !== sentId) {
        res.physicalId = newId;
        // A new physical id: CloudFormation deletes the old resource when the update completes.
        await this.delete(res.logicalId, sentId, oldProps, 'cleanup-delete');
      }
      return a;
    }
    // UPDATE_FAILED: CloudFormation rolls the resource back with an Update to the old properties.
    const back = this.driver();
    await this.group([{
      role: 'rollback-update',
      kind: 'Update',
      logicalId: res.logicalId,
      props: oldProps,
      oldProps: props,
      sentId,
      run: () => back.update(res.logicalId, sentId, oldProps, props),
    }]);
    return a;
  }

  private async updateCosmetic(res: ResourceState, s: Step): Promise<void> {
    const change = s.variant % 5;
    const props: Props = { ...res.props };
    if (change === 0) {
      props.Tags = [...(res.props.Tags as unknown[]), { Key: 'revision', Value: String(s.variant % 1000) }];
    } else if (change === 1) {
      props.MaxUpfrontFee = String(Number(res.props.MaxUpfrontFee) + 5000);
    } else if (change === 2) {
      props.MaxUpfrontFee = String(Math.max(1000, Math.floor(Number(res.props.MaxUpfrontFee) / 2)));
    } else if (change === 3) {
      props.Selection = res.props.Selection === 'CHEAPEST' ? 'EARLIEST_START' : 'CHEAPEST';
    } else {
      props.WaitBudgetSeconds = res.props.WaitBudgetSeconds === '3600' ? '1380' : '3600';
    }
    await this.update(res, 'update-cosmetic', props);
  }

  private async updateSpec(res: ResourceState, s: Step): Promise<void> {
    const change = s.variant % 3;
    const props: Props = { ...res.props };
    if (change === 0) {
      props.InstanceCount = res.props.InstanceCount === '1' ? '2' : '1';
    } else if (change === 1) {
      props.DurationHours = res.props.DurationHours === '168' ? '336' : '168';
    } else if (res.props.LatestEnd) {
      props.LatestEnd = new Date(new Date(res.props.LatestEnd as string).getTime() + 7 * DAY).toISOString();
    } else {
      props.LatestEnd = at(90 * DAY).toISOString();
    }
    await this.update(res, 'update-spec', props);
  }

  private async updateName(res: ResourceState, s: Step): Promise<void> {
    const props: Props = { ...res.props, PlanName: `${this.baseName(res)}-v${this.step}` };
    if (s.variant % 3 === 0) {
      props.InstanceCount = res.props.InstanceCount === '1' ? '2' : '1';
    }
    await this.update(res, 'update-name', props);
  }

  private baseName(res: ResourceState): string {
    return this.script.resources.find((r) => r.logicalId === res.logicalId)!.props.PlanName as string;
  }

  private async dryRunThenPurchase(res: ResourceState, s: Step): Promise<void> {
    let report: Record<string, string> | undefined;
    if (res.physicalId === undefined) {
      const dryProps = { ...res.props, Purchase: 'false' };
      const out = await this.create(res, 'dry-run-create', dryProps);
      if (out.status !== 'SUCCESS') {
        return;
      }
      report = out.data;
    }
    if (res.props.Purchase !== 'false') {
      return this.updateCosmetic(res, s);
    }
    const props: Props = { ...res.props, Purchase: 'true' };
    const before = new Set(this.emulator.plans().map((p) => p.name));
    const a = await this.update(res, 'update-purchase', props);
    const bought = this.emulator.plans().find((p) => !before.has(p.name) && p.name === props.PlanName);
    const clean = report !== undefined && report.OfferingId !== '' && !this.selectionDisturbed && s.faults.length === 0;
    if (a.out.status === 'SUCCESS' && bought && clean && report && bought.offeringId !== report.OfferingId) {
      this.violate('dry-run-mismatch', a.req, `the dry run reported offering ${report.OfferingId}, the purchase that followed bought ${bought.offeringId}`);
    }
  }

  private async deleteResource(res: ResourceState, role: Role): Promise<void> {
    const id = res.physicalId!;
    res.physicalId = undefined;
    await this.delete(res.logicalId, id, res.props, role);
  }

  private async delete(logicalId: string, physicalId: string, props: Props, role: Role): Promise<void> {
    const driver = this.driver();
    await this.group([{ role, kind: 'Delete', logicalId, props, sentId: physicalId, run: () => driver.delete(logicalId, physicalId, props) }]);
  }

  // ---- one group of requests (concurrent when more than one), then every check ----

  private async group(reqs: Request[]): Promise<Answered[]> {
    const callsBefore = this.emulator.calls.length;
    const sleepsBefore = this.ctx.rig.sleeps.length;
    const timeoutsBefore = this.ctx.timeouts;
    const plansBefore = new Set(this.emulator.plans().map((p) => p.name));
    const timed = async (req: Request): Promise<Answered> => {
      const started = process.hrtime.bigint();
      const out = await req.run();
      return { req, out, ms: Number(process.hrtime.bigint() - started) / 1e6 };
    };
    const answers = reqs.length === 1 ? [await timed(reqs[0])] : await Promise.all(reqs.map(timed));
    await settle(this.ctx);
    this.requests += answers.length;

    const calls = this.emulator.calls.slice(callsBefore);
    const sleeps = this.ctx.rig.sleeps.slice(sleepsBefore);
    const newPlans = this.emulator.plans().filter((p) => !plansBefore.has(p.name));
    const concurrent = reqs.length > 1;
    const timedOut = this.ctx.timeouts > timeoutsBefore;

    this.checkPurchases(answers, newPlans);
    for (const a of answers) {
      this.checkAnswer(a, newPlans, concurrent);
    }
    this.checkRetries(answers[0].req, calls, sleeps, concurrent, timedOut);
    return answers;
  }

  /** Invariants 1 and 2 (and "buys nothing" of 3 and 4). */
  private checkPurchases(answers: Answered[], newPlans: EmulatorPlan[]): void {
    const names = new Map<string, number>();
    for (const p of this.emulator.plans()) {
      names.set(p.name, (names.get(p.name) ?? 0) + 1);
    }
    for (const [name, n] of names) {
      if (n > 1) {
        this.violate('double-purchase', answers[0].req, `${n} plans bought under PlanName ${name}`);
      }
    }
    for (const plan of newPlans) {
      const askers = answers.filter((a) => a.req.props.PlanName === plan.name);
      const buyers = askers.filter((a) => !NO_PURCHASE.has(a.req.role) && a.req.props.Purchase !== 'false');
      if (buyers.length === 0) {
        const req = (askers[0] ?? answers[0]).req;
        // A resource that already bought a plan and buys again where it must buy nothing: a double purchase.
        const code = (this.boughtBy.get(req.logicalId)?.size ?? 0) > 0 ? 'double-purchase' : 'unexpected-purchase';
        this.violate(code, req, `plan ${plan.name} (offering ${plan.offeringId}, ${plan.upfrontFee ?? 'no fee'} ${plan.currencyCode ?? ''}) was bought by a request that must buy nothing`);
        continue;
      }
      const bought = this.boughtBy.get(buyers[0].req.logicalId) ?? new Set<string>();
      bought.add(plan.name);
      this.boughtBy.set(buyers[0].req.logicalId, bought);
      const props = buyers[0].req.props;
      const budget = props.MaxUpfrontFee as string;
      if (!isDecimal(plan.upfrontFee) || plan.currencyCode !== props.CurrencyCode || compareDecimal(plan.upfrontFee, budget) > 0) {
        this.violate('over-budget', buyers[0].req, `plan ${plan.name} bought offering ${plan.offeringId} at ${JSON.stringify(plan.upfrontFee)} ${plan.currencyCode ?? '(no currency)'}; maxUpfrontFee ${budget} ${String(props.CurrencyCode)}`);
      }
      const kindOk = plan.instanceType === props.InstanceType
        && String(plan.instanceCount) === props.InstanceCount
        && String(plan.durationHours) === props.DurationHours
        && (!props.EarliestStart || plan.startTime.getTime() >= new Date(props.EarliestStart as string).getTime())
        && (!props.LatestEnd || plan.endTime.getTime() <= new Date(props.LatestEnd as string).getTime())
        && plan.targetResources.includes('endpoint');
      if (!kindOk) {
        this.violate('wrong-purchase', buyers[0].req, `plan ${plan.name} is ${plan.instanceCount} x ${plan.instanceType} for ${plan.durationHours} h from ${plan.startTime.toISOString()} (targets ${plan.targetResources.join(',')}), not what was asked`);
      }
    }
  }

  /** Invariants 3, 4 and 5, request by request. */
  private checkAnswer(a: Answered, newPlans: EmulatorPlan[], concurrent: boolean): void {
    const { req, out } = a;
    const planName = req.props.PlanName as string;
    if (req.kind === 'Delete') {
      if (out.status !== 'SUCCESS') {
        this.violate('delete-failed', req, `Delete answered FAILED: ${out.reason ?? ''}`, out.reason);
      }
      if (a.ms > DELETE_BUDGET_MS) {
        this.violate('delete-slow', req, `Delete took ${Math.round(a.ms)} ms`);
      }
      return;
    }
    if (out.status === 'FAILED') {
      this.failures++;
      const plan = this.emulator.findPlan(planName);
      const { cls, missing } = classifyReason(out.reason, {
        planName,
        planStatus: plan?.status,
        planStatusMessage: plan?.statusMessage,
        crashed: req.crashed === true,
      });
      const key = cls?.name ?? '(unclassified)';
      this.reasonClasses[key] = (this.reasonClasses[key] ?? 0) + 1;
      this.failed.push({ step: this.step, request: label(req), cause: key, reason: out.reason ?? '' });
      if (!cls || missing) {
        this.violate('unclear-failure', req, cls ? `reason of class "${cls.name}", but ${missing}` : 'the reason matches no known cause', out.reason);
      }
      if (!concurrent && NOTHING_BOUGHT.test(out.reason ?? '') && newPlans.some((p) => p.name === planName)) {
        this.violate('false-claim', req, `the reason says nothing was bought, but plan ${planName} was bought during this request`, out.reason);
      }
      if (req.kind === 'Update' && out.physicalResourceId !== req.sentId) {
        this.violate('id-changed', req, `FAILED Update answered id ${out.physicalResourceId}, CloudFormation sent ${String(req.sentId)}`);
      }
      if (req.kind === 'Create' && out.polls === 0 && out.physicalResourceId !== CREATE_FAILED_MARKER) {
        this.violate('id-changed', req, `a Create that failed in onEvent answered ${out.physicalResourceId}, not the CREATE_FAILED marker`);
      }
      if (req.role === 'rollback-update' && out.polls === 0 && cls && REFUSALS.has(cls.name)) {
        // Going back to what the resource already holds needs no purchase and no
        // search: a refusal here leaves the stack in UPDATE_ROLLBACK_FAILED for good.
        this.violate('rollback-failed', req, `the rollback Update (back to the properties the resource holds) was refused (${cls.name}): the stack would end UPDATE_ROLLBACK_FAILED`, out.reason);
      }
      return;
    }
    if (req.kind === 'Update') {
      const sameName = req.props.PlanName === req.oldProps?.PlanName;
      if (sameName && isPlanArn(req.sentId) && out.physicalResourceId !== req.sentId) {
        this.violate('id-changed', req, `Update without a new PlanName changed the id ${String(req.sentId)} -> ${out.physicalResourceId}`);
      }
      const buying = req.props.Purchase !== 'false' && req.oldProps?.Purchase !== 'false';
      if (req.role === 'update-spec' && buying && isPlanArn(req.sentId) && SPEC_KEYS.some((k) => req.props[k] !== req.oldProps?.[k])) {
        // Accepted without a purchase: allowed only if the held plan already satisfies the new spec.
        const plan = this.emulator.findPlan(planName);
        const fits = plan && String(plan.instanceCount) === req.props.InstanceCount && String(plan.durationHours) === req.props.DurationHours
          && (!req.props.LatestEnd || plan.endTime.getTime() <= new Date(req.props.LatestEnd as string).getTime());
        if (!fits) {
          this.violate('id-changed', req, 'a spec change without a new PlanName was accepted although the plan does not satisfy it');
        }
      }
    }
    if (out.status === 'SUCCESS' && req.kind === 'Create' && !isPlanArn(out.physicalResourceId) && !isDryRun(out.physicalResourceId)) {
      this.violate('id-changed', req, `Create answered an id that is neither a plan ARN nor a dry-run id: ${out.physicalResourceId}`);
    }
  }

  /** Invariants 3 and 6: retries bounded, no purchase re-sent blindly, Delete calls nothing. */
  private checkRetries(first: Request, calls: readonly EmulatorCall[], sleeps: number[], concurrent: boolean, timedOut: boolean): void {
    for (const ms of sleeps) {
      if (!(ms >= 0 && ms <= SUITE_RETRY.maxDelayMs)) {
        this.violate('unbounded-backoff', first, `a backoff of ${ms} ms (max ${SUITE_RETRY.maxDelayMs})`);
      }
    }
    if (first.kind === 'Delete') {
      if (calls.some((c) => c.operation === CREATE)) {
        this.violate('delete-called-create', first, 'Delete called CreateTrainingPlan');
      }
      return;
    }
    if (concurrent) {
      return;
    }
    const creates = calls.filter((c) => c.operation === CREATE).length;
    if (creates > MAX_SEARCHES + MAX_PURCHASE_ATTEMPTS) {
      this.violate('unbounded-retries', first, `${creates} CreateTrainingPlan calls in one request`);
    }
    let run = 0;
    let runOp = '';
    for (const c of calls) {
      const failed = c.status === 0 || c.status >= 500 || c.errorType === 'ThrottlingException';
      if (failed && c.operation !== CREATE && c.operation === runOp) {
        run++;
      } else {
        run = failed && c.operation !== CREATE ? 1 : 0;
        runOp = c.operation;
      }
      if (run > SUITE_RETRY.attempts) {
        this.violate('unbounded-retries', first, `${run} failed ${c.operation} calls in a row (attempts ${SUITE_RETRY.attempts})`);
        break;
      }
    }
    if (timedOut) {
      // Delayed answers are logged when they land, out of order: the order check below cannot apply.
      return;
    }
    let unresolved = false;
    for (const c of calls) {
      if (c.operation === CREATE) {
        if (unresolved) {
          this.violate('blind-resend', first, 'CreateTrainingPlan sent again after an answer that may have been lost, without a look-up by name in between');
          return;
        }
        unresolved = c.status === 0 || (c.status >= 500 && c.errorType !== 'ThrottlingException');
      } else if (c.operation === DESCRIBE && c.status !== 0 && c.status < 500) {
        unresolved = false;
      }
    }
  }

  private checkGlobal(): void {
    for (const res of this.resources) {
      if (res.physicalId !== undefined && !isPlanArn(res.physicalId) && !isDryRun(res.physicalId)) {
        this.violate('id-changed', undefined, `${res.logicalId} ended with physical id ${res.physicalId}`);
      }
    }
  }

  private violate(code: ViolationCode, req: Request | undefined, message: string, reason?: string): void {
    this.violations.push({ code, step: this.step, request: req ? label(req) : '(lifecycle)', message, reason });
  }
}

export function runLifecycle(ctx: SuiteContext, script: LifecycleScript): Promise<LifecycleReport> {
  return new LifecycleRun(ctx, script).run();
}

/** A compact, replayable description of a lifecycle, for failure messages. */
export function describeScript(script: LifecycleScript): string {
  const steps = script.steps.map((s, i) => {
    const faults = s.faults.map((f) => `${f.kind}${f.operation ? `@${f.operation.replace('TrainingPlan', '')}` : ''}x${f.times}${f.skip ? `+${f.skip}` : ''}`);
    const controls = s.controls.map((c) => c.kind);
    return `${i}:${s.kind}(R${s.resource})${faults.length ? ` faults[${faults.join(' ')}]` : ''}${controls.length ? ` controls[${controls.join(' ')}]` : ''}`;
  });
  return [
    `resources: ${script.resources.map((r) => `${r.logicalId} ${JSON.stringify({ ...r.props, Tags: undefined })}`).join('; ')}`,
    `catalogue: ${script.catalogue.map((b) => `${b.instanceCount}x${b.instanceType}/${b.durationHours}h@${b.startTime.toISOString()} ${b.upfrontFee ?? '-'} ${b.currencyCode ?? '-'}`).join(', ')}`,
    `setup: ${script.setup.map((c) => JSON.stringify(c)).join(', ') || '-'}`,
    `steps: ${steps.join(' | ')}`,
  ].join('\n');
}
