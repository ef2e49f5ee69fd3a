import type { TrainingPlanOffering } from '@aws-sdk/client-sagemaker';
import { ReservationResourceProperties } from '../../src/reservation/contract';
import { filterOfferings } from '../../src/reservation/handler/offerings';
import { adoptionProblems, PlanFacts } from '../../src/reservation/handler/plan-state';
import { parseReservationSpec } from '../../src/reservation/handler/reservation-spec';

const PROPS: ReservationResourceProperties = {
  PlanName: 'cri-Stack-Res-0123456789',
  InstanceType: 'ml.p5.48xlarge',
  InstanceCount: '1',
  DurationHours: '168',
  EarliestStart: '2027-01-25T00:00:00Z',
  LatestEnd: '2027-02-05T00:00:00Z',
  MaxUpfrontFee: '60000',
  CurrencyCode: 'USD',
  Selection: 'CHEAPEST',
  RequireActive: 'false',
  Purchase: 'true',
  WaitBudgetSeconds: '3600',
};

function messageOf(props: Partial<ReservationResourceProperties>): string {
  try {
    parseReservationSpec({ ...PROPS, ...props });
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
  const spec = parseReservationSpec(PROPS);
  const offering = (start: string, end: string): TrainingPlanOffering => ({
    TrainingPlanOfferingId: 'tpo-1',
    TargetResources: ['endpoint'],
    DurationHours: 168,
    DurationMinutes: 0,
    UpfrontFee: '50000',
    CurrencyCode: 'USD',
    ReservedCapacityOfferings: [{ InstanceType: 'ml.p5.48xlarge', InstanceCount: 1, StartTime: new Date(start), EndTime: new Date(end) }],
  });

  test('a block shorter than the stated duration', () => {
    const { rejected } = filterOfferings([offering('2027-01-26T00:00:00Z', '2027-01-30T00:00:00Z')], spec);
    expect(rejected[0].reason).toBe('its capacity block runs 96 h (2027-01-26T00:00:00.000Z to 2027-01-30T00:00:00.000Z), not 168 h');
  });

  test('a block that starts in the past', () => {
    const noStart = parseReservationSpec({ ...PROPS, EarliestStart: undefined });
    const { rejected } = filterOfferings([offering('2027-01-26T00:00:00Z', '2027-02-02T00:00:00Z')], noStart, { notBefore: new Date('2027-01-27T00:00:00Z') });
    expect(rejected[0].reason).toBe('it starts 2027-01-26T00:00:00.000Z, in the past');
  });
});

test('a plan that does not serve endpoints is never adopted', () => {
  const plan: PlanFacts = { arn: 'arn', name: PROPS.PlanName, status: 'Scheduled', targetResources: ['training-job'] };
  expect(adoptionProblems(plan, parseReservationSpec(PROPS))).toEqual(['it serves training-job, not endpoints']);
});

describe('fees are compared with the budget exactly, as decimal text', () => {
  const spec = parseReservationSpec({ ...PROPS, MaxUpfrontFee: '150000' });
  const priced = (fee: string): TrainingPlanOffering => ({
    TrainingPlanOfferingId: 'tpo-1',
    TargetResources: ['endpoint'],
    DurationHours: 168,
    UpfrontFee: fee,
    CurrencyCode: 'USD',
    ReservedCapacityOfferings: [{ InstanceType: 'ml.p5.48xlarge', InstanceCount: 1, StartTime: new Date('2027-01-26T00:00:00Z'), EndTime: new Date('2027-02-02T00:00:00Z') }],
  });

  test('a fee a hair above the budget, equal to it as a double, is refused', () => {
    expect(Number('150000.000000000001')).toBe(150000);
    const { eligible, rejected } = filterOfferings([priced('150000.000000000001')], spec);
    expect(eligible).toEqual([]);
    expect(rejected[0].reason).toBe('its upfront fee 150000.000000000001 USD is above the budget of 150000');
  });

  test.each(['150000', '150000.00', '149999.999999999999'])('a fee of %s is within a budget of 150000', (fee) => {
    expect(filterOfferings([priced(fee)], spec).eligible).toHaveLength(1);
  });
});
