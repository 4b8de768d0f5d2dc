export * from './errors.js';
export * from './refs.js';
export * from './message.js';
export * from './frames.js';
export * from './close-codes.js';
