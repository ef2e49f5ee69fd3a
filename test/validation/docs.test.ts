import { readFileSync } from 'fs';
import { join } from 'path';
import { ERROR_EXAMPLES, row, WARNING_EXAMPLES } from './doc-examples';

/** docs/validation-rules.md shows real messages; this keeps them real. */
const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'validation-rules.md'), 'utf8');

describe('docs/validation-rules.md', () => {
  test.each(ERROR_EXAMPLES.map((e) => [`${e.rule}: ${e.example}`, e] as const))('error row %s', (_name, example) => {
    expect(example.issues()).toHaveLength(1);
    expect(doc).toContain(row(example));
  });

  test.each(WARNING_EXAMPLES.map((e) => [`${e.rule}: ${e.example}`, e] as const))('warning row %s', (_name, example) => {
    expect(example.issues()).toHaveLength(1);
    expect(doc).toContain(row(example));
  });
});
