import { describe, it } from 'vitest';
import { runBrokerConformance } from '@vestnik/collab/testing';
import { serviceAvailable } from '@vestnik/testing';
import { redisBus } from './testing/redis-bus.js';

if (await serviceAvailable('redis')) {
  runBrokerConformance({
    name: 'redis',
    capabilities: { rawPayloads: true, connectionLoss: true },
    newBus: () => redisBus(),
  });
} else {
  describe.skip('broker redis (no Redis here)', () => it('skipped', () => {}));
}
