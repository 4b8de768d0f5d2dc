// Helpers for the tests of every package: real services, fresh storages.
export * from './services.js';
export * from './storage-fixtures.js';
