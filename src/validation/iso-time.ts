/**
 * Strict parsing of ISO-8601 instants with an explicit time zone.
 *
 * `Date.parse` is no help here: it reads `2027-01-25T00:00:00` (no zone) as
 * local time of whichever machine runs synth or the handler, and rolls
 * `2027-02-30` over into March. A window that shifts by the builder's time
 * zone, or by a few days, buys the wrong capacity, so only forms that mean
 * the same instant everywhere are accepted.
 */

/** `YYYY-MM-DDTHH:mm[:ss[.fraction]]` followed by `Z` or `±hh:mm`. */
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/;
/** The same without a zone, to say precisely what is missing. */
const ISO_LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The outcome of `parseIsoInstant`: the instant, or why the text is not one. */
export type IsoInstant =
  | { readonly ok: true; readonly epochMs: number }
  | { readonly ok: false; readonly reason: string };

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Parses `value` as an instant with a zone, without ever throwing. */
export function parseIsoInstant(value: string): IsoInstant {
  const m = ISO_INSTANT.exec(value);
  if (!m) {
    if (ISO_DATE.test(value)) {
      return { ok: false, reason: 'a date without a time or time zone' };
    }
    if (ISO_LOCAL.test(value)) {
      return { ok: false, reason: 'no time zone' };
    }
    return { ok: false, reason: 'not ISO-8601' };
  }
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return { ok: false, reason: 'no such calendar date' };
  }
  if (hour > 23 || minute > 59 || second > 59) {
    return { ok: false, reason: 'no such time of day' };
  }
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const offHours = Number(zone.slice(1, 3));
    const offMinutes = Number(zone.slice(4, 6));
    if (offHours > 23 || offMinutes > 59) {
      return { ok: false, reason: 'no such time zone offset' };
    }
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (offHours * 60 + offMinutes);
  }
  const millis = frac === undefined ? 0 : Number(frac.padEnd(3, '0').slice(0, 3));
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  return { ok: true, epochMs: utc - offsetMinutes * 60_000 };
}
