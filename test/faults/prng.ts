/* eslint-disable no-bitwise */
/**
 * A small seeded PRNG (mulberry32) and the draws the fault suite needs. Every
 * lifecycle gets its own generator, derived from (seed, index), so any one
 * lifecycle can be replayed alone.
 */

export type Rng = () => number;

export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The generator of lifecycle `index` under `seed`. */
export function lifecycleRng(seed: number, index: number): Rng {
  // splitmix-style mixing so neighbouring indexes get unrelated streams.
  let h = (seed ^ Math.imul(index + 1, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return mulberry32((h ^ (h >>> 16)) >>> 0);
}

export class Draw {
  constructor(private readonly rng: Rng) {}

  /** true with probability p. */
  public chance(p: number): boolean {
    return this.rng() < p;
  }

  /** An integer in [min, max]. */
  public int(min: number, max: number): number {
    return min + Math.floor(this.rng() * (max - min + 1));
  }

  public pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.rng() * items.length)];
  }

  /** One of the keys, with the given weights. */
  public weighted<T>(entries: ReadonlyArray<readonly [T, number]>): T {
    const total = entries.reduce((s, [, w]) => s + w, 0);
    let x = this.rng() * total;
    for (const [item, w] of entries) {
      x -= w;
      if (x < 0) {
        return item;
      }
    }
    return entries[entries.length - 1][0];
  }

  /** A fresh 32-bit value, for choices made later at run time. */
  public u32(): number {
    return Math.floor(this.rng() * 4294967296) >>> 0;
  }
}
