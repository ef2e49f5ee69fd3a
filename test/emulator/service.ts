import { createHash } from 'crypto';
import { CapacityBlock, Catalogue, Offering } from './catalogue';
import { EmulatorClock } from './clock';
import { resourceInUse, resourceLimitExceeded, resourceNotFound, unknownOperation, validationException } from './errors';
import { OPERATION_INPUTS } from './model';
import { EmulatorPlan, PlanRecord, PlanTag, planStatus, renderPlan, snapshotPlan, TrainingPlanStatus } from './plans';
import { epochSecondsToMs, msToEpochSeconds, validateInput } from './validate';

export interface ServiceSettings {
  readonly region: string;
  readonly accountId: string;
  readonly pendingSeconds: number;
  readonly maxPlans: number;
  readonly looseSearch: boolean;
}

/** Seeds a plan that already exists in the account (e.g. an orphan or an old, expired plan owning a name). */
export interface PreloadPlanOptions {
  readonly name: string;
  readonly block: CapacityBlock;
  /** Pin this status whatever the clock says. Default: computed from the clock like a bought plan. */
  readonly status?: TrainingPlanStatus;
  /** StatusMessage when the status is (pinned) 'Failed'. */
  readonly statusMessage?: string;
  /** Default: the emulator's now minus pendingSeconds (i.e. no longer Pending). */
  readonly createdAt?: Date;
  readonly tags?: PlanTag[];
}

interface SearchInput {
  readonly InstanceType?: string;
  readonly InstanceCount?: number;
  readonly UltraServerType?: string;
  readonly StartTimeAfter?: number;
  readonly EndTimeBefore?: number;
  readonly DurationHours?: number;
  readonly TargetResources?: string[];
  readonly TrainingPlanArn?: string;
}

interface CreateInput {
  readonly TrainingPlanName: string;
  readonly TrainingPlanOfferingId: string;
  readonly Tags?: PlanTag[];
}

interface DescribeInput {
  readonly TrainingPlanName: string;
}

interface ListInput {
  readonly NextToken?: string;
  readonly MaxResults?: number;
  readonly StartTimeAfter?: number;
  readonly StartTimeBefore?: number;
  readonly SortBy?: 'TrainingPlanName' | 'StartTime' | 'Status';
  readonly SortOrder?: 'Ascending' | 'Descending';
  readonly Filters?: Array<{ readonly Name: string; readonly Value: string }>;
}

const NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,63}$/;
const LIST_DEFAULT_MAX_RESULTS = 10;

function opt<T>(v: T | null | undefined): T | undefined {
  return v === null ? undefined : v;
}

function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  return 'aws';
}

/** The state of the emulated account and the four operations on it. */
export class TrainingPlanService {
  public readonly catalogue = new Catalogue();
  private readonly accountPlans = new Map<string, PlanRecord>();
  private failQueue: string[] = [];
  private stickAll = false;
  private readonly stickNames = new Set<string>();
  private vanishQueue: Array<string | undefined> = [];
  private maxPlans: number;
  private looseSearch: boolean;
  private seq = 0;
  private readonly operations: Readonly<Record<string, (input: any) => unknown>>;

  constructor(private readonly clock: EmulatorClock, private readonly settings: ServiceSettings) {
    this.maxPlans = settings.maxPlans;
    this.looseSearch = settings.looseSearch;
    this.operations = {
      SearchTrainingPlanOfferings: (i: SearchInput) => this.search(i),
      CreateTrainingPlan: (i: CreateInput) => this.create(i),
      DescribeTrainingPlan: (i: DescribeInput) => this.describe(i),
      ListTrainingPlans: (i: ListInput) => this.list(i),
    };
  }

  public hasOperation(operation: string): boolean {
    return Object.prototype.hasOwnProperty.call(OPERATION_INPUTS, operation);
  }

  /** Runs one operation; throws ServiceError for every error answer. */
  public invoke(operation: string, input: unknown): unknown {
    if (!this.hasOperation(operation)) {
      throw unknownOperation(operation);
    }
    validateInput(OPERATION_INPUTS[operation], input);
    return this.operations[operation](input);
  }

  // ---- test controls ----

  public failNextPlans(count: number, statusMessage: string): void {
    if (!Number.isInteger(count) || count < 0) {
      throw new Error('failNextPlans: count must be an integer >= 0');
    }
    for (let i = 0; i < count; i++) {
      this.failQueue.push(statusMessage);
    }
  }

  public stickPending(name?: string): void {
    if (name === undefined) {
      this.stickAll = true;
      return;
    }
    const plan = this.accountPlans.get(name);
    if (plan) {
      plan.stuckPending = true;
    } else {
      this.stickNames.add(name);
    }
  }

  public releasePending(name?: string): void {
    if (name === undefined) {
      this.stickAll = false;
      this.stickNames.clear();
      for (const plan of this.accountPlans.values()) {
        plan.stuckPending = false;
      }
      return;
    }
    this.stickNames.delete(name);
    const plan = this.accountPlans.get(name);
    if (plan) {
      plan.stuckPending = false;
    }
  }

  public vanishAfterSearch(offeringId?: string): void {
    this.vanishQueue.push(offeringId);
  }

