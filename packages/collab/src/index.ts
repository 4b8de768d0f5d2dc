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
export type { Storage, StorageCapabilities } from './storage/storage.js';
export type { CollabDatabase } from './storage/schema.js';
export { classifyStorageError, type StorageErrorKind } from './storage/classify-error.js';
export { runCompiled } from './storage/compiled-query.js';
export { runMigrations, type MigrationSet } from './storage/migrator.js';
export { createSqliteStorage, type SqliteStorageOptions } from './storage/sqlite/sqlite-storage.js';
export { createPostgresStorage, type PostgresStorageOptions } from './storage/postgres/postgres-storage.js';
export type { Broker, BrokerEvent, BrokerListener } from './broker/broker.js';
export { createMemoryBroker, MemoryBus } from './broker/memory-broker.js';
export { createRedisBroker, type RedisBrokerOptions } from './broker/redis-broker.js';
