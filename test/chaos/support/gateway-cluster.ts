// Collaboration server nodes as real processes (`apps/collab-standalone/src/serve.ts`), on SQLite (one node) or on the
// private PostgreSQL and Redis (several), with SDK clients that follow whichever node is up. The
// trial kills and restarts nodes; a node that exits on its own counts as a crash.

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import type { Message } from '@vestnik/protocol';
import { connect, type CollabClient } from '@vestnik/collab-client';
import { issueClientToken } from '@vestnik/collab-server';
import {
  startServer,
  TEST_APPLICATION,
  TEST_SECRET,
  type ServerProcess,
} from '@vestnik/collab-standalone/testing';
import { onExit, trackProcess } from './cleanup.js';
import type { ReceivedBy } from './delivery-check.js';
import type { WriteRequest } from './message-stream.js';

export interface ClusterOptions {
  nodes: number;
  /** Omitted: one node on a SQLite file. */
  postgres?: { url: string };
  redisUrl?: string;
  /** Extra environment for every node (limits). */
  env?: Record<string, string>;
}

/** One SDK client of the trial, with the sockets it opened (to cut or pause them). */
export interface TrialClient extends ReceivedBy {
  sdk: CollabClient;
  sockets: WebSocket[];
  /** Close codes the client saw before reconnecting. */
  closeCodes: number[];
}

interface Node {
  process: ServerProcess | undefined;
  port: number;
  killedByUs: boolean;
  untrack: () => void;
}

export class GatewayCluster {
  readonly clients: TrialClient[] = [];
  conversationId = '';
  userIds: string[] = [];
  crashes = 0;
  readonly #nodes: Node[] = [];
  readonly #env: Record<string, string>;
  readonly #dir: string;
  readonly #unregister: () => void;

