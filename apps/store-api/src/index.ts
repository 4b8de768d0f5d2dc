// The store's HTTP API contract (docs/store-api.md): TypeBox schemas of its requests and answers,
// and their types. The server validates and serializes with the schemas; the web client imports
// the types only (`import type`), so nothing of TypeBox reaches the browser.

export * from './common.js';
export * from './session.js';
export * from './collab.js';
export * from './catalogs.js';
export * from './orders.js';
export * from './stock.js';
export * from './users.js';
export * from './admin.js';
