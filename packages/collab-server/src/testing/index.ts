// Helpers for tests that run the collaboration server as a real process.
export * from './server-process.js';
export * from './raw-socket.js';
export * from './writer.js';
