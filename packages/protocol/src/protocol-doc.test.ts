// docs/protocol.md lists exactly the error codes of the catalogue and the close codes of the
// close-code table, with the same numbers, statuses and reconnect advice.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { closeCodes } from './close-codes.js';
import { errorCatalogue } from './errors.js';

const doc = readFileSync(new URL('../../../docs/protocol.md', import.meta.url), 'utf8');

function section(title: string): string[][] {
  const start = doc.indexOf(`\n## ${title}\n`);
  expect(start, `docs/protocol.md has a "## ${title}" section`).toBeGreaterThanOrEqual(0);
  const end = doc.indexOf('\n## ', start + 1);
  const body = doc.slice(start, end < 0 ? undefined : end);
  return body
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|\s*-/.test(line))
    .slice(1) // the header row
    .map((line) =>
      line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim().replaceAll('`', '')),
    );
}

describe('docs/protocol.md', () => {
  it('lists exactly the catalogue’s error codes, with their HTTP statuses', () => {
    const rows = section('Error codes');
    const documented = Object.fromEntries(rows.map(([code, status]) => [code!, Number(status)]));
    const catalogue = Object.fromEntries(Object.entries(errorCatalogue).map(([code, e]) => [code, e.status]));
    expect(documented).toEqual(catalogue);
  });

  it('lists exactly the close codes of the code, with their names, errors and reconnect advice', () => {
    const rows = section('Close codes');
    const documented = rows.map(([code, name, error, reconnect]) => ({
      code: Number(code),
      name,
      error: error || undefined,
      reconnect: reconnect!.startsWith('yes'),
    }));
    const table = Object.entries(closeCodes).map(([name, info]) => ({
      code: info.code,
      name,
      error: 'error' in info ? info.error : undefined,
      reconnect: info.reconnect,
    }));
    expect(documented).toEqual(table);
  });
});
