import type {
  DescribeTrainingPlanResponse,
  ReservedCapacityOffering,
  SearchTrainingPlanOfferingsCommandInput,
  TrainingPlanOffering,
} from '@aws-sdk/client-sagemaker';
import type { ReservationResourceProperties } from '../../src/reservation/contract';
import type { ReservationSpec } from '../../src/reservation/handler/reservation-spec';
import type { TrainingPlanGateway } from '../../src/reservation/handler/training-plan-gateway';

/**
 * Shared inputs for the handler's unit tests. Every bad input is one of the
 * good ones below with a single field changed, so a refusal can only come
 * from that field.
 */

/** The instant every handler test runs at. */
export const NOW = new Date('2027-01-10T00:00:00.000Z');

export const HOUR_MS = 3_600_000;

export function hoursAfter(d: Date, hours: number): Date {
  return new Date(d.getTime() + hours * HOUR_MS);
}

export const PLAN_NAME = 'cri-ServingStack-Reservation-0123456789';
export const ACCOUNT = '123456789012';

export function planArn(name: string): string {
  return `arn:aws:sagemaker:us-east-1:${ACCOUNT}:training-plan/${name}`;
}

/** 2 x ml.p5.48xlarge for 48 h inside 2027-01-10..2027-03-01, at most 5000 USD, cheapest first. */
export function goodSpec(overrides: Partial<ReservationSpec> = {}): ReservationSpec {
  return {
    planName: PLAN_NAME,
    instanceType: 'ml.p5.48xlarge',
    instanceCount: 2,
    durationHours: 48,
    earliestStart: new Date('2027-01-10T00:00:00.000Z'),
    latestEnd: new Date('2027-03-01T00:00:00.000Z'),
    maxUpfrontFee: 5000,
    currencyCode: 'USD',
    selection: 'CHEAPEST',
    requireActive: false,
    purchase: true,
    waitBudgetSeconds: 3600,
    tags: [],
    ...overrides,
    // The handler compares fees with the budget's text, exactly as CloudFormation sent it.
    maxUpfrontFeeText: overrides.maxUpfrontFeeText ?? String(overrides.maxUpfrontFee ?? 5000),
  };
}

/** The same reservation as CloudFormation delivers it: every value a string. */
export function goodProps(overrides: Partial<Record<keyof ReservationResourceProperties, unknown>> = {}): ReservationResourceProperties {
  return {
    PlanName: PLAN_NAME,
    InstanceType: 'ml.p5.48xlarge',
    InstanceCount: '2',
    DurationHours: '48',
    EarliestStart: '2027-01-10T00:00:00Z',
    LatestEnd: '2027-03-01T00:00:00Z',
    MaxUpfrontFee: '5000',
    CurrencyCode: 'USD',
    Selection: 'CHEAPEST',
    RequireActive: 'false',
    Purchase: 'true',
    WaitBudgetSeconds: '3600',
    Tags: [{ Key: 'cdk-reserved-inference:owner', Value: 'ServingStack/Reservation' }],
    ...overrides,
  } as ReservationResourceProperties;
}

export interface OfferingShape {
  readonly id?: string;
  readonly fee?: string;
  readonly currency?: string;
  readonly start?: Date;
  readonly hours?: number;
  readonly instanceType?: string;
  readonly count?: number;
  readonly az?: string;
}

/**
 * An offering that matches `goodSpec()` exactly, starting 2027-01-20 at
 * 1000 USD; `overrides` replace offering fields, `block` the capacity block's.
 */
export function offering(
  shape: OfferingShape = {},
  overrides: Partial<TrainingPlanOffering> = {},
  block: Partial<ReservedCapacityOffering> = {},
): TrainingPlanOffering {
  const start = shape.start ?? new Date('2027-01-20T00:00:00.000Z');
  const hours = shape.hours ?? 48;
  return {
    TrainingPlanOfferingId: shape.id ?? 'tpo-a',
    TargetResources: ['endpoint'],
    DurationHours: hours,
    UpfrontFee: shape.fee ?? '1000.00',
    CurrencyCode: shape.currency ?? 'USD',
    ReservedCapacityOfferings: [{
      InstanceType: (shape.instanceType ?? 'ml.p5.48xlarge') as ReservedCapacityOffering['InstanceType'],
      InstanceCount: shape.count ?? 2,
      AvailabilityZone: shape.az ?? 'us-east-1a',
      DurationHours: hours,
      StartTime: start,
      EndTime: hoursAfter(start, hours),
      ...block,
    }],
    ...overrides,
  };
}

export interface PlanShape {
  readonly name?: string;
  readonly status?: DescribeTrainingPlanResponse['Status'];
  readonly statusMessage?: string;
  readonly instanceType?: string;
  readonly count?: number;
  readonly hours?: number;
  readonly start?: Date;
  readonly fee?: string;
  readonly currency?: string;
  readonly az?: string;
}

