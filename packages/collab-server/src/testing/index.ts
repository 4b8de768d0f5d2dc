// Helpers for tests that talk to the gateway frame by frame.
export * from './raw-socket.js';
