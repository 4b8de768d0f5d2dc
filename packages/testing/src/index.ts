// Test support shared by every package, kept free of the test runner and of Vestnik's own packages
// (so any package may use it without a cycle): where the real services are, and whether they answer.

export * from './ports.js';
export * from './services.js';
export * from './tcp-link.js';
export * from './ws-text.js';
