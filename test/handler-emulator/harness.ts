import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { DRY_RUN_ID_PREFIX } from '../../src/reservation/contract';
import { ReservationHandler } from '../../src/reservation/handler/reservation-handler';
import { RetryPolicy } from '../../src/reservation/handler/retry';
import { createSageMakerClient, SdkTrainingPlanGateway } from '../../src/reservation/handler/training-plan-gateway';
import { CapacityBlock, EmulatorCall, EmulatorOptions, SageMakerEmulator } from '../emulator';
import { DriverOptions, ProviderFrameworkDriver, UserHandlers } from '../support/provider-driver';

/**
 * Wires the real ReservationHandler to the local SageMaker emulator exactly
 * as production does: SdkTrainingPlanGateway over @aws-sdk/client-sagemaker,
 * over HTTP, with the SDK's own retries off. Only the sleep (backoff costs no
 * wall time) and the clock (the emulator's) are injected.
 */

export const T0 = new Date('2030-01-01T00:00:00Z');
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const PLAN_NAME = 'cri-Demo-Endpoint-0123456789';
export const PLAN_ARN = `arn:aws:sagemaker:us-west-2:123456789012:training-plan/${PLAN_NAME}`;
export const INSTANCE_TYPE = 'ml.p5.48xlarge';
export const EARLIEST_START = new Date(T0.getTime() + 2 * DAY);
export const LATEST_END = new Date(T0.getTime() + 30 * DAY);

export const CREDENTIALS = { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'emulator-secret' };

/** Reads retried 4 times in all, with tiny delays: the sleep is a no-op anyway. */
export const FAST_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 5, maxDelayMs: 40 };

/** What the Provider framework reports when the onEvent Lambda dies after it bought. */
export const CRASH_REASON = 'Task timed out after 300.00 seconds';

export type Props = Record<string, unknown>;

/** Resource properties as CloudFormation sends them: every value a string. */
export function reservationProps(overrides: Props = {}): Props {
  return {
    PlanName: PLAN_NAME,
    InstanceType: INSTANCE_TYPE,
    InstanceCount: '1',
    DurationHours: '168',
    EarliestStart: EARLIEST_START.toISOString(),
    LatestEnd: LATEST_END.toISOString(),
    MaxUpfrontFee: '60000',
    CurrencyCode: 'USD',
    Selection: 'CHEAPEST',
    RequireActive: 'false',
    Purchase: 'true',
    WaitBudgetSeconds: '3600',
    Tags: [{ Key: 'cdk-reserved-inference:owner', Value: 'Demo/Endpoint' }],
    ...overrides,
  };
}

/** An offering that fits `reservationProps()`: 1 x p5 for 168 h inside the window, 48210.55 USD. */
export function offering(overrides: Partial<CapacityBlock> = {}): CapacityBlock {
  return {
    instanceType: INSTANCE_TYPE,
    instanceCount: 1,
    availabilityZone: 'us-west-2b',
    startTime: new Date(T0.getTime() + 5 * DAY),
    durationHours: 168,
    upfrontFee: '48210.55',
    currencyCode: 'USD',
    targetResources: ['training-job', 'endpoint'],
    ...overrides,
  };
}

export type ClientMode =
  /** The request handler of `createSageMakerClient(requestTimeoutMs)`, as the Lambda builds it. */
  | 'production'
  /** Same, but a request past requestTimeoutMs fails with TimeoutError (what the timeout is meant to do). */
  | 'enforced-timeout';

export interface RigOptions {
  readonly emulator?: EmulatorOptions;
  readonly clientMode?: ClientMode;
  /** Default 200 ms. */
  readonly requestTimeoutMs?: number;
}

export interface HandlerOptions {
  readonly retry?: RetryPolicy;
  readonly maxSearches?: number;
  readonly maxPurchaseAttempts?: number;
}

/** One emulator, one SDK client, and handlers/drivers made on demand. */
export class HandlerRig {
  public static async start(options: RigOptions = {}): Promise<HandlerRig> {
    const emulator = await SageMakerEmulator.start({ now: T0, ...options.emulator });
    return new HandlerRig(emulator, options);
  }

