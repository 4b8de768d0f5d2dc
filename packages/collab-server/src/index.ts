export * from './auth/client-token.js';
