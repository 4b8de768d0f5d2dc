export * from './errors.js';
export * from './refs.js';
export * from './message.js';