  public setMaxPlans(n: number): void {
    if (!(n >= 0)) {
      throw new Error('setMaxPlans: n must be >= 0');
    }
    this.maxPlans = n;
  }

  public setLooseSearch(loose: boolean): void {
    this.looseSearch = loose;
  }

  public preloadPlan(options: PreloadPlanOptions): EmulatorPlan {
    if (!NAME_PATTERN.test(options.name)) {
      throw new Error(`preloadPlan: invalid TrainingPlanName ${options.name}`);
    }
    if (this.accountPlans.has(options.name)) {
      throw new Error(`preloadPlan: a plan named ${options.name} already exists`);
    }
    const offering = this.catalogue.normalize(options.block);
    if (this.catalogue.find(offering.offeringId)) {
      this.catalogue.markSold(offering.offeringId);
    }
    const pendingMs = this.settings.pendingSeconds * 1000;
    const createdMs = options.createdAt ? options.createdAt.getTime() : this.clock.nowMs() - pendingMs;
    const plan = this.record(options.name, offering, options.tags ?? [], createdMs, true);
    if (options.status) {
      plan.pinnedStatus = options.status;
      if (options.status === 'Failed') {
        plan.failureMessage = options.statusMessage ?? 'The training plan could not be fulfilled.';
      }
    }
    return snapshotPlan(plan, this.clock.nowMs());
  }

  // ---- introspection ----

  /** Plans bought through CreateTrainingPlan, in purchase order. */
  public purchased(): EmulatorPlan[] {
    const now = this.clock.nowMs();
    return [...this.accountPlans.values()].filter((p) => !p.preloaded).map((p) => snapshotPlan(p, now));
  }

  /** Every plan in the account (bought or preloaded), in creation order. */
  public all(): EmulatorPlan[] {
    const now = this.clock.nowMs();
    return [...this.accountPlans.values()].map((p) => snapshotPlan(p, now));
  }

  public find(name: string): EmulatorPlan | undefined {
    const plan = this.accountPlans.get(name);
    return plan ? snapshotPlan(plan, this.clock.nowMs()) : undefined;
  }

  // ---- operations ----

  private search(input: SearchInput): unknown {
    const instanceType = opt(input.InstanceType);
    if (instanceType === undefined && opt(input.UltraServerType) === undefined && opt(input.TrainingPlanArn) === undefined) {
      throw validationException('Either InstanceType or UltraServerType must be specified.');
    }
    const startTimeAfter = opt(input.StartTimeAfter);
    const endTimeBefore = opt(input.EndTimeBefore);
    const found = instanceType === undefined ? [] : this.catalogue.search({
      instanceType,
      instanceCount: opt(input.InstanceCount),
      durationHours: opt(input.DurationHours),
      startTimeAfterMs: startTimeAfter === undefined ? undefined : epochSecondsToMs(startTimeAfter),
      endTimeBeforeMs: endTimeBefore === undefined ? undefined : epochSecondsToMs(endTimeBefore),
      targetResources: opt(input.TargetResources),
      nowMs: this.clock.nowMs(),
      loose: this.looseSearch,
    });
    return {
      TrainingPlanOfferings: found.map((o) => this.renderOffering(o, startTimeAfter, endTimeBefore)),
      TrainingPlanExtensionOfferings: [],
    };
  }

  private renderOffering(o: Offering, startTimeAfter: number | undefined, endTimeBefore: number | undefined): unknown {
    const offering: Record<string, unknown> = {
      TrainingPlanOfferingId: o.offeringId,
      TargetResources: [...o.targetResources],
      RequestedStartTimeAfter: startTimeAfter,
      RequestedEndTimeBefore: endTimeBefore,
      DurationHours: o.durationHours,
      DurationMinutes: 0,
      UpfrontFee: o.upfrontFee,
      CurrencyCode: o.currencyCode,
      ReservedCapacityOfferings: [{
        ReservedCapacityType: 'Instance',
        InstanceType: o.instanceType,
        InstanceCount: o.instanceCount,
        AvailabilityZone: o.availabilityZone,
        DurationHours: o.durationHours,
        DurationMinutes: 0,
        StartTime: msToEpochSeconds(o.startMs),
        EndTime: msToEpochSeconds(o.endMs),
      }],
    };
    for (const k of Object.keys(offering)) {
      if (offering[k] === undefined) {
        delete offering[k];
      }
    }
    return offering;
  }

