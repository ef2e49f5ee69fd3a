import type { TrainingPlanOffering } from '@aws-sdk/client-sagemaker';
import { goodSpec, hoursAfter, offering, pick, seededRandom } from './fixtures';
import { Candidate, cheapestOverBudget, filterOfferings, Rejection, selectOffering } from '../../src/reservation/handler/offerings';

/** The one reason `o` is refused for `goodSpec(specOverrides)`; fails the test when it is not refused. */
function rejectionOf(o: TrainingPlanOffering, specOverrides: Parameters<typeof goodSpec>[0] = {}, latestStart?: Date): Rejection {
  const result = filterOfferings([o], goodSpec(specOverrides), { latestStart });
  expect(result.eligible).toEqual([]);
  expect(result.rejected).toHaveLength(1);
  return result.rejected[0];
}

function accepted(o: TrainingPlanOffering, specOverrides: Parameters<typeof goodSpec>[0] = {}, latestStart?: Date): Candidate {
  const result = filterOfferings([o], goodSpec(specOverrides), { latestStart });
  expect(result.rejected).toEqual([]);
  expect(result.eligible).toHaveLength(1);
  return result.eligible[0];
}

function candidate(id: string, fee: number, start: string, rank: number): Candidate {
  const startTime = new Date(start);
  return {
    offeringId: id,
    upfrontFee: fee,
    upfrontFeeText: String(fee),
    currencyCode: 'USD',
    startTime,
    endTime: hoursAfter(startTime, 48),
    availabilityZone: 'us-east-1a',
    instanceType: 'ml.p5.48xlarge',
    instanceCount: 2,
    durationHours: 48,
    rank,
  };
}

