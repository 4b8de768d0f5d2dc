// Drives Vestnik's standalone collab server (apps/collab-standalone/src/serve.ts) on SQLite in
// a temp dir: users and the conversation are written into the database before the server starts,
// clients authenticate with a signed token and subscribe by key, messages go in through the server API.

import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createCollab } from '@vestnik/collab';
import { createSqliteStorage } from '@vestnik/storage-sqlite';
import { issueClientToken } from '@vestnik/collab-server';
import { notificationContent, scanMarkers } from '../lib/order-notification.js';
import { RawWebSocket } from '../lib/raw-websocket.js';
import { freePort } from '@vestnik/testing';
import { REPO_ROOT, ServerProcess } from '../lib/server-process.js';
import {
  HOST,
  ROOM,
  waitFor,
  type DeliveryHandler,
  type Publisher,
  type StartOptions,
  type Subscriber,
  type SubscribeOptions,
  type Target,
  type Client,
  type Endpoint,
  type TargetKind,
  profileFlags,
} from './target.js';

const SERVE = path.join(REPO_ROOT, 'apps/collab-standalone/src/serve.ts');
const SECRET = 'bench-token-secret-0123456789abcdef';
const APPLICATION_KEY = 'bench-application-key';
const APPLICATION = 'bench';
const SEQ = Buffer.from('"seq":');
const OP_MESSAGE = Buffer.from('{"op":"message"');
const CURSOR = /"cursor":(\d+)/;

/** What the server must hold before it starts: the users and the one conversation they share. */
async function prepareDatabase(file: string, subscribers: number): Promise<string[]> {
  const collab = await createCollab({ storage: createSqliteStorage({ file }) });
  try {
    await collab.register({ applicationName: APPLICATION });
    const userIds: string[] = [];
    await collab.transaction(async (tx) => {
      for (let i = 0; i < subscribers; i++) {
        userIds.push((await tx.createUser({ externalId: `courier-${i}`, name: `Courier ${i}` })).id);
      }
      await tx.createConversation({ key: ROOM, title: 'Couriers', displayed: false, participants: userIds });
    });
    return userIds;
  } finally {
    await collab.close();
  }
}

class VestnikSubscriber implements Subscriber {
  readonly ws: RawWebSocket;
  readonly #cursor: { lastSeq: number };

  constructor(ws: RawWebSocket, cursor: { lastSeq: number }) {
    this.ws = ws;
    this.#cursor = cursor;
  }

  get lastSeq(): number {
    return this.#cursor.lastSeq;
  }

  get closed(): boolean {
    return this.ws.closed;
  }

  destroy(): void {
    this.ws.destroy();
  }
}

class VestnikClient implements Client {
  readonly name = 'vestnik' as const;
  readonly endpoint: Endpoint;
  protected readonly agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  /** Problems the server reported in frames; a scenario's checks fail on the deliveries they cost. */
  readonly problems: string[] = [];

  constructor(endpoint: Endpoint) {
    this.endpoint = endpoint;
  }

  async connectSubscriber(
    index: number,
    onDelivery: DeliveryHandler,
    options: SubscribeOptions = {},
  ): Promise<Subscriber> {
    const userId = this.endpoint.userIds?.[index];
    if (userId === undefined) throw new Error(`vestnik: no user for subscriber ${index}`);
    const { token } = issueClientToken(SECRET, { userId, application: APPLICATION, ttlSeconds: 3600 });
    const subscribed = waitFor('vestnik subscribe');
    let isSubscribed = false;
    const cursor = { lastSeq: options.since ?? 0 };
    const ws = await RawWebSocket.connect({
      host: HOST,
      port: this.endpoint.port,
      path: `/collab/ws?token=${encodeURIComponent(token)}`,
      onClose: options.onClose,
      onFrame: (frame) => {
        if (frame.subarray(0, OP_MESSAGE.length).equals(OP_MESSAGE)) {
          const at = frame.indexOf(SEQ);
          const seq = at >= 0 ? readInt(frame, at + SEQ.length) : -1;
          cursor.lastSeq = seq;
          scanMarkers(frame, (n, t) => onDelivery(n, t, seq));
          return;
        }
        const text = frame.toString();
        if (text.startsWith('{"op":"subscribed"')) {
          // Messages after the cursor follow; it is where a resubscribe starts if none arrive.
          cursor.lastSeq = Number(CURSOR.exec(text)?.[1] ?? cursor.lastSeq);
          isSubscribed = true;
          subscribed.done();
        } else if (text.startsWith('{"op":"welcome"') || text.startsWith('{"op":"pong"')) {
          // expected
        } else {
          if (this.problems.length < 20) this.problems.push(text.slice(0, 300));
          if (!isSubscribed) subscribed.fail(new Error(`vestnik: ${text.slice(0, 300)}`));
        }
      },
    });
    ws.sendText(
      JSON.stringify({
        op: 'subscribe',
        id: 's',
        conversation: { key: ROOM },
        ...(options.since !== undefined ? { since: options.since } : {}),
      }),
    );
    await subscribed.promise;
    return new VestnikSubscriber(ws, cursor);
  }

