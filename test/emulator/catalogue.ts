import { createHash } from 'crypto';
import { RESERVED_CAPACITY_INSTANCE_TYPES, SAGEMAKER_RESOURCE_NAMES } from './model';

/** One entry of the emulator's configurable offerings catalogue. */
export interface CapacityBlock {
  /** Default: generated deterministically, `tpo-<hex>`. Must match `[a-z0-9\-]+`, up to 256 chars. */
  readonly offeringId?: string;
  /** One of `ReservedCapacityInstanceType`, e.g. 'ml.p5.48xlarge'. */
  readonly instanceType: string;
  readonly instanceCount: number;
  /** e.g. 'us-west-2a' */
  readonly availabilityZone: string;
  readonly startTime: Date;
  /** Whole hours; EndTime = startTime + durationHours. */
  readonly durationHours: number;
  /** As the service sends it, a string ("123456.78"); undefined: the offering has no UpfrontFee. */
  readonly upfrontFee?: string;
  /** Default 'USD'. Pass `currencyCode: undefined` explicitly for an offering without CurrencyCode. */
  readonly currencyCode?: string;
  /** Default ['training-job', 'hyperpod-cluster', 'endpoint']. */
  readonly targetResources?: string[];
}

/**
 * What an offering reserves and costs. Catalogue entries, their snapshots and
 * the plans bought from them all carry it.
 */
export interface CapacityFacts {
  readonly offeringId: string;
  readonly instanceType: string;
  readonly instanceCount: number;
  readonly availabilityZone: string;
  readonly durationHours: number;
  readonly upfrontFee?: string;
  readonly currencyCode?: string;
  readonly targetResources: readonly string[];
}

/** A catalogue entry as the emulator holds it. */
export interface Offering extends CapacityFacts {
  readonly startMs: number;
  readonly endMs: number;
}

/** A catalogue entry as `SageMakerEmulator.offerings()` reports it. */
export interface EmulatorOffering extends CapacityFacts {
  readonly startTime: Date;
  readonly endTime: Date;
  readonly sold: boolean;
}

export interface OfferingQuery {
  readonly instanceType?: string;
  readonly instanceCount?: number;
  readonly durationHours?: number;
  readonly startTimeAfterMs?: number;
  readonly endTimeBeforeMs?: number;
  readonly targetResources?: readonly string[];
  readonly nowMs: number;
  /** true: every unsold block of the instance type, whatever its count, duration, window or targets. */
  readonly loose: boolean;
}

export const DEFAULT_TARGET_RESOURCES: readonly string[] = ['training-job', 'hyperpod-cluster', 'endpoint'];

const OFFERING_ID = /^[a-z0-9-]{1,256}$/;
const AVAILABILITY_ZONE = /^[a-z]+-[0-9a-z-]+$/;
const HOUR_MS = 3_600_000;

/**
 * The offerings catalogue: an ordered list (the first match is "the service's best match")
 * with a sold mark per offering. Generated offering ids come from a counter and a hash, so a
 * given sequence of calls always yields the same ids.
 */
export class Catalogue {
  private entries: Offering[] = [];
  private readonly sold = new Set<string>();
  private seq = 0;

