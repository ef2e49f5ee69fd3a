import { goodProps, goodSpec, offering, PLAN_NAME } from './fixtures';
import { ReservationResourceProperties } from '../../src/reservation/contract';
import { filterOfferings } from '../../src/reservation/handler/offerings';
import { adoptionProblems, PlanFacts } from '../../src/reservation/handler/plan-state';
import { parseReservationSpec } from '../../src/reservation/handler/reservation-spec';

function messageOf(props: Partial<ReservationResourceProperties>): string {
  try {
    parseReservationSpec(goodProps(props));
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('parsed');
}

describe('the handler re-checks what synth checked, failing closed', () => {
  test.each(['False', '0', 'no', ''])('Purchase = %j is refused, never read as "buy"', (value) => {
    expect(messageOf({ Purchase: value })).toBe(`Resource property Purchase must be "true" or "false"; got ${JSON.stringify(value)}. Nothing was bought.`);
  });

  test.each(['yes', 'TRUE'])('RequireActive = %j is refused', (value) => {
    expect(messageOf({ RequireActive: value })).toContain('Resource property RequireActive must be "true" or "false"');
  });

  test.each(['3', '2.5', '0x10', '128'])('InstanceCount = %j is refused', (value) => {
    expect(messageOf({ InstanceCount: value })).toMatch(/^Resource property InstanceCount (must be one of 1, 2, 4, 8, 16, 32, 64|must be a positive number)/);
  });

  test.each(['36', '169', '1000'])('DurationHours = %j (not whole days) is refused', (value) => {
    expect(messageOf({ DurationHours: value })).toContain('Resource property DurationHours must be a whole number of days in hours');
  });
});

describe('offerings whose block disagrees with itself are refused', () => {
  test('a block shorter than the stated duration', () => {
    const short = offering({}, {}, { EndTime: new Date('2027-01-21T00:00:00Z') });
    const { rejected } = filterOfferings([short], goodSpec());
    expect(rejected[0].reason).toBe('its capacity block runs 24 h (2027-01-20T00:00:00.000Z to 2027-01-21T00:00:00.000Z), not 48 h');
  });

  test('a block that starts in the past', () => {
    const { rejected } = filterOfferings([offering()], goodSpec({ earliestStart: undefined }), { notBefore: new Date('2027-01-21T00:00:00Z') });
    expect(rejected[0].reason).toBe('it starts 2027-01-20T00:00:00.000Z, in the past');
  });
});

test('a plan that does not serve endpoints is never adopted', () => {
  const plan: PlanFacts = { arn: 'arn', name: PLAN_NAME, status: 'Scheduled', targetResources: ['training-job'] };
  expect(adoptionProblems(plan, goodSpec())).toEqual(['it serves training-job, not endpoints']);
});

describe('fees are compared with the budget exactly, as decimal text', () => {
  const spec = goodSpec({ maxUpfrontFee: 150000 });

  test('a fee a hair above the budget, equal to it as a double, is refused', () => {
    expect(Number('150000.000000000001')).toBe(150000);
    const { eligible, rejected } = filterOfferings([offering({ fee: '150000.000000000001' })], spec);
    expect(eligible).toEqual([]);
    expect(rejected[0].reason).toBe('its upfront fee 150000.000000000001 USD is above the budget of 150000');
  });

  test.each(['150000', '150000.00', '149999.999999999999'])('a fee of %s is within a budget of 150000', (fee) => {
    expect(filterOfferings([offering({ fee })], spec).eligible).toHaveLength(1);
  });
});