  private create(input: CreateInput): unknown {
    const name = input.TrainingPlanName;
    const offeringId = input.TrainingPlanOfferingId;
    const existing = this.accountPlans.get(name);
    if (existing) {
      throw resourceInUse(`Training plan with name ${name} already exists: ${existing.arn}`);
    }
    const vanish = this.vanishQueue.findIndex((id) => id === undefined || id === offeringId);
    if (vanish >= 0) {
      this.vanishQueue.splice(vanish, 1);
      if (this.catalogue.find(offeringId)) {
        this.catalogue.markSold(offeringId);
      }
      throw resourceNotFound(`Training plan offering ${offeringId} is no longer available.`);
    }
    const offering = this.catalogue.find(offeringId);
    if (!offering || this.catalogue.isSold(offeringId)) {
      throw resourceNotFound(`Training plan offering ${offeringId} does not exist or is no longer available.`);
    }
    if (this.accountPlans.size >= this.maxPlans) {
      throw resourceLimitExceeded(`The account-level service limit 'Number of training plans' is ${this.maxPlans} training plans, `
        + `with current utilization of ${this.accountPlans.size} training plans.`);
    }
    this.catalogue.markSold(offeringId);
    const plan = this.record(name, offering, opt(input.Tags) ?? [], this.clock.nowMs(), false);
    if (this.stickAll || this.stickNames.has(name)) {
      plan.stuckPending = true;
      this.stickNames.delete(name);
    }
    const failure = this.failQueue.shift();
    if (failure !== undefined) {
      plan.failureMessage = failure;
    }
    return { TrainingPlanArn: plan.arn };
  }

  private describe(input: DescribeInput): unknown {
    const plan = this.accountPlans.get(input.TrainingPlanName);
    if (!plan) {
      throw resourceNotFound(`Training plan ${input.TrainingPlanName} does not exist.`);
    }
    return renderPlan(plan, this.clock.nowMs());
  }

  private list(input: ListInput): unknown {
    const now = this.clock.nowMs();
    const statuses = (opt(input.Filters) ?? []).filter((f) => f.Name === 'Status').map((f) => f.Value);
    const after = opt(input.StartTimeAfter);
    const before = opt(input.StartTimeBefore);
    const afterMs = after === undefined ? undefined : epochSecondsToMs(after);
    const beforeMs = before === undefined ? undefined : epochSecondsToMs(before);
    const sortBy = opt(input.SortBy) ?? 'StartTime';
    const direction = opt(input.SortOrder) === 'Descending' ? -1 : 1;
    const rows = [...this.accountPlans.values()]
      .map((plan) => ({ plan, status: planStatus(plan, now) }))
      .filter(({ plan, status }) => (statuses.length === 0 || statuses.includes(status))
        && (afterMs === undefined || plan.startMs >= afterMs)
        && (beforeMs === undefined || plan.startMs <= beforeMs));
    const key = (r: { plan: PlanRecord; status: string }): string | number =>
      sortBy === 'TrainingPlanName' ? r.plan.name : sortBy === 'Status' ? r.status : r.plan.startMs;
    rows.sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      const primary = ka < kb ? -1 : ka > kb ? 1 : 0;
      return primary !== 0 ? primary * direction : a.plan.seq - b.plan.seq;
    });

    const fingerprint = createHash('sha256')
      .update(JSON.stringify([statuses, afterMs, beforeMs, sortBy, direction]))
      .digest('hex')
      .slice(0, 16);
    let offset = 0;
    const token = opt(input.NextToken);
    if (token) {
      offset = this.decodeToken(token, fingerprint);
    }
    const max = opt(input.MaxResults) ?? LIST_DEFAULT_MAX_RESULTS;
    const page = rows.slice(offset, offset + max);
    const next = offset + max < rows.length
      ? Buffer.from(JSON.stringify({ o: offset + max, f: fingerprint })).toString('base64')
      : undefined;
    const result: Record<string, unknown> = {
      TrainingPlanSummaries: page.map((r) => renderPlan(r.plan, now)),
    };
    if (next) {
      result.NextToken = next;
    }
    return result;
  }

  private decodeToken(token: string, fingerprint: string): number {
    try {
      const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
      if (parsed && parsed.f === fingerprint && Number.isInteger(parsed.o) && parsed.o >= 0) {
        return parsed.o;
      }
    } catch {
      // fall through
    }
    throw validationException('Invalid pagination token: the NextToken does not belong to this request.');
  }

  private record(name: string, offering: Offering, tags: readonly PlanTag[], createdMs: number, preloaded: boolean): PlanRecord {
    this.seq += 1;
    const { region, accountId } = this.settings;
    const partition = partitionOf(region);
    const rcId = `rc-${createHash('sha256').update(`${this.seq}|${name}|${offering.offeringId}`).digest('hex').slice(0, 16)}`;
    const plan: PlanRecord = {
      seq: this.seq,
      name,
      arn: `arn:${partition}:sagemaker:${region}:${accountId}:training-plan/${name}`,
      offeringId: offering.offeringId,
      upfrontFee: offering.upfrontFee,
      currencyCode: offering.currencyCode,
      instanceType: offering.instanceType,
      instanceCount: offering.instanceCount,
      availabilityZone: offering.availabilityZone,
      startMs: offering.startMs,
      endMs: offering.endMs,
      durationHours: offering.durationHours,
      targetResources: [...offering.targetResources],
      tags: tags.map((t) => ({ Key: t.Key, Value: t.Value })),
      createdMs,
      pendingUntilMs: createdMs + this.settings.pendingSeconds * 1000,
      reservedCapacityArn: `arn:${partition}:sagemaker:${region}:${accountId}:reserved-capacity/${rcId}`,
      preloaded,
      stuckPending: false,
    };
    this.accountPlans.set(name, plan);
    return plan;
  }
}
