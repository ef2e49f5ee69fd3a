import {
  MIN_PLAUSIBLE_USD_PER_INSTANCE_HOUR,
  OFFERING_SELECTIONS,
  RESERVABLE_INSTANCE_TYPES,
  suggestInstanceType,
} from '../../src/validation';

describe('limits', () => {
  test('the reservable types are exactly the service model\'s ReservedCapacityInstanceType (botocore 1.43.11)', () => {
    expect([...RESERVABLE_INSTANCE_TYPES].sort()).toEqual([
      'ml.p4d.24xlarge', 'ml.p4de.24xlarge', 'ml.p5.48xlarge', 'ml.p5.4xlarge', 'ml.p5e.48xlarge', 'ml.p5en.48xlarge',
      'ml.p6-b200.48xlarge', 'ml.p6-b300.48xlarge', 'ml.p6e-gb200.36xlarge', 'ml.trn1.32xlarge', 'ml.trn2.48xlarge',
    ]);
  });

  test('every reservable type has a positive price floor, and the table names no other type', () => {
    expect(Object.keys(MIN_PLAUSIBLE_USD_PER_INSTANCE_HOUR).sort()).toEqual([...RESERVABLE_INSTANCE_TYPES].sort());
    for (const floor of Object.values(MIN_PLAUSIBLE_USD_PER_INSTANCE_HOUR)) {
      expect(floor).toBeGreaterThan(0);
    }
  });

  test('selections are the enum values', () => {
    expect(OFFERING_SELECTIONS).toEqual(['CHEAPEST', 'EARLIEST_START', 'BEST_MATCH']);
  });
});

describe('suggestInstanceType', () => {
  test.each([
    ['ml.p5.48xlarg', 'ml.p5.48xlarge'],
    ['ML.P5.48XLARGE', 'ml.p5.48xlarge'],
    ['p5.48xlarge', 'ml.p5.48xlarge'],
    ['ml.p5.48xlrage', 'ml.p5.48xlarge'],
    ['ml.p6.b200.48xlarge', 'ml.p6-b200.48xlarge'],
    ['ml.trn2.48xlarge ', 'ml.trn2.48xlarge'],
    // another family is not a typo: no hint sends a G5 user to buy H100s
    ['ml.g5.2xlarge', undefined],
    ['ml.g6.48xlarge', undefined],
    ['', undefined],
  ])('%j -> %j', (name, expected) => {
    expect(suggestInstanceType(name)).toBe(expected);
  });
});
