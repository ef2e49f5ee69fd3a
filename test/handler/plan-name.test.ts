import { pick, seededRandom } from './fixtures';
import { PLAN_NAME_PREFIX } from '../../src/reservation/contract';
import { derivePlanName } from '../../src/reservation/plan-name';

/** `TrainingPlanName` in the service model: 1-64 characters of this pattern. */
const TRAINING_PLAN_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,63}$/;

function expectValid(name: string): void {
  expect(name.length).toBeGreaterThanOrEqual(1);
  expect(name.length).toBeLessThanOrEqual(64);
  expect(name).toMatch(TRAINING_PLAN_NAME);
  expect(name.startsWith('cri-')).toBe(true);
}

describe('derivePlanName', () => {
  test('reads stack name, construct id and a 10-character hash of the path', () => {
    const name = derivePlanName('ServingStack', 'ServingStack/Reservation');
    expect(name).toMatch(/^cri-ServingStack-Reservation-[0-9a-f]{10}$/);
    expectValid(name);
  });

  test('starts with the library prefix, which scopes the provider\'s IAM policy', () => {
    expect(PLAN_NAME_PREFIX).toBe('cri-');
    expect(derivePlanName('A', 'A/B').startsWith(PLAN_NAME_PREFIX)).toBe(true);
  });

  test('is the same on every call for the same stack and path', () => {
    const first = derivePlanName('ServingStack', 'ServingStack/Serving/Reservation');
    for (let i = 0; i < 5; i++) {
      expect(derivePlanName('ServingStack', 'ServingStack/Serving/Reservation')).toBe(first);
    }
  });

  test('differs by path, even when the leaf is the same', () => {
    const a = derivePlanName('ServingStack', 'ServingStack/Blue/Reservation');
    const b = derivePlanName('ServingStack', 'ServingStack/Green/Reservation');
    expect(a).not.toBe(b);
    expect(a.slice(0, -10)).toBe(b.slice(0, -10));
  });

  test('differs by stack, for the same path', () => {
    expect(derivePlanName('StackA', 'Serving/Reservation')).not.toBe(derivePlanName('StackB', 'Serving/Reservation'));
  });

  test('differs for stack names that sanitize to the same text', () => {
    const a = derivePlanName('my_stack', 'my_stack/Reservation');
    const b = derivePlanName('my-stack', 'my_stack/Reservation');
    expect(a.slice(0, -10)).toBe(b.slice(0, -10));
    expect(a).not.toBe(b);
  });

  test('does not confuse the boundary between stack name and path', () => {
    expect(derivePlanName('ab', 'c/R')).not.toBe(derivePlanName('a', 'bc/R'));
  });

  test('keeps a very long stack name to 64 characters, with the hash intact', () => {
    const stack = 'S'.repeat(128);
    const name = derivePlanName(stack, `${stack}/Reservation`);
    expectValid(name);
    expect(name).toHaveLength(64);
    expect(name).toMatch(/^cri-S+-[0-9a-f]{10}$/);
  });

  test('does not end the readable part with a dash when truncation cuts at a separator', () => {
    // 48 characters of stack, then '-', then the leaf: the cut at 49 lands right after the dash.
    const stack = 'a'.repeat(48);
    const name = derivePlanName(stack, `${stack}/Leaf`);
    expectValid(name);
    expect(name).toMatch(/^cri-a{48}-[0-9a-f]{10}$/);
  });

  test('replaces unicode, underscores, dots and spaces by single dashes', () => {
    const name = derivePlanName('Stäck_Ünïcødé', 'Stäck_Ünïcødé/Réservation 東京.v2');
    expectValid(name);
    expect(name).toMatch(/^cri-St-ck-n-c-d-R-servation-v2-[0-9a-f]{10}$/);
  });

  test('trims leading and trailing separators', () => {
    const name = derivePlanName('--_Stack_--', '/--Reservation--/');
    expectValid(name);
    expect(name).toMatch(/^cri-Stack-Reservation-[0-9a-f]{10}$/);
  });

  test('leaves out an empty leaf', () => {
    for (const path of ['', '/', '//']) {
      const name = derivePlanName('Stack', path);
      expectValid(name);
      expect(name).toMatch(/^cri-Stack-[0-9a-f]{10}$/);
    }
  });

  test('is only the prefix and the hash when nothing readable is left', () => {
    const name = derivePlanName('東京', '東京/日本語');
    expectValid(name);
    expect(name).toMatch(/^cri-[0-9a-f]{10}$/);
    expect(derivePlanName('', '')).toMatch(/^cri-[0-9a-f]{10}$/);
    expect(derivePlanName('___', '---/...')).toMatch(/^cri-[0-9a-f]{10}$/);
  });

  test('handles emoji and surrogate pairs', () => {
    expectValid(derivePlanName('🚀Stack🚀', '🚀Stack🚀/Res🔥'));
  });

  describe('property: every name is valid, and the same inputs give the same name', () => {
    const ALPHABET = [
      ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
      '-', '-', '_', '_', '.', ' ', '/', '/', 'é', 'ß', 'Ω', '東', '🚀', '\u0000', '\t',
    ];

    function randomText(random: () => number, maxLength: number): string {
      const length = Math.floor(random() * (maxLength + 1));
      let s = '';
      for (let i = 0; i < length; i++) {
        s += pick(random, ALPHABET);
      }
      return s;
    }

    test('for 500 random stack names and construct paths', () => {
      const random = seededRandom(64);
      const seen = new Map<string, string>();
      for (let i = 0; i < 500; i++) {
        const stack = randomText(random, random() < 0.2 ? 200 : 30);
        const path = `${stack}/${randomText(random, 20)}/${randomText(random, random() < 0.2 ? 120 : 20)}`;
        const name = derivePlanName(stack, path);
        expectValid(name);
        expect(derivePlanName(stack, path)).toBe(name);
        const key = `${stack}\u0001${path}`;
        const earlier = [...seen.entries()].find(([, n]) => n === name);
        if (earlier && earlier[0] !== key) {
          throw new Error(`two different inputs share the name ${name}`);
        }
        seen.set(key, name);
      }
    });
  });
});
