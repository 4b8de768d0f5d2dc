import { describe, it } from 'vitest';
import { runCollabConformance } from '../../testing/collab-conformance.js';
import { serviceAvailable } from '../../testing/services.js';
import { postgresFixture } from '../../testing/storage-fixtures.js';

if (await serviceAvailable('postgres')) {
  runCollabConformance(postgresFixture());
} else {
  describe.skip('collab on postgres (no PostgreSQL here)', () => it('skipped', () => {}));
}
