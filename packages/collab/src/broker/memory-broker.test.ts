import { runBrokerConformance } from '../testing/broker-conformance.js';
import { createMemoryBroker, MemoryBus } from './memory-broker.js';

runBrokerConformance({
  name: 'memory',
  // Nothing goes over a wire in-process: no payload to corrupt, no connection to lose.
  capabilities: { rawPayloads: false, connectionLoss: false },
  newBus() {
    const bus = new MemoryBus();
    return { connect: () => createMemoryBroker(bus) };
  },
});