describe('filterOfferings', () => {
  test('accepts an offering that matches in every respect, with the fields selection needs', () => {
    const c = accepted(offering({ id: 'tpo-good', fee: '1234.56', az: 'us-east-1c', start: new Date('2027-01-20T06:00:00Z') }));
    expect(c).toEqual({
      offeringId: 'tpo-good',
      upfrontFee: 1234.56,
      upfrontFeeText: '1234.56',
      currencyCode: 'USD',
      startTime: new Date('2027-01-20T06:00:00Z'),
      endTime: new Date('2027-01-22T06:00:00Z'),
      availabilityZone: 'us-east-1c',
      instanceType: 'ml.p5.48xlarge',
      instanceCount: 2,
      durationHours: 48,
      rank: 0,
    });
  });

  test('an empty answer has nothing eligible and nothing rejected', () => {
    expect(filterOfferings([], goodSpec())).toEqual({ eligible: [], rejected: [] });
  });

  test('keeps the service order as rank, counting refused offerings too', () => {
    const result = filterOfferings([
      offering({ id: 'tpo-0' }),
      offering({ id: 'tpo-1', count: 4 }),
      offering({ id: 'tpo-2' }),
    ], goodSpec());
    expect(result.eligible.map((c) => [c.offeringId, c.rank])).toEqual([['tpo-0', 0], ['tpo-2', 2]]);
    expect(result.rejected.map((r) => r.offeringId)).toEqual(['tpo-1']);
  });

  describe('refuses, saying why', () => {
    test('an offering without an id', () => {
      const r = rejectionOf(offering({}, { TrainingPlanOfferingId: undefined }));
      expect(r).toEqual({ offeringId: '(no id)', reason: 'it has no offering id' });
    });

    test('an offering for training jobs, not endpoints', () => {
      const r = rejectionOf(offering({ id: 'tpo-train' }, { TargetResources: ['training-job'] }));
      expect(r).toEqual({ offeringId: 'tpo-train', reason: 'it targets training-job, not endpoints' });
    });

    test('an offering for HyperPod clusters and training jobs', () => {
      const r = rejectionOf(offering({}, { TargetResources: ['hyperpod-cluster', 'training-job'] }));
      expect(r.reason).toBe('it targets hyperpod-cluster, training-job, not endpoints');
    });

    test('an offering with no target resources at all', () => {
      expect(rejectionOf(offering({}, { TargetResources: [] })).reason).toBe('it targets nothing, not endpoints');
      expect(rejectionOf(offering({}, { TargetResources: undefined })).reason).toBe('it targets nothing, not endpoints');
    });

    test('an offering split into several capacity blocks', () => {
      const o = offering({ id: 'tpo-split' });
      const block = o.ReservedCapacityOfferings![0];
      const r = rejectionOf({ ...o, ReservedCapacityOfferings: [block, { ...block, AvailabilityZone: 'us-east-1b' }] });
      expect(r).toEqual({ offeringId: 'tpo-split', reason: 'it is split into 2 capacity blocks; an endpoint needs one contiguous block' });
    });

    test('an offering with no capacity block', () => {
      expect(rejectionOf(offering({}, { ReservedCapacityOfferings: [] })).reason)
        .toBe('it is split into 0 capacity blocks; an endpoint needs one contiguous block');
      expect(rejectionOf(offering({}, { ReservedCapacityOfferings: undefined })).reason)
        .toBe('it is split into 0 capacity blocks; an endpoint needs one contiguous block');
    });

    test('another instance type', () => {
      expect(rejectionOf(offering({ instanceType: 'ml.p4d.24xlarge' })).reason).toBe('it reserves ml.p4d.24xlarge, not ml.p5.48xlarge');
    });

    test('another instance count, fewer or more', () => {
      expect(rejectionOf(offering({ count: 1 })).reason).toBe('it reserves 1 instances, not 2');
      expect(rejectionOf(offering({ count: 4 })).reason).toBe('it reserves 4 instances, not 2');
    });

    test('another duration in hours', () => {
      expect(rejectionOf(offering({ hours: 24 })).reason).toBe('it lasts 24 h, not 48 h');
      expect(rejectionOf(offering({ hours: 72 })).reason).toBe('it lasts 72 h, not 48 h');
    });

    test('a duration that is off by DurationMinutes', () => {
      expect(rejectionOf(offering({}, { DurationHours: 47, DurationMinutes: 30 })).reason).toBe('it lasts 47.5 h, not 48 h');
      expect(rejectionOf(offering({}, { DurationHours: 48, DurationMinutes: 15 })).reason).toBe('it lasts 48.25 h, not 48 h');
    });

    test('an offering that states no duration', () => {
      expect(rejectionOf(offering({}, { DurationHours: undefined })).reason).toBe('it lasts 0 h, not 48 h');
    });

    test('an offering without a start or an end time', () => {
      expect(rejectionOf(offering({}, {}, { StartTime: undefined })).reason).toBe('it states no start or end time');
      expect(rejectionOf(offering({}, {}, { EndTime: undefined })).reason).toBe('it states no start or end time');
    });

    test('an offering starting before the earliest start', () => {
      const r = rejectionOf(offering({ start: new Date('2027-01-09T23:59:59Z') }));
      expect(r.reason).toBe('it starts 2027-01-09T23:59:59.000Z, before the earliest start');
    });

    test('an offering ending after the latest end', () => {
      // Starts 2027-02-27T00:00:01Z, 48 h: ends one second after 2027-03-01T00:00:00Z.
      const r = rejectionOf(offering({ start: new Date('2027-02-27T00:00:01Z') }));
      expect(r.reason).toBe('it ends 2027-03-01T00:00:01.000Z, after the latest end');
    });

    test('an offering starting too late to become Active before the deploy stops waiting', () => {
      const latestStart = new Date('2027-01-10T00:57:00Z');
      const r = rejectionOf(offering({ start: new Date('2027-01-10T01:00:00Z') }), {}, latestStart);
      expect(r.reason).toBe('it starts 2027-01-10T01:00:00.000Z, too late to become Active before this deploy stops waiting (2027-01-10T00:57:00.000Z)');
    });

    const unusableFees: Array<[string | undefined, string]> = [
      [undefined, 'undefined'],
      ['', '""'],
      ['   ', '"   "'],
      ['abc', '"abc"'],
      ['-5', '"-5"'],
      ['1e5', '"1e5"'],
      ['1,000.00', '"1,000.00"'],
      ['NaN', '"NaN"'],
      ['Infinity', '"Infinity"'],
      ['0x10', '"0x10"'],
      ['.5', '".5"'],
      ['5.', '"5."'],
      ['$100', '"$100"'],
    ];
    test.each(unusableFees)('an unusable upfront fee %j', (fee, shown) => {
      const r = rejectionOf(offering({ id: 'tpo-fee' }, { UpfrontFee: fee }));
      expect(r).toEqual({ offeringId: 'tpo-fee', reason: `it states no usable upfront fee (${shown})` });
    });

    test('an offering priced in another currency', () => {
      expect(rejectionOf(offering({ currency: 'EUR' })).reason).toBe('it is priced in EUR, not USD');
    });

    test('an offering priced in the right currency written in lower case', () => {
      expect(rejectionOf(offering({ currency: 'usd' })).reason).toBe('it is priced in usd, not USD');
    });

    test('an offering that states no currency', () => {
      expect(rejectionOf(offering({}, { CurrencyCode: undefined })).reason).toBe('it is priced in no stated currency, not USD');
    });

    test('an offering above the budget, keeping its fee for the error message', () => {
      const r = rejectionOf(offering({ id: 'tpo-dear', fee: '5000.01' }));
      expect(r).toEqual({
        offeringId: 'tpo-dear',
        reason: 'its upfront fee 5000.01 USD is above the budget of 5000',
        overBudgetFee: 5000.01,
        currencyCode: 'USD',
      });
    });

    test('an offering in another currency is not mistaken for one merely over budget', () => {
      const r = rejectionOf(offering({ fee: '9000', currency: 'EUR' }));
      expect(r.overBudgetFee).toBeUndefined();
      expect(r.reason).toBe('it is priced in EUR, not USD');
    });

    test('an offering that is wrong in several ways is refused for the first one checked', () => {
      const r = rejectionOf(offering({ count: 4, fee: 'abc', currency: 'EUR' }));
      expect(r.reason).toBe('it reserves 4 instances, not 2');
      expect(r.overBudgetFee).toBeUndefined();
    });
  });

  describe('accepts', () => {
    test('a fee exactly equal to the budget', () => {
      expect(accepted(offering({ fee: '5000' })).upfrontFee).toBe(5000);
      expect(accepted(offering({ fee: '5000.00' })).upfrontFee).toBe(5000);
      expect(accepted(offering({ fee: '0.3' }), { maxUpfrontFee: 0.3 }).upfrontFee).toBe(0.3);
    });

    test('a fee of zero', () => {
      expect(accepted(offering({ fee: '0' })).upfrontFee).toBe(0);
    });

    test('a fee with surrounding white space, reported trimmed', () => {
      const c = accepted(offering({ fee: ' 4999.99 ' }));
      expect(c.upfrontFee).toBe(4999.99);
      expect(c.upfrontFeeText).toBe('4999.99');
    });

    test('hours and minutes that add up to the duration', () => {
      expect(accepted(offering({}, { DurationHours: 47, DurationMinutes: 60 })).durationHours).toBe(48);
    });

    test('an offering starting exactly at the earliest start and ending exactly at the latest end', () => {
      accepted(offering({ start: new Date('2027-01-10T00:00:00Z') }));
      accepted(offering({ start: new Date('2027-02-27T00:00:00Z') }));
    });

    test('an offering starting exactly at the latest start', () => {
      const latestStart = new Date('2027-01-10T00:57:00Z');
      accepted(offering({ start: latestStart }), {}, latestStart);
    });

    test('any start and end when the spec sets no window', () => {
      accepted(offering({ start: new Date('2030-06-01T00:00:00Z') }), { earliestStart: undefined, latestEnd: undefined });
    });

    test('an offering that also targets training jobs, when it targets endpoints', () => {
      accepted(offering({}, { TargetResources: ['training-job', 'endpoint'] }));
    });

    test('an offering with no availability zone, reported as empty', () => {
      expect(accepted(offering({}, {}, { AvailabilityZone: undefined })).availabilityZone).toBe('');
    });
  });
});

