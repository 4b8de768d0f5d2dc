// The store as a library: build it in-process (tests, other hosts) or read its configuration.
export { buildStoreApp, storeVersion, type StoreApp, type StoreOverrides } from './app.js';
export { loadConfig, type StoreConfig } from './config.js';
export { ConfigError } from '@vestnik/collab-server';
export { storeErrors, type StoreErrorCode } from './errors.js';
export { serviceConversationKey } from './modules/notifications/service-conversation.js';
