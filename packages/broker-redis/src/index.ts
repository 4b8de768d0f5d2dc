export { createRedisBroker, type RedisBrokerOptions } from './redis-broker.js';
