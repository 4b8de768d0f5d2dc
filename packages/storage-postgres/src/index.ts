export { createPostgresStorage, type PostgresStorageOptions } from './postgres-storage.js';
export { isSchemaName } from './schema-name.js';
