// docs/store-api.md lists exactly the store's own error codes (apps/store/src/errors.ts) with their
// statuses, and names the collaboration system's codes the store answers with their statuses.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorCatalogue, isErrorCode } from '@vestnik/protocol';
import { storeErrors } from './errors.js';

const doc = readFileSync(new URL('../../../docs/store-api.md', import.meta.url), 'utf8');

/** The table rows (code, status) between a heading and the next heading. */
function codeRows(heading: string): Array<[string, number]> {
  const start = doc.indexOf(`\n${heading}\n`);
  expect(start, `docs/store-api.md has a "${heading}" section`).toBeGreaterThanOrEqual(0);
  const end = doc.slice(start + heading.length + 2).search(/\n#{2,3} /);
  const body = doc.slice(start, end < 0 ? undefined : start + heading.length + 2 + end);
  return [...body.matchAll(/^\| `([A-Z_]+)` +\| (\d{3}) /gm)].map(([, code, status]) => [
    code!,
    Number(status),
  ]);
}

describe('docs/store-api.md', () => {
  it('lists exactly the store’s own error codes, with their statuses', () => {
    const documented = Object.fromEntries(codeRows("### The store's own codes"));
    const declared = Object.fromEntries(
      storeErrors.codes.map((code) => [code, storeErrors.definitions[code].status]),
    );
    expect(documented).toEqual(declared);
  });

  it('names only protocol codes, with their statuses, among the collaboration system’s', () => {
    const rows = codeRows('## Errors');
    expect(rows.length).toBeGreaterThan(8);
    for (const [code, status] of rows) {
      expect(isErrorCode(code), `${code} is a protocol code`).toBe(true);
      expect(errorCatalogue[code as keyof typeof errorCatalogue].status, code).toBe(status);
    }
  });
});
