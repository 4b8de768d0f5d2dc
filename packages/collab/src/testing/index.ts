// Helpers for the tests of every package: real services, fresh storages. Kept free of the test
// runner so that benchmarks and child processes can use them (the conformance suites are not here).
export * from './services.js';
export * from './storage-fixtures.js';
export * from './redis-bus.js';
export * from './collector.js';
export * from './tcp-link.js';
