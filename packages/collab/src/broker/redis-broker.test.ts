import { describe, it } from 'vitest';
import { runBrokerConformance } from '../testing/broker-conformance.js';
import { redisBus } from '../testing/redis-bus.js';
import { serviceAvailable } from '../testing/services.js';

if (await serviceAvailable('redis')) {
  runBrokerConformance({
    name: 'redis',
    capabilities: { rawPayloads: true, connectionLoss: true },
    newBus: () => redisBus(),
  });
} else {
  describe.skip('broker redis (no Redis here)', () => it('skipped', () => {}));
}