  async openPublisher(): Promise<Publisher> {
    let outstanding = 0;
    let failure: Error | undefined;
    let idle: (() => void) | undefined;
    const settle = (): void => {
      outstanding--;
      if (outstanding === 0) idle?.();
    };
    return {
      publish: (n) => {
        outstanding++;
        const body = JSON.stringify({ conversation: { key: ROOM }, ...notificationContent(n) });
        const request = http.request(
          {
            host: HOST,
            port: this.endpoint.port,
            path: '/collab/api/messages',
            method: 'POST',
            agent: this.agent,
            headers: {
              authorization: `Bearer ${APPLICATION_KEY}`,
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
            },
          },
          (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (c: Buffer) => chunks.push(c));
            response.on('end', () => {
              if (response.statusCode !== 201) {
                failure ??= new Error(
                  `vestnik publish ${n}: ${response.statusCode} ${Buffer.concat(chunks).toString().slice(0, 300)}`,
                );
                console.error(failure.message);
              }
              settle();
            });
          },
        );
        request.on('error', (error) => {
          failure ??= error;
          settle();
        });
        request.end(body);
      },
      flush: async () => {
        if (outstanding > 0) await new Promise<void>((resolve) => (idle = resolve));
        if (failure !== undefined) throw failure;
      },
      close: () => this.agent.destroy(),
    };
  }
}

class VestnikTarget extends VestnikClient implements Target {
  readonly server: ServerProcess;
  readonly #dir: string;

  constructor(server: ServerProcess, userIds: string[], dir: string) {
    super({ name: 'vestnik', port: server.port, userIds });
    this.server = server;
    this.#dir = dir;
  }

  async stop(): Promise<void> {
    this.agent.destroy();
    await this.server.stop();
    await rm(this.#dir, { recursive: true, force: true });
  }
}

function readInt(buf: Buffer, at: number): number {
  let n = 0;
  let c = buf[at]!;
  while (c >= 0x30 && c <= 0x39) {
    n = n * 10 + (c - 0x30);
    c = buf[++at]!;
  }
  return n;
}

export const vestnikKind: TargetKind = {
  name: 'vestnik',
  label: 'Vestnik',
  async unavailable() {
    if (!existsSync(SERVE)) return 'the gateway (apps/collab-standalone/src/serve.ts) is not merged yet';
    return null;
  },
  async start(options: StartOptions): Promise<Target> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vestnik-bench-'));
    const file = path.join(dir, 'collab.db');
    const userIds = await prepareDatabase(file, options.subscribers);
    const server = await ServerProcess.start({
      name: 'vestnik',
      script: SERVE,
      port: await freePort(),
      env: {
        VESTNIK_SQLITE_FILE: file,
        VESTNIK_TOKEN_SECRET: SECRET,
        VESTNIK_APPLICATION_KEY: APPLICATION_KEY,
        VESTNIK_APPLICATION: APPLICATION,
        LOG_LEVEL: 'warn',
      },
      nodeFlags: profileFlags(options),
    });
    return new VestnikTarget(server, userIds, dir);
  },
  client: (endpoint) => new VestnikClient(endpoint),
};