  /** Checks a block and fills its defaults; does not add it. */
  public normalize(block: CapacityBlock): Offering {
    const fail = (what: string): never => {
      throw new Error(`emulator catalogue: ${what} (block ${JSON.stringify(block)})`);
    };
    if (!RESERVED_CAPACITY_INSTANCE_TYPES.includes(block.instanceType)) {
      fail(`instanceType must be one of ${RESERVED_CAPACITY_INSTANCE_TYPES.join(', ')}`);
    }
    if (!Number.isInteger(block.instanceCount) || block.instanceCount < 1 || block.instanceCount > 256) {
      fail('instanceCount must be an integer in 1..256');
    }
    if (!Number.isInteger(block.durationHours) || block.durationHours < 1 || block.durationHours > 87600) {
      fail('durationHours must be an integer in 1..87600');
    }
    if (typeof block.availabilityZone !== 'string' || !AVAILABILITY_ZONE.test(block.availabilityZone) || block.availabilityZone.length > 32) {
      fail('availabilityZone must look like us-west-2a');
    }
    const startMs = block.startTime instanceof Date ? block.startTime.getTime() : NaN;
    if (!Number.isFinite(startMs)) {
      fail('startTime must be a valid Date');
    }
    const targetResources = block.targetResources ?? DEFAULT_TARGET_RESOURCES;
    if (targetResources.length === 0 || targetResources.some((t) => !SAGEMAKER_RESOURCE_NAMES.includes(t))) {
      fail(`targetResources must be a non-empty subset of ${SAGEMAKER_RESOURCE_NAMES.join(', ')}`);
    }
    const currencyCode = 'currencyCode' in block ? block.currencyCode : 'USD';
    const offeringId = block.offeringId ?? this.generateId(block, startMs);
    if (!OFFERING_ID.test(offeringId)) {
      fail('offeringId must match [a-z0-9\\-]+ (1-256 chars)');
    }
    return {
      offeringId,
      instanceType: block.instanceType,
      instanceCount: block.instanceCount,
      availabilityZone: block.availabilityZone,
      startMs,
      endMs: startMs + block.durationHours * HOUR_MS,
      durationHours: block.durationHours,
      upfrontFee: block.upfrontFee,
      currencyCode,
      targetResources: [...targetResources],
    };
  }

  /** Replaces the whole catalogue; the new entries are all unsold. Returns their offering ids. */
  public set(blocks: readonly CapacityBlock[]): string[] {
    const next = blocks.map((b) => this.normalize(b));
    const ids = new Set<string>();
    for (const o of next) {
      if (ids.has(o.offeringId)) {
        throw new Error(`emulator catalogue: duplicate offeringId ${o.offeringId}`);
      }
      ids.add(o.offeringId);
    }
    this.entries = next;
    this.sold.clear();
    return next.map((o) => o.offeringId);
  }

  /** Appends a block (unsold); returns its offering id. */
  public add(block: CapacityBlock): string {
    const offering = this.normalize(block);
    if (this.entries.some((o) => o.offeringId === offering.offeringId)) {
      throw new Error(`emulator catalogue: duplicate offeringId ${offering.offeringId}`);
    }
    this.entries.push(offering);
    this.sold.delete(offering.offeringId);
    return offering.offeringId;
  }

  public find(offeringId: string): Offering | undefined {
    return this.entries.find((o) => o.offeringId === offeringId);
  }

  public isSold(offeringId: string): boolean {
    return this.sold.has(offeringId);
  }

  public markSold(offeringId: string): void {
    this.sold.add(offeringId);
  }

  public search(q: OfferingQuery): Offering[] {
    return this.entries.filter((o) => {
      if (this.sold.has(o.offeringId) || o.instanceType !== q.instanceType) {
        return false;
      }
      if (q.loose) {
        return true;
      }
      return (q.targetResources ?? []).every((t) => o.targetResources.includes(t))
        && (q.instanceCount === undefined || o.instanceCount === q.instanceCount)
        && (q.durationHours === undefined || o.durationHours === q.durationHours)
        && (q.startTimeAfterMs === undefined || o.startMs >= q.startTimeAfterMs)
        && (q.endTimeBeforeMs === undefined || o.endMs <= q.endTimeBeforeMs)
        && o.startMs >= q.nowMs;
    });
  }

  public snapshot(): EmulatorOffering[] {
    return this.entries.map((o) => ({
      offeringId: o.offeringId,
      instanceType: o.instanceType,
      instanceCount: o.instanceCount,
      availabilityZone: o.availabilityZone,
      startTime: new Date(o.startMs),
      endTime: new Date(o.endMs),
      durationHours: o.durationHours,
      upfrontFee: o.upfrontFee,
      currencyCode: o.currencyCode,
      targetResources: [...o.targetResources],
      sold: this.sold.has(o.offeringId),
    }));
  }

  /** Empties the catalogue and restarts id generation. */
  public clear(): void {
    this.entries = [];
    this.sold.clear();
    this.seq = 0;
  }

  private generateId(block: CapacityBlock, startMs: number): string {
    this.seq += 1;
    const digest = createHash('sha256')
      .update(`${this.seq}|${block.instanceType}|${block.instanceCount}|${block.availabilityZone}|${startMs}|${block.durationHours}`)
      .digest('hex');
    return `tpo-${digest.slice(0, 24)}`;
  }
}
