import { describe, it } from 'vitest';
import { runCollabConformance } from '@vestnik/collab/testing';
import { runStorageConformance } from '@vestnik/storage/testing';
import { postgresUrl, serviceAvailable } from '@vestnik/testing';
import { postgresFixture } from './testing/postgres-fixture.js';

if (await serviceAvailable('postgres')) {
  runStorageConformance(postgresFixture(postgresUrl));
  runCollabConformance(postgresFixture(postgresUrl));
} else {
  describe.skip('storage on postgres (no PostgreSQL here)', () => it('skipped', () => {}));
}
