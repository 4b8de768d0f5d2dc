// What the route modules are given: the workflows' context and the settings routes need.

import type { StoreContext } from '../workflows/context.js';

export interface RouteDeps {
  ctx: StoreContext;
  sessionTtlMs: number;
  loginRateLimit: number;
  /** Secret for the collaboration WebSocket's client tokens. */
  tokenSecret: string;
  /** The storage adapter's kind, as the administrator's status shows it. */
  storageKind: string;
  brokerKind: 'memory' | 'redis';
  version: string;
  /** Authenticated collaboration sockets open on this node now. */
  connectedClients: () => number;
}
