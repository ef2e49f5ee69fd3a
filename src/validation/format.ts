/**
 * How values are shown in messages.
 *
 * Strings are JSON-quoted so that an empty string, trailing spaces or a
 * stray quote are visible; numbers are printed as JavaScript prints them so
 * that NaN and Infinity (which JSON would turn into null) stay recognisable.
 */

/** Longest string shown in full; longer ones are cut, with their length stated. */
const MAX_SHOWN_CHARS = 80;

/** Renders a value given by the user for a message's "got ..." part. */
export function show(value: unknown): string {
  if (typeof value === 'string') {
    if (value.length > MAX_SHOWN_CHARS) {
      return `${JSON.stringify(value.slice(0, MAX_SHOWN_CHARS))}... (${value.length} characters)`;
    }
    return JSON.stringify(value);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  if (value === undefined) {
    return 'undefined';
  }
  if (value === null) {
    return 'null';
  }
  try {
    const json = JSON.stringify(value);
    if (json !== undefined) {
      return json.length > MAX_SHOWN_CHARS ? `${json.slice(0, MAX_SHOWN_CHARS)}...` : json;
    }
  } catch {
    // circular or otherwise unserialisable: fall through to the type name
  }
  return `a value of type ${typeof value}`;
}

/** Describes what JavaScript type a wrongly typed value has, for "must be a number; got a string". */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const t = typeof value;
  if (t === 'undefined') return t;
  return t === 'object' ? 'an object' : `a ${t}`;
}

/** A duration in milliseconds as days when whole, else hours (e.g. "7 days", "25 hours", "1.5 hours"). */
export function formatSpan(ms: number): string {
  const day = 86_400_000;
  const hour = 3_600_000;
  if (ms % day === 0) {
    const days = ms / day;
    return `${days} ${days === 1 ? 'day' : 'days'}`;
  }
  const hours = Math.round((ms / hour) * 100) / 100;
  return `${hours} ${hours === 1 ? 'hour' : 'hours'}`;
}

/** A round-trippable instant for messages that compare with synth time. */
export function formatInstant(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
