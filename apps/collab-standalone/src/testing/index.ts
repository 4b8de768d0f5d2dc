// Helpers for tests that run the standalone collaboration server as a real process.
export * from './server-process.js';
export * from './writer.js';
