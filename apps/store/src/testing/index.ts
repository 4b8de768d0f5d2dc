// For the tests of other packages (the web client's end-to-end tests) and of the whole system
// (test/): the store as a real process.
export { startStoreProcess, type StoreProcess, type StoreProcessOptions } from './store-process.js';