describe('selectOffering', () => {
  test('has nothing to select from an empty list', () => {
    expect(selectOffering([], 'CHEAPEST')).toBeUndefined();
    expect(selectOffering([], 'EARLIEST_START')).toBeUndefined();
    expect(selectOffering([], 'BEST_MATCH')).toBeUndefined();
  });

  describe('CHEAPEST', () => {
    test('takes the lowest fee, wherever the service ranked it', () => {
      const chosen = selectOffering([
        candidate('a', 3000, '2027-01-12T00:00:00Z', 0),
        candidate('b', 1000, '2027-01-25T00:00:00Z', 1),
        candidate('c', 2000, '2027-01-11T00:00:00Z', 2),
      ], 'CHEAPEST');
      expect(chosen?.offeringId).toBe('b');
    });

    test('breaks a tie on fee by the earliest start', () => {
      const chosen = selectOffering([
        candidate('a', 1000, '2027-01-25T00:00:00Z', 0),
        candidate('b', 1000, '2027-01-12T00:00:00Z', 1),
        candidate('c', 2000, '2027-01-11T00:00:00Z', 2),
      ], 'CHEAPEST');
      expect(chosen?.offeringId).toBe('b');
    });

    test('breaks a tie on fee and start by the service order', () => {
      const chosen = selectOffering([
        candidate('c', 1000, '2027-01-12T00:00:00Z', 2),
        candidate('a', 1000, '2027-01-12T00:00:00Z', 0),
        candidate('b', 1000, '2027-01-12T00:00:00Z', 1),
      ], 'CHEAPEST');
      expect(chosen?.offeringId).toBe('a');
    });

    test('is the default for an empty or unknown selection', () => {
      const list = [candidate('a', 3000, '2027-01-11T00:00:00Z', 0), candidate('b', 1000, '2027-01-25T00:00:00Z', 1)];
      expect(selectOffering(list, '')?.offeringId).toBe('b');
      expect(selectOffering(list, 'SOMETHING_ELSE')?.offeringId).toBe('b');
    });
  });

  describe('EARLIEST_START', () => {
    test('takes the earliest start, whatever it costs', () => {
      const chosen = selectOffering([
        candidate('a', 1000, '2027-01-25T00:00:00Z', 0),
        candidate('b', 4000, '2027-01-11T00:00:00Z', 1),
        candidate('c', 2000, '2027-01-12T00:00:00Z', 2),
      ], 'EARLIEST_START');
      expect(chosen?.offeringId).toBe('b');
    });

    test('breaks a tie on start by the lowest fee', () => {
      const chosen = selectOffering([
        candidate('a', 3000, '2027-01-11T00:00:00Z', 0),
        candidate('b', 2000, '2027-01-11T00:00:00Z', 1),
        candidate('c', 1000, '2027-01-12T00:00:00Z', 2),
      ], 'EARLIEST_START');
      expect(chosen?.offeringId).toBe('b');
    });

    test('breaks a tie on start and fee by the service order', () => {
      const chosen = selectOffering([
        candidate('b', 2000, '2027-01-11T00:00:00Z', 1),
        candidate('a', 2000, '2027-01-11T00:00:00Z', 0),
      ], 'EARLIEST_START');
      expect(chosen?.offeringId).toBe('a');
    });
  });

  describe('BEST_MATCH', () => {
    test('takes the first eligible offering in the service order, neither cheapest nor earliest', () => {
      const chosen = selectOffering([
        candidate('c', 1000, '2027-01-11T00:00:00Z', 3),
        candidate('b', 4000, '2027-01-25T00:00:00Z', 1),
        candidate('d', 500, '2027-01-10T00:00:00Z', 4),
      ], 'BEST_MATCH');
      expect(chosen?.offeringId).toBe('b');
    });

    test('skips the service\'s first answer when it was refused', () => {
      const { eligible } = filterOfferings([
        offering({ id: 'tpo-0', fee: '9999' }),
        offering({ id: 'tpo-1', fee: '4000' }),
        offering({ id: 'tpo-2', fee: '1000' }),
      ], goodSpec());
      expect(selectOffering(eligible, 'BEST_MATCH')?.offeringId).toBe('tpo-1');
    });
  });

  test('does not reorder the list it was given', () => {
    const list = [candidate('a', 3000, '2027-01-11T00:00:00Z', 0), candidate('b', 1000, '2027-01-25T00:00:00Z', 1)];
    selectOffering(list, 'CHEAPEST');
    expect(list.map((c) => c.offeringId)).toEqual(['a', 'b']);
  });
});

