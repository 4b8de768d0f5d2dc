// The WebSocket gateway of one node: takes upgrades on `{prefix}/ws`, keeps the connections and
// their per-user counts, pings them to find dead peers, and closes those whose token expired (one
// sweep for all sockets rather than a timer each).

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { ResolvedOptions } from '../options.js';
import { ClientConnection, type ConnectionHost } from './connection.js';

export class Gateway implements ConnectionHost {
  readonly options: ResolvedOptions;
  readonly path: string;
  readonly #wss: WebSocketServer;
  /** Sockets not yet closed, including those whose close handshake is under way. */
  readonly #connections = new Set<ClientConnection>();
  readonly #perUser = new Map<string, number>();
  /** Connections counted in #perUser (authenticated and admitted). */
  readonly #admitted = new WeakSet<ClientConnection>();
  #admittedCount = 0;
  readonly #heartbeat: NodeJS.Timeout;
  readonly #expirySweep: NodeJS.Timeout;
  /** No token expires before this (epoch ms): the sweep visits the sockets only from then on. */
  #nextExpiry = Infinity;
  readonly #log: (error: unknown, context: string) => void;

  constructor(options: ResolvedOptions, path: string, log: (error: unknown, context: string) => void) {
    this.options = options;
    this.path = path;
    this.#log = log;
    this.#wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.limits.maxFrameBytes,
      perMessageDeflate: false,
      clientTracking: false,
    });
    this.#heartbeat = setInterval(() => {
      for (const connection of this.#connections) {
        try {
          connection.ping();
        } catch (error) {
          this.#log(error, 'gateway heartbeat');
        }
      }
    }, options.limits.heartbeatMs);
    this.#heartbeat.unref();
    // Tokens carry whole seconds; checking every second closes an expired socket within a second.
    this.#expirySweep = setInterval(() => this.#sweepExpired(), Math.min(1000, options.limits.heartbeatMs));
    this.#expirySweep.unref();
  }

  /** Authenticated sockets open now. */
  get size(): number {
    return this.#admittedCount;
  }

  expiresAt(expiresAt: number): void {
    if (expiresAt < this.#nextExpiry) this.#nextExpiry = expiresAt;
  }

  #sweepExpired(): void {
    const now = Date.now();
    if (now < this.#nextExpiry) return;
    let next = Infinity;
    for (const connection of this.#connections) {
      try {
        if (!connection.expireIfDue(now) && connection.expiresAt < next) next = connection.expiresAt;
      } catch (error) {
        this.#log(error, 'gateway token expiry');
      }
    }
    this.#nextExpiry = next;
  }

  /** Takes the upgrade if it is for the gateway's path; returns false to leave it to others. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== this.path) return false;
    const token = url.searchParams.get('token') ?? undefined;
    this.#wss.handleUpgrade(request, socket, head, (ws) => {
      // ws writes every frame to `socket`; the connection's outbox only corks it for a tick.
      const connection = new ClientConnection(ws, socket, this, token);
      if (ws.readyState !== ws.CLOSED) this.#connections.add(connection);
    });
    return true;
  }

  admit(connection: ClientConnection, userId: string): boolean {
    const count = this.#perUser.get(userId) ?? 0;
    if (count >= this.options.limits.maxConnectionsPerUser) return false;
    this.#perUser.set(userId, count + 1);
    this.#admitted.add(connection);
    this.#admittedCount++;
    return true;
  }

  release(connection: ClientConnection): void {
    if (!this.#admitted.delete(connection)) return;
    this.#admittedCount--;
    const userId = connection.userId;
    const count = (this.#perUser.get(userId) ?? 1) - 1;
    if (count <= 0) this.#perUser.delete(userId);
    else this.#perUser.set(userId, count);
  }

  forget(connection: ClientConnection): void {
    this.#connections.delete(connection);
  }

  logError(error: unknown, context: string): void {
    this.#log(error, context);
  }

  /** Closes every socket with 1001 (clients reconnect, to another node if there is one). */
  async close(): Promise<void> {
    clearInterval(this.#heartbeat);
    clearInterval(this.#expirySweep);
    const connections = [...this.#connections];
    for (const connection of connections) connection.close('GOING_AWAY', 'The server is shutting down.');
    // Peers get a moment to answer the close; those that do not are dropped.
    for (let i = 0; i < 20 && this.#connections.size > 0; i++) await new Promise((r) => setTimeout(r, 50));
    for (const connection of this.#connections) connection.terminate();
    this.#wss.close();
  }
}
