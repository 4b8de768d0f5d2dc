// The in-process broker: the default for one node, and the reference the conformance suite holds
// other brokers to. Several brokers on one bus behave as nodes sharing a real broker.

import type { Broker, BrokerEvent, BrokerListener } from './broker.js';

/** What connects in-process brokers; each broker made without one gets its own. */
export class MemoryBus {
  readonly listeners = new Map<string, Set<BrokerListener>>();
}

export function createMemoryBroker(bus: MemoryBus = new MemoryBus()): Broker {
  const own = new Map<string, BrokerListener>();
  const detach = (conversationId: string) => {
    const listener = own.get(conversationId);
    if (listener === undefined) return;
    own.delete(conversationId);
    const set = bus.listeners.get(conversationId);
    set?.delete(listener);
    if (set?.size === 0) bus.listeners.delete(conversationId);
  };
  return {
    async publish(conversationId: string, event: BrokerEvent) {
      const set = bus.listeners.get(conversationId);
      if (set !== undefined) for (const listener of set) listener(event);
    },
    async subscribe(conversationId: string, listener: BrokerListener) {
      detach(conversationId);
      own.set(conversationId, listener);
      let set = bus.listeners.get(conversationId);
      if (set === undefined) bus.listeners.set(conversationId, (set = new Set()));
      set.add(listener);
    },
    async unsubscribe(conversationId: string) {
      detach(conversationId);
    },
    onResync() {
      // Nothing is ever lost in-process.
    },
    async close() {
      for (const conversationId of [...own.keys()]) detach(conversationId);
    },
  };
}