/** A DescribeTrainingPlan answer for a plan that matches `goodSpec()`, Scheduled from 2027-01-20. */
export function describedPlan(shape: PlanShape = {}, overrides: Partial<DescribeTrainingPlanResponse> = {}): DescribeTrainingPlanResponse {
  const name = shape.name ?? PLAN_NAME;
  const start = shape.start ?? new Date('2027-01-20T00:00:00.000Z');
  const hours = shape.hours ?? 48;
  const instanceType = (shape.instanceType ?? 'ml.p5.48xlarge') as 'ml.p5.48xlarge';
  const count = shape.count ?? 2;
  return {
    TrainingPlanArn: planArn(name),
    TrainingPlanName: name,
    Status: shape.status ?? 'Scheduled',
    StatusMessage: shape.statusMessage,
    DurationHours: hours,
    StartTime: start,
    EndTime: hoursAfter(start, hours),
    UpfrontFee: shape.fee ?? '1000.00',
    CurrencyCode: shape.currency ?? 'USD',
    TotalInstanceCount: count,
    AvailableInstanceCount: count,
    InUseInstanceCount: 0,
    TargetResources: ['endpoint'],
    ReservedCapacitySummaries: [{
      ReservedCapacityArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:reserved-capacity/${name}-rc`,
      InstanceType: instanceType,
      TotalInstanceCount: count,
      Status: 'Scheduled',
      AvailabilityZone: shape.az ?? 'us-east-1a',
      StartTime: start,
      EndTime: hoursAfter(start, hours),
    }],
    ...overrides,
  };
}

/** What DescribeTrainingPlan says right after a purchase: only the fields that are always there. */
export function pendingPlan(name: string = PLAN_NAME): DescribeTrainingPlanResponse {
  return { TrainingPlanArn: planArn(name), TrainingPlanName: name, Status: 'Pending' };
}

/** An error shaped like the ones the SDK throws for a service answer. */
export function serviceError(name: string, message: string, httpStatusCode?: number, extra: Record<string, unknown> = {}): Error {
  const err = new Error(message);
  err.name = name;
  return Object.assign(err, httpStatusCode === undefined ? {} : { $metadata: { httpStatusCode } }, extra);
}

/** A deterministic PRNG (Park-Miller, exact in doubles), so property-style tests are reproducible. */
export function seededRandom(seed: number): () => number {
  const M = 2147483647;
  let state = Math.abs(Math.floor(seed)) % M || 1;
  return () => {
    state = (state * 48271) % M;
    return (state - 1) / (M - 1);
  };
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

export type GatewayCall =
  | { readonly op: 'searchOfferings'; readonly input: SearchTrainingPlanOfferingsCommandInput }
  | { readonly op: 'describePlan'; readonly name: string }
  | { readonly op: 'createPlan'; readonly name: string; readonly offeringId: string; readonly tags: ReadonlyArray<{ Key: string; Value: string }> };

/** What one CreateTrainingPlan call does in the fake. */
export type CreateOutcome =
  /** Buys and answers the ARN. */
  | { readonly kind: 'buy' }
  /** Refused before anything happened. */
  | { readonly kind: 'refuse'; readonly error: Error }
  /** Buys, then the answer is lost: the caller sees `error`. */
  | { readonly kind: 'buyThenLose'; readonly error: Error };

/**
 * An in-memory SageMaker account, as the handler sees it through its port.
 * It records every call, keeps the plans bought under each name, answers
 * searches from a catalogue (or a queue of answers), and does to each
 * CreateTrainingPlan what the test scripted.
 */
export class FakeGateway implements TrainingPlanGateway {
  public readonly calls: GatewayCall[] = [];
  public readonly plans = new Map<string, DescribeTrainingPlanResponse>();
  /** Every purchase that took effect, whether or not its answer arrived. */
  public readonly purchases: Array<{ name: string; offeringId: string; arn: string }> = [];
  /** Answer of every search, unless `searchAnswers` still holds one. */
  public catalogue: TrainingPlanOffering[] = [];
  /** Answers for the next searches, in order; `catalogue` once it is empty. */
  public readonly searchAnswers: TrainingPlanOffering[][] = [];
  /** Outcomes for the next CreateTrainingPlan calls, in order; 'buy' once it is empty. */
  public readonly createOutcomes: CreateOutcome[] = [];
  /** When set, DescribeTrainingPlan throws it. */
  public describeError?: Error;
  /** When set, SearchTrainingPlanOfferings throws it. */
  public searchError?: Error;
  /** Runs as a CreateTrainingPlan call arrives, before the fake acts on it: another actor's move. */
  public beforeCreate?: (name: string) => void;

  public callsTo(op: GatewayCall['op']): GatewayCall[] {
    return this.calls.filter((c) => c.op === op);
  }

  public async searchOfferings(input: SearchTrainingPlanOfferingsCommandInput): Promise<TrainingPlanOffering[]> {
    this.calls.push({ op: 'searchOfferings', input });
    if (this.searchError) {
      throw this.searchError;
    }
    return this.searchAnswers.shift() ?? this.catalogue;
  }

  public async describePlan(name: string): Promise<DescribeTrainingPlanResponse | undefined> {
    this.calls.push({ op: 'describePlan', name });
    if (this.describeError) {
      throw this.describeError;
    }
    return this.plans.get(name);
  }

  public async createPlan(name: string, offeringId: string, tags: ReadonlyArray<{ Key: string; Value: string }>): Promise<string> {
    this.calls.push({ op: 'createPlan', name, offeringId, tags });
    this.beforeCreate?.(name);
    const outcome = this.createOutcomes.shift() ?? { kind: 'buy' };
    if (outcome.kind === 'refuse') {
      throw outcome.error;
    }
    if (this.plans.has(name)) {
      throw serviceError('ResourceInUse', `Training plan ${name} already exists.`, 400);
    }
    const arn = planArn(name);
    this.purchases.push({ name, offeringId, arn });
    this.plans.set(name, pendingPlan(name));
    if (outcome.kind === 'buyThenLose') {
      throw outcome.error;
    }
    return arn;
  }
}
