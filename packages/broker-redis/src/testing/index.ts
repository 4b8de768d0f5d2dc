// For the tests of every package that need Redis: brokers under a private prefix.
export { newRedisPrefix, redisBus } from './redis-bus.js';
