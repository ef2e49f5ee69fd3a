import { CapacityBlock, EmulatorOffering } from './catalogue';
import { EmulatorClock } from './clock';
import { FaultInjector, FaultRule } from './faults';
import { EmulatorPlan } from './plans';
import { AwsJsonServer, EmulatorCall } from './server';
import { PreloadPlanOptions, TrainingPlanService } from './service';

export type { CapacityBlock, EmulatorOffering } from './catalogue';
export type { FaultKind, FaultRule } from './faults';
export type { EmulatorPlan, PlanTag, TrainingPlanStatus } from './plans';
export type { EmulatorCall } from './server';
export type { PreloadPlanOptions } from './service';

export interface EmulatorOptions {
  /** Initial emulator clock. Default: the real current time (the clock then stays put until moved). */
  readonly now?: Date;
  /** Default 'us-west-2'. */
  readonly region?: string;
  /** Default '123456789012'. */
  readonly accountId?: string;
  readonly catalogue?: CapacityBlock[];
  /** How long (emulator clock) a new plan stays Pending before Scheduled/Active. Default 60. */
  readonly pendingSeconds?: number;
  /** Quota: CreateTrainingPlan when the account holds this many plans -> ResourceLimitExceeded. Default 100. */
  readonly maxPlans?: number;
  /** true: Search returns every unsold block of the instance type, whatever count/duration/window/targets. Default false. */
  readonly looseSearch?: boolean;
}

/**
 * A local SageMaker (training plans) emulator speaking AWS JSON 1.1 on 127.0.0.1.
 * Point `@aws-sdk/client-sagemaker` at `endpoint` (or set `AWS_ENDPOINT_URL_SAGEMAKER`).
 *
 * Operations: SearchTrainingPlanOfferings, CreateTrainingPlan, DescribeTrainingPlan,
 * ListTrainingPlans. Anything else answers 400 `UnknownOperationException`.
 */
export class SageMakerEmulator {
  public static async start(options: EmulatorOptions = {}): Promise<SageMakerEmulator> {
    const emulator = new SageMakerEmulator(options);
    const port = await emulator.server.listen('127.0.0.1');
    emulator.url = `http://127.0.0.1:${port}`;
    return emulator;
  }

  public readonly region: string;
  public readonly accountId: string;
  private url = '';
  private readonly clock: EmulatorClock;
  private readonly faults = new FaultInjector();
  private readonly server: AwsJsonServer;
  private service: TrainingPlanService;

  private constructor(private readonly options: EmulatorOptions) {
    this.region = options.region ?? 'us-west-2';
    this.accountId = options.accountId ?? '123456789012';
    if (!/^[0-9]{12}$/.test(this.accountId)) {
      throw new Error('SageMakerEmulator: accountId must be 12 digits');
    }
    if (options.pendingSeconds !== undefined && !(options.pendingSeconds >= 0)) {
      throw new Error('SageMakerEmulator: pendingSeconds must be >= 0');
    }
    this.clock = new EmulatorClock(options.now ?? new Date());
    this.service = this.newService();
    this.server = new AwsJsonServer('SageMaker', () => this.service, this.faults, () => this.clock.now());
  }

  /** `http://127.0.0.1:PORT` */
  public get endpoint(): string {
    return this.url;
  }

  /** Every call received since start (or the last resetCalls()), in the order they were answered. */
  public get calls(): ReadonlyArray<EmulatorCall> {
    return this.server.calls;
  }

  public async stop(): Promise<void> {
    await this.server.close();
  }

  // ---- clock ----

  public now(): Date {
    return this.clock.now();
  }

  public setTime(d: Date): void {
    this.clock.setTime(d);
  }

  public advance(ms: number): void {
    this.clock.advance(ms);
  }

  // ---- catalogue ----

  /** Replaces the catalogue (all entries unsold). Returns the offering ids, in order. */
  public setCatalogue(blocks: CapacityBlock[]): string[] {
    return this.service.catalogue.set(blocks);
  }

  /** Appends one block to the catalogue. Returns its offering id. */
  public addCapacity(block: CapacityBlock): string {
    return this.service.catalogue.add(block);
  }

  /** The catalogue with each entry's sold mark. */
  public offerings(): ReadonlyArray<EmulatorOffering> {
    return this.service.catalogue.snapshot();
  }

  public setLooseSearch(loose: boolean): void {
    this.service.setLooseSearch(loose);
  }

  // ---- test controls ----

  /** The next `count` purchases succeed, then end Failed with `statusMessage` once their pending time is over. */
  public failNextPlans(count: number, statusMessage: string): void {
    this.service.failNextPlans(count, statusMessage);
  }

  /** The named plan (now, or when bought later), or every future plan when no name, stays Pending. */
  public stickPending(name?: string): void {
    this.service.stickPending(name);
  }

  /** Undoes stickPending (for one name, or everything when no name). */
  public releasePending(name?: string): void {
    this.service.releasePending(name);
  }

  /** Seeds a plan that already exists in the account. Not counted by plans()/purchases(). */
  public preloadPlan(options: PreloadPlanOptions): EmulatorPlan {
    return this.service.preloadPlan(options);
  }

  /**
   * The next CreateTrainingPlan for `offeringId` (or for any offering) answers ResourceNotFound,
   * as if sold out between search and purchase; the offering is then sold. Calls accumulate.
   */
  public vanishAfterSearch(offeringId?: string): void {
    this.service.vanishAfterSearch(offeringId);
  }

  public setMaxPlans(n: number): void {
    this.service.setMaxPlans(n);
  }

  // ---- faults ----

  public inject(rule: FaultRule): void {
    this.faults.inject(rule);
  }

  public clearFaults(): void {
    this.faults.clear();
  }

  /** Number of injected rules that can still fire. */
  public pendingFaults(): number {
    return this.faults.pending;
  }

  // ---- introspection ----

  /** Each successful CreateTrainingPlan commit, in order (preloaded plans excluded). */
  public plans(): ReadonlyArray<EmulatorPlan> {
    return this.service.purchased();
  }

  /** Every plan in the account, bought or preloaded. */
  public accountPlans(): ReadonlyArray<EmulatorPlan> {
    return this.service.all();
  }

  /** A plan of the account by name (bought or preloaded). */
  public findPlan(name: string): EmulatorPlan | undefined {
    return this.service.find(name);
  }

  /** Number of successful CreateTrainingPlan commits. */
  public purchases(): number {
    return this.service.purchased().length;
  }

  public resetCalls(): void {
    this.server.calls.length = 0;
  }

  /**
   * Back to the state right after start(): the options' catalogue, clock, quota and search mode;
   * no plans, calls, faults or pending controls. The endpoint stays the same.
   */
  public reset(): void {
    this.clock.setTime(this.options.now ?? new Date());
    this.faults.clear();
    this.resetCalls();
    this.service = this.newService();
  }

  private newService(): TrainingPlanService {
    const service = new TrainingPlanService(this.clock, {
      region: this.region,
      accountId: this.accountId,
      pendingSeconds: this.options.pendingSeconds ?? 60,
      maxPlans: this.options.maxPlans ?? 100,
      looseSearch: this.options.looseSearch ?? false,
    });
    if (this.options.catalogue) {
      service.catalogue.set(this.options.catalogue);
    }
    return service;
  }
}

