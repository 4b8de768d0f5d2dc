// The WebSocket gateway of one node: takes upgrades on `{prefix}/ws`, keeps the connections and
// their per-user counts, and pings them to find dead peers.

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ResolvedOptions } from '../options.js';
import { ClientConnection, type ConnectionHost } from './connection.js';

export class Gateway implements ConnectionHost {
  readonly options: ResolvedOptions;
  readonly path: string;
  readonly #wss: WebSocketServer;
  readonly #connections = new Set<ClientConnection>();
  readonly #perUser = new Map<string, number>();
  readonly #admitted = new Set<ClientConnection>();
  /** Sockets not yet closed, including those whose close handshake is under way. */
  readonly #sockets = new Set<WebSocket>();
  readonly #heartbeat: NodeJS.Timeout;
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
  }

  /** Authenticated sockets (those still waiting for their token are not counted). */
  get size(): number {
    return this.#admitted.size;
  }

  /** Takes the upgrade if it is for the gateway's path; returns false to leave it to others. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== this.path) return false;
    const token = url.searchParams.get('token') ?? undefined;
    this.#wss.handleUpgrade(request, socket, head, (ws) => {
      this.#sockets.add(ws);
      ws.on('close', () => this.#sockets.delete(ws));
      const connection = new ClientConnection(ws, socket, this, token);
      if (ws.readyState === ws.OPEN) this.#connections.add(connection);
    });
    return true;
  }

  admit(connection: ClientConnection, userId: string): boolean {
    const count = this.#perUser.get(userId) ?? 0;
    if (count >= this.options.limits.maxConnectionsPerUser) return false;
    this.#perUser.set(userId, count + 1);
    this.#admitted.add(connection);
    return true;
  }

  release(connection: ClientConnection): void {
    this.#connections.delete(connection);
    if (!this.#admitted.delete(connection)) return;
    const userId = connection.userId!;
    const count = (this.#perUser.get(userId) ?? 1) - 1;
    if (count <= 0) this.#perUser.delete(userId);
    else this.#perUser.set(userId, count);
  }

  logError(error: unknown, context: string): void {
    this.#log(error, context);
  }

  /** Closes every socket with 1001 (clients reconnect, to another node if there is one). */
  async close(): Promise<void> {
    clearInterval(this.#heartbeat);
    const connections = [...this.#connections];
    for (const connection of connections) connection.close('GOING_AWAY', 'The server is shutting down.');
    // Peers get a moment to answer the close; those that do not are dropped.
    for (let i = 0; i < 20 && this.#sockets.size > 0; i++) await new Promise((r) => setTimeout(r, 50));
    for (const ws of this.#sockets) ws.terminate();
    this.#wss.close();
  }
}
