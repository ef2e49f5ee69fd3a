import { parseIsoInstant } from '../../src/validation';

describe('parseIsoInstant', () => {
  test.each([
    ['2027-01-25T00:00:00Z', '2027-01-25T00:00:00.000Z'],
    ['2027-01-25T00:00Z', '2027-01-25T00:00:00.000Z'],
    ['2027-01-25T01:00:00+01:00', '2027-01-25T00:00:00.000Z'],
    ['2027-01-24T19:00:00-05:00', '2027-01-25T00:00:00.000Z'],
    ['2027-01-25T05:30:00.5+05:30', '2027-01-25T00:00:00.500Z'],
    ['2027-01-25T00:00:00.123456789Z', '2027-01-25T00:00:00.123Z'],
    ['2028-02-29T00:00:00Z', '2028-02-29T00:00:00.000Z'],
  ])('%s is %s', (text, iso) => {
    const parsed = parseIsoInstant(text);
    expect(parsed).toEqual({ ok: true, epochMs: Date.parse(iso) });
  });

  test.each([
    ['2027-01-25', 'a date without a time or time zone'],
    ['2027-01-25T00:00:00', 'no time zone'],
    ['2027-01-25T00:00:00.000', 'no time zone'],
    ['next tuesday', 'not ISO-8601'],
    ['', 'not ISO-8601'],
    ['2027-01-25 00:00:00Z', 'not ISO-8601'],
    ['2027-01-25T00:00:00+0100', 'not ISO-8601'],
    ['2027-01-25T00:00:00z', 'not ISO-8601'],
    ['27-01-25T00:00:00Z', 'not ISO-8601'],
    ['2027-02-30T00:00:00Z', 'no such calendar date'],
    ['2027-02-29T00:00:00Z', 'no such calendar date'],
    ['2027-13-01T00:00:00Z', 'no such calendar date'],
    ['2027-00-10T00:00:00Z', 'no such calendar date'],
    ['2027-01-25T24:00:00Z', 'no such time of day'],
    ['2027-01-25T23:60:00Z', 'no such time of day'],
    ['2027-01-25T23:59:60Z', 'no such time of day'],
    ['2027-01-25T00:00:00+24:00', 'no such time zone offset'],
  ])('%s is refused: %s', (text, reason) => {
    expect(parseIsoInstant(text)).toEqual({ ok: false, reason });
  });
});