  public readonly client: SageMakerClient;
  /** Every backoff delay the gateway asked for (none is actually waited). */
  public readonly sleeps: number[] = [];
  public readonly logs: string[] = [];
  public readonly requestTimeoutMs: number;

  private constructor(public readonly emulator: SageMakerEmulator, options: RigOptions) {
    this.requestTimeoutMs = options.requestTimeoutMs ?? 200;
    const requestHandler = options.clientMode === 'enforced-timeout'
      ? new NodeHttpHandler({ requestTimeout: this.requestTimeoutMs, connectionTimeout: 1_000, throwOnRequestTimeout: true })
      // The Lambda's own request handler, taken from the production factory.
      : createSageMakerClient(this.requestTimeoutMs).config.requestHandler;
    this.client = new SageMakerClient({
      endpoint: emulator.endpoint,
      region: emulator.region,
      credentials: CREDENTIALS,
      maxAttempts: 1,
      requestHandler: requestHandler as NodeHttpHandler,
    });
  }

  /** A handler as the Lambda builds it, on the emulator's clock, with a no-op sleep. */
  public handler(options: HandlerOptions = {}): ReservationHandler {
    const gateway = new SdkTrainingPlanGateway({
      client: this.client,
      retry: options.retry ?? FAST_RETRY,
      sleep: async (ms) => {
        this.sleeps.push(ms);
      },
    });
    return new ReservationHandler({
      gateway,
      now: () => this.emulator.now(),
      log: (m) => this.logs.push(m),
      maxSearches: options.maxSearches,
      maxPurchaseAttempts: options.maxPurchaseAttempts,
    });
  }

  /** A driver whose every poll moves the emulator's clock by the interval it waited. */
  public driver(options: DriverOptions & { handlers?: UserHandlers } = {}): ProviderFrameworkDriver {
    return new ProviderFrameworkDriver(options.handlers ?? this.handler(), {
      queryIntervalMs: 60_000,
      totalTimeoutMs: 3_600_000,
      onWait: (ms) => this.emulator.advance(ms),
      ...options,
    });
  }

  public calls(operation?: string, since = 0): EmulatorCall[] {
    return this.emulator.calls.slice(since).filter((c) => operation === undefined || c.operation === operation);
  }

  public reset(): void {
    this.emulator.reset();
    this.sleeps.length = 0;
    this.logs.length = 0;
  }

  public async stop(): Promise<void> {
    this.client.destroy();
    await this.emulator.stop();
  }
}

/**
 * The handlers with onEvent made to die after it returned: the purchase (if
 * any) happened, but the framework only sees the Lambda fail.
 */
export interface CrashingHandlers extends UserHandlers {
  /** The physical id each crashed onEvent had returned. */
  readonly crashedWith: Array<string | undefined>;
}

export function crashingAfterOnEvent(handlers: UserHandlers, reason = CRASH_REASON): CrashingHandlers {
  const crashedWith: Array<string | undefined> = [];
  return {
    crashedWith,
    onEvent: async (event: CloudFormationCustomResourceEvent) => {
      const out = await handlers.onEvent(event);
      crashedWith.push(out.PhysicalResourceId);
      throw new Error(reason);
    },
    isComplete: (event) => handlers.isComplete(event),
  };
}

export function isPlanArn(id: string | undefined): boolean {
  return /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:[0-9]{12}:training-plan\/.+$/.test(id ?? '');
}

export function isDryRun(id: string | undefined): boolean {
  return (id ?? '').startsWith(DRY_RUN_ID_PREFIX);
}

/** Waits real time (for latency faults whose delayed answers must land). */
export function realDelay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * One rig for a test file: started before its tests, stopped after them,
 * reset before each, then given the file's catalogue.
 */
export function useRig(catalogue: CapacityBlock[] = []): { readonly rig: HandlerRig } {
  const holder = {} as { rig: HandlerRig };
  beforeAll(async () => {
    holder.rig = await HandlerRig.start();
  });
  afterAll(async () => {
    await holder.rig.stop();
  });
  beforeEach(() => {
    holder.rig.reset();
    if (catalogue.length > 0) {
      holder.rig.emulator.setCatalogue(catalogue);
    }
  });
  return holder;
}
