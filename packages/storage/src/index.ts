export type { Storage, StorageCapabilities, StorageErrorKind } from './storage.js';
export { classifyingDialect, markStorageError, storageErrorKind } from './classified-errors.js';
export { runMigrations, type MigrationSet } from './migrator.js';
export { compiledQuery, type CompiledQueryDefinition } from './compiled-query.js';