describe('cheapestOverBudget', () => {
  test('names the cheapest of the offerings refused only for their price', () => {
    const { rejected } = filterOfferings([
      offering({ id: 'tpo-7000', fee: '7000' }),
      offering({ id: 'tpo-5500', fee: '5500.50' }),
      offering({ id: 'tpo-cheap-eur', fee: '10', currency: 'EUR' }),
      offering({ id: 'tpo-cheap-small', fee: '100', count: 1 }),
      offering({ id: 'tpo-6000', fee: '6000' }),
    ], goodSpec());
    const cheapest = cheapestOverBudget(rejected);
    expect(cheapest).toEqual({
      offeringId: 'tpo-5500',
      reason: 'its upfront fee 5500.50 USD is above the budget of 5000',
      overBudgetFee: 5500.5,
      currencyCode: 'USD',
    });
  });

  test('has none when nothing was refused for its price', () => {
    const { rejected } = filterOfferings([offering({ currency: 'EUR' }), offering({ count: 8 })], goodSpec());
    expect(rejected).toHaveLength(2);
    expect(cheapestOverBudget(rejected)).toBeUndefined();
    expect(cheapestOverBudget([])).toBeUndefined();
  });

  test('does not reorder the list it was given', () => {
    const rejected: Rejection[] = [
      { offeringId: 'x', reason: 'r', overBudgetFee: 9000, currencyCode: 'USD' },
      { offeringId: 'y', reason: 'r', overBudgetFee: 6000, currencyCode: 'USD' },
    ];
    expect(cheapestOverBudget(rejected)?.offeringId).toBe('y');
    expect(rejected.map((r) => r.offeringId)).toEqual(['x', 'y']);
  });
});

