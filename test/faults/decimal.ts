/** Exact comparison of non-negative decimal strings ("60000", "48210.55"), without floating point. */

const DECIMAL = /^\d+(\.\d+)?$/;

export function isDecimal(text: string | undefined): text is string {
  return text !== undefined && DECIMAL.test(text);
}

/** -1, 0 or 1 as a < b, a = b, a > b. Both must satisfy `isDecimal`. */
export function compareDecimal(a: string, b: string): number {
  const [ai, af = ''] = a.split('.');
  const [bi, bf = ''] = b.split('.');
  const width = Math.max(af.length, bf.length);
  const x = BigInt(ai + af.padEnd(width, '0'));
  const y = BigInt(bi + bf.padEnd(width, '0'));
  return x < y ? -1 : x > y ? 1 : 0;
}
