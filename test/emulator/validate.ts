import { serializationException, validationException } from './errors';
import { SHAPES } from './model';

const patterns = new Map<string, RegExp>();

function compiled(pattern: string): RegExp {
  let re = patterns.get(pattern);
  if (!re) {
    re = new RegExp(`^(?:${pattern})$`, 'u');
    patterns.set(pattern, re);
  }
  return re;
}

function isAbsent(v: unknown): boolean {
  return v === undefined || v === null;
}

function show(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function constraint(problems: string[], value: unknown, path: string, what: string): void {
  problems.push(`Value '${show(value)}' at '${path}' failed to satisfy constraint: Member must ${what}`);
}

function checkBounds(
  problems: string[], value: unknown, n: number, path: string,
  min: number | undefined, max: number | undefined, kind: string,
): void {
  if (min !== undefined && n < min) {
    constraint(problems, value, path, `have ${kind} greater than or equal to ${min}`);
  }
  if (max !== undefined && n > max) {
    constraint(problems, value, path, `have ${kind} less than or equal to ${max}`);
  }
}

function visit(shapeName: string, value: unknown, path: string, problems: string[]): void {
  const shape = SHAPES[shapeName];
  if (!shape) {
    throw new Error(`emulator model has no shape ${shapeName}`);
  }
  const where = path || 'input';
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw serializationException(`Expected a structure at '${where}'`);
      }
      const obj = value as Record<string, unknown>;
      for (const member of shape.required ?? []) {
        if (isAbsent(obj[member])) {
          problems.push(`Value null at '${path ? `${path}.${member}` : member}' failed to satisfy constraint: Member must not be null`);
        }
      }
      for (const [member, target] of Object.entries(shape.members)) {
        const v = obj[member];
        if (!isAbsent(v)) {
          visit(target, v, path ? `${path}.${member}` : member, problems);
        }
      }
      return;
    }
    case 'list': {
      if (!Array.isArray(value)) {
        throw serializationException(`Expected a list at '${where}'`);
      }
      checkBounds(problems, value, value.length, where, shape.min, shape.max, 'length');
      value.forEach((item, i) => {
        const itemPath = `${where}.${i + 1}.member`;
        if (isAbsent(item)) {
          problems.push(`Value null at '${itemPath}' failed to satisfy constraint: Member must not be null`);
        } else {
          visit(shape.member, item, itemPath, problems);
        }
      });
      return;
    }
    case 'string': {
      if (typeof value !== 'string') {
        throw serializationException(`Expected a string at '${where}'`);
      }
      if (shape.enum && !shape.enum.includes(value)) {
        constraint(problems, value, where, `satisfy enum value set: [${shape.enum.join(', ')}]`);
        return;
      }
      checkBounds(problems, value, Array.from(value).length, where, shape.min, shape.max, 'length');
      if (shape.pattern !== undefined && !compiled(shape.pattern).test(value)) {
        constraint(problems, value, where, `satisfy regular expression pattern: ${shape.pattern}`);
      }
      return;
    }
    case 'integer':
    case 'long': {
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        throw serializationException(`Expected an ${shape.type === 'long' ? 'integer (long)' : 'integer'} at '${where}'`);
      }
      checkBounds(problems, value, value, where, shape.min, shape.max, 'value');
      return;
    }
    case 'timestamp': {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw serializationException(`Expected a timestamp (epoch seconds) at '${where}'`);
      }
      return;
    }
  }
}

/**
 * Validates `input` against a shape of the service model. Type mismatches answer
 * `SerializationException` (as the service's JSON parser does); constraint violations
 * (required, enum, pattern, length, range) are collected into one `ValidationException`
 * whose message names each member, in the service's wording.
 */
export function validateInput(shapeName: string, input: unknown): void {
  const problems: string[] = [];
  visit(shapeName, input, '', problems);
  if (problems.length > 0) {
    const n = problems.length;
    throw validationException(`${n} validation error${n === 1 ? '' : 's'} detected: ${problems.join('; ')}`);
  }
}

/** Epoch seconds (possibly fractional) as sent on the wire -> epoch milliseconds. */
export function epochSecondsToMs(seconds: number): number {
  return Math.round(seconds * 1000);
}

/** Epoch milliseconds -> epoch seconds as sent on the wire. */
export function msToEpochSeconds(ms: number): number {
  return ms / 1000;
}
