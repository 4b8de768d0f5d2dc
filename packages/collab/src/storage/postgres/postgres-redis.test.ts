// The collaboration conformance suite as several nodes run it: PostgreSQL shared, events through
// Redis (each test its own schema and its own channel prefix).

import { describe, it } from 'vitest';
import { runCollabConformance } from '../../testing/collab-conformance.js';
import { redisBus } from '../../testing/redis-bus.js';
import { serviceAvailable } from '../../testing/services.js';
import { postgresFixture } from '../../testing/storage-fixtures.js';

if ((await serviceAvailable('postgres')) && (await serviceAvailable('redis'))) {
  runCollabConformance(postgresFixture(), () => {
    const bus = redisBus();
    return () => bus.connect();
  });
} else {
  describe.skip('collab on postgres with redis (no PostgreSQL or Redis here)', () => it('skipped', () => {}));
}