  private constructor(env: Record<string, string>, dir: string) {
    this.#env = env;
    this.#dir = dir;
    this.#unregister = onExit(() => {
      for (const node of this.#nodes) if (node.process) process.kill(node.process.pid, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    });
  }

  static async start(options: ClusterOptions): Promise<GatewayCluster> {
    const tag = randomBytes(4).toString('hex');
    const dir = mkdtempSync(path.join(tmpdir(), 'vestnik-chaos-nodes-'));
    const env: Record<string, string> = options.postgres
      ? {
          DATABASE_URL: options.postgres.url,
          DATABASE_SCHEMA: `chaos_${tag}`,
          ...(options.redisUrl ? { REDIS_URL: options.redisUrl, REDIS_PREFIX: `chaos-${tag}` } : {}),
        }
      : { VESTNIK_SQLITE_FILE: path.join(dir, 'collab.db') };
    const cluster = new GatewayCluster({ ...env, LOG_LEVEL: 'error', ...options.env }, dir);
    // One after the other: the first creates the tables.
    for (let i = 0; i < options.nodes; i++) await cluster.#launch(i);
    return cluster;
  }

  get size(): number {
    return this.#nodes.length;
  }

  isUp(index: number): boolean {
    return this.#nodes[index]?.process !== undefined;
  }

  /** The node with this index if it is up, else the first that is. */
  node(preferred = 0): ServerProcess {
    const wanted = this.#nodes[preferred % this.#nodes.length]?.process;
    if (wanted) return wanted;
    const any = this.#nodes.find((n) => n.process)?.process;
    if (!any) throw new Error('no node is up');
    return any;
  }

  async #launch(index: number): Promise<void> {
    const existing = this.#nodes[index];
    const port = existing?.port;
    const server = await startServer({ ...this.#env, ...(port ? { PORT: String(port) } : {}) });
    const node: Node = {
      process: server,
      port: server.port,
      killedByUs: false,
      untrack: trackProcess(server.pid),
    };
    this.#nodes[index] = node;
    void server.exited.then(() => {
      node.untrack();
      if (!node.killedByUs) this.crashes++;
      if (node.process === server) node.process = undefined;
    });
  }

  /** kill -9 (or another signal) of one node. */
  async kill(index: number, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const node = this.#nodes[index];
    if (!node?.process) return;
    node.killedByUs = true;
    const server = node.process;
    node.process = undefined;
    await server.kill(signal);
  }

  /** Starts a stopped node again on its old port. */
  async restart(index: number): Promise<void> {
    if (this.isUp(index)) return;
    await this.#launch(index);
  }

  /** Users, one conversation with all of them, and `perUser` SDK clients each, spread over the nodes. */
  async populate(users: number, perUser: number): Promise<void> {
    const api = this.node(0);
    for (let i = 0; i < users; i++) {
      const answer = await api.api<{ id: string }>('POST', '/users', {
        externalId: `u${i}`,
        name: `Курьер ${i}`,
      });
      this.userIds.push(answer.body.id);
    }
    const conversation = await api.api<{ id: string }>('POST', '/conversations', {
      key: 'chaos',
      displayed: false,
      participants: this.userIds,
    });
    this.conversationId = conversation.body.id;
    let n = 0;
    for (const userId of this.userIds) {
      for (let k = 0; k < perUser; k++) this.clients.push(this.#client(userId, n++));
    }
    await Promise.all(
      this.clients.map((client) => {
        const subscription = client.sdk.subscribe({ key: 'chaos' });
        subscription.on('message', (m) => client.received.push(m));
        return subscription.ready();
      }),
    );
  }

  #client(userId: string, index: number): TrialClient {
    const sockets: WebSocket[] = [];
    const closeCodes: number[] = [];
    class TrackedWebSocket extends WebSocket {
      constructor(url: string) {
        super(url, { perMessageDeflate: false });
        sockets.push(this);
      }
    }
    const sdk = connect({
      url: () => this.node(index).wsUrl,
      WebSocket: TrackedWebSocket,
      getToken: () => issueClientToken(TEST_SECRET, { userId, application: TEST_APPLICATION }).token,
      reconnect: { minDelayMs: 50, maxDelayMs: 500 },
    });
    sdk.on('reconnecting', ({ code }) => {
      if (code !== undefined) closeCodes.push(code);
    });
    sdk.on('error', () => {});
    return {
      name: `client ${index} (user ${userId})`,
      userId,
      after: 0,
      received: [],
      sdk,
      sockets,
      closeCodes,
    };
  }

  /** Writes one message through a node that is up (the one the request's index picks, if it is). */
  async write(request: WriteRequest): Promise<Message> {
    const answer = await this.node(request.index).api<Message>('POST', '/messages', {
      conversation: { id: this.conversationId },
      text: request.text,
      data: request.data,
      recipients: request.recipients,
      idempotencyKey: request.idempotencyKey,
    });
    if (answer.status !== 201)
      throw new Error(`write answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  /** Every committed message of the conversation, read as each user and merged. */
  async committed(): Promise<Message[]> {
    const byId = new Map<string, Message>();
    for (const userId of this.userIds) {
      let after = 0;
      for (;;) {
        const page = await this.node(0).api<{ messages: Message[]; hasMore: boolean }>(
          'GET',
          `/conversations/${this.conversationId}/messages?asUser=${userId}&after=${after}&limit=200`,
        );
        if (page.status !== 200) throw new Error(`history answered ${page.status}`);
        for (const message of page.body.messages) byId.set(message.id, message);
        if (!page.body.hasMore || page.body.messages.length === 0) break;
        after = page.body.messages.at(-1)!.seq;
      }
    }
    return [...byId.values()].sort((a, b) => a.seq - b.seq);
  }

  async close(): Promise<void> {
    for (const client of this.clients) client.sdk.close();
    for (const [index] of this.#nodes.entries()) await this.kill(index, 'SIGTERM');
    rmSync(this.#dir, { recursive: true, force: true });
    this.#unregister();
  }
}