describe('property: nothing outside the budget, the currency or the answer is ever chosen', () => {
  const FEES = ['0', '1', '999.99', '4999.99', '5000', '5000.00', '5000.01', '12000', '', 'abc', '-5', '1e5', ' 42 ', undefined];
  const SELECTIONS = ['CHEAPEST', 'EARLIEST_START', 'BEST_MATCH'];

  /** Mostly a good offering; each field goes wrong now and then. */
  function randomOffering(random: () => number, i: number): TrainingPlanOffering {
    const sometimes = <T>(good: T, bad: readonly T[]): T => (random() < 0.1 ? pick(random, bad) : good);
    // Starts between 2027-01-08 and 2027-03-01, on the hour: a few fall outside the window.
    const start = new Date(Date.UTC(2027, 0, 8) + Math.floor(random() * 52 * 24) * 3_600_000);
    const o = offering({
      id: `tpo-${i}`,
      start,
      hours: sometimes(48, [24, 72]),
      instanceType: sometimes('ml.p5.48xlarge', ['ml.p4d.24xlarge']),
      count: sometimes(2, [1, 4]),
      az: pick(random, ['us-east-1a', 'us-east-1b']),
    });
    return {
      ...o,
      UpfrontFee: random() < 0.3 ? pick(random, FEES) : (random() * 8000).toFixed(2),
      CurrencyCode: sometimes<string | undefined>('USD', ['EUR', 'usd', undefined]),
      TargetResources: sometimes(['endpoint'], [['training-job']]),
    };
  }

  test('for 400 random answers and budgets', () => {
    const random = seededRandom(20270110);
    let runsWithChoice = 0;
    let runsOverBudget = 0;
    for (let run = 0; run < 400; run++) {
      const offerings = Array.from({ length: Math.floor(random() * 8) }, (_, i) => randomOffering(random, i));
      const spec = goodSpec({
        maxUpfrontFee: pick(random, [1, 1000, 4999.99, 5000, 7500]),
        currencyCode: random() < 0.9 ? 'USD' : 'EUR',
        selection: pick(random, SELECTIONS),
      });
      const latestStart = random() < 0.3 ? new Date(Date.UTC(2027, 0, 20)) : undefined;
      const { eligible, rejected } = filterOfferings(offerings, spec, { latestStart });

      expect(eligible.length + rejected.length).toBe(offerings.length);
      for (const c of eligible) {
        expect(c.upfrontFee).toBeLessThanOrEqual(spec.maxUpfrontFee);
        expect(c.upfrontFee).toBeGreaterThanOrEqual(0);
        expect(c.currencyCode).toBe(spec.currencyCode);
        expect(c.instanceType).toBe(spec.instanceType);
        expect(c.instanceCount).toBe(spec.instanceCount);
        expect(c.durationHours).toBe(spec.durationHours);
        expect(c.startTime.getTime()).toBeGreaterThanOrEqual(spec.earliestStart!.getTime());
        expect(c.endTime.getTime()).toBeLessThanOrEqual(spec.latestEnd!.getTime());
        if (latestStart) {
          expect(c.startTime.getTime()).toBeLessThanOrEqual(latestStart.getTime());
        }
        const source = offerings[c.rank];
        expect(source.TrainingPlanOfferingId).toBe(c.offeringId);
        expect(Number(source.UpfrontFee)).toBe(c.upfrontFee);
      }

      const chosen = selectOffering(eligible, spec.selection);
      if (eligible.length === 0) {
        expect(chosen).toBeUndefined();
      } else {
        runsWithChoice++;
        expect(eligible).toContain(chosen);
        if (spec.selection === 'CHEAPEST') {
          expect(chosen!.upfrontFee).toBe(Math.min(...eligible.map((c) => c.upfrontFee)));
        } else if (spec.selection === 'EARLIEST_START') {
          expect(chosen!.startTime.getTime()).toBe(Math.min(...eligible.map((c) => c.startTime.getTime())));
        } else {
          expect(chosen!.rank).toBe(Math.min(...eligible.map((c) => c.rank)));
        }
      }

      const dearest = cheapestOverBudget(rejected);
      const overBudget = rejected.filter((r) => r.overBudgetFee !== undefined);
      if (overBudget.length === 0) {
        expect(dearest).toBeUndefined();
      } else {
        runsOverBudget++;
        expect(dearest!.overBudgetFee).toBe(Math.min(...overBudget.map((r) => r.overBudgetFee!)));
        for (const r of overBudget) {
          expect(r.overBudgetFee!).toBeGreaterThan(spec.maxUpfrontFee);
          expect(r.currencyCode).toBe(spec.currencyCode);
        }
      }
    }
    // The generator must reach both outcomes often, or the property says nothing.
    expect(runsWithChoice).toBeGreaterThan(40);
    expect(runsOverBudget).toBeGreaterThan(40);
  });
});
