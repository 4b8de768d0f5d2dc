// The conformance suites that every adapter package runs in its own tests (they import vitest:
// load this module from tests only), and the small helpers they share.

export { runCollabConformance } from './collab-conformance.js';
export { runBrokerConformance, type BrokerBus, type BrokerFixture } from './broker-conformance.js';
export { collector } from './collector.js';
export { interceptBacklogReads, interceptSubscriptions } from './intercept.js';
