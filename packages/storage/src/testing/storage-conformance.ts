// The conformance suite every Storage adapter runs (as Hono's routers share one suite): what the
// port promises beyond the queries themselves. The collaboration system's own suite
// (`@vestnik/collab/testing`) checks its invariants on top of it.

import { afterAll, describe } from 'vitest';
import { compiledQuerySuite } from './compiled-query-suite.js';
import { errorsSuite } from './errors-suite.js';
import { migratorSuite } from './migrator-suite.js';
import type { StorageFixture } from './storage-fixture.js';

export function runStorageConformance(fixture: StorageFixture): void {
  describe(`storage port on ${fixture.name}`, () => {
    afterAll(() => fixture.dispose());
    migratorSuite(fixture);
    compiledQuerySuite(fixture);
    errorsSuite(fixture);
  });
}
