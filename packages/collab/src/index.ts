export * from './model.js';
export * from './limits.js';
export {
  createCollab,
  Collab,
  type CollabOptions,
  type SubscribeInput,
  type Subscription,
  type OpeningSubscription,
} from './service/collab.js';
export { CollabTransaction } from './service/collab-transaction.js';
export type { CollabDatabase } from './storage/schema.js';
export type { Broker, BrokerEvent, BrokerListener } from './broker/broker.js';
export { parseBrokerEvent } from './broker/broker-event.js';
export { createMemoryBroker, MemoryBus } from './broker/memory-broker.js';
