// Helpers for the tests of every package: real services, fresh storages.
export * from './services.js';
export * from './storage-fixtures.js';
export * from './redis-bus.js';
export { runBrokerConformance, type BrokerBus, type BrokerFixture } from './broker-conformance.js';
export { runCollabConformance, collector } from './collab-conformance.js';
