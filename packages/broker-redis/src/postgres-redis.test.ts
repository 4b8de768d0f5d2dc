// The collaboration conformance suite as several nodes run it: PostgreSQL shared, events through
// Redis (each test its own schema and its own channel prefix).

import { describe, it } from 'vitest';
import { runCollabConformance } from '@vestnik/collab/testing';
import { postgresFixture } from '@vestnik/storage-postgres/testing';
import { postgresUrl, serviceAvailable } from '@vestnik/testing';
import { redisBus } from './testing/redis-bus.js';

if ((await serviceAvailable('postgres')) && (await serviceAvailable('redis'))) {
  runCollabConformance(postgresFixture(postgresUrl), () => {
    const bus = redisBus();
    return () => bus.connect();
  });
} else {
  describe.skip('collab on postgres with redis (no PostgreSQL or Redis here)', () => it('skipped', () => {}));
}
