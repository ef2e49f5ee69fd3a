import { readFileSync } from 'fs';
import { join } from 'path';
import { ERROR_EXAMPLES, row, WARNING_EXAMPLES } from './doc-examples';

/** The README's validation tables show real messages; this keeps them real. */
const doc = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

describe('README validation tables', () => {
  test.each(ERROR_EXAMPLES.map((e) => [`${e.rule}: ${e.example}`, e] as const))('error row %s', (_name, example) => {
    expect(example.issues()).toHaveLength(1);
    expect(doc).toContain(row(example));
  });

  test.each(WARNING_EXAMPLES.map((e) => [`${e.rule}: ${e.example}`, e] as const))('warning row %s', (_name, example) => {
    expect(example.issues()).toHaveLength(1);
    expect(doc).toContain(row(example));
  });
});
