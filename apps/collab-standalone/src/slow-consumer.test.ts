// A client that stops reading: the server closes it with 4408 once its send buffer passes the
// bound, the server's memory stays bounded meanwhile, and the client recovers everything after.

import { mkdtempSync, rmSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { closeCodes, type Message, type ServerFrame } from '@vestnik/protocol';
import { connect } from '@vestnik/collab-client';
import { issueClientToken } from '@vestnik/collab-server';
import { wsText } from '@vestnik/testing';
import { startServer, TEST_APPLICATION, TEST_SECRET, type ServerProcess } from './testing/index.js';

let dir: string;
let server: ServerProcess;
const BOUND = 256 * 1024;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'vestnik-slow-'));
  server = await startServer({
    VESTNIK_SQLITE_FILE: path.join(dir, 'collab.db'),
    VESTNIK_MAX_BUFFERED_BYTES: String(BOUND),
    // A paused client answers no pings; this test is about the buffer bound, not heartbeats.
    VESTNIK_HEARTBEAT_MS: '600000',
  });
});

afterAll(async () => {
  await server?.kill();
  rmSync(dir, { recursive: true, force: true });
});

it(
  'disconnects a client that stops reading at the bound, keeps memory bounded, and lets it recover',
  { timeout: 60_000 },
  async () => {
    const slow = (await server.api<{ id: string }>('POST', '/users', { externalId: 'slow', name: 'Slow' }))
      .body.id;
    await server.api('POST', '/conversations', { key: 'firehose', participants: [slow] });
    const token = issueClientToken(TEST_SECRET, { userId: slow, application: TEST_APPLICATION }).token;
    const blob = 'x'.repeat(60_000);

    // The client's TCP socket, so that the test can stop reading from it.
    let tcp: Socket | undefined;
    const ws = new WebSocket(server.wsUrl, { perMessageDeflate: false });
    ws.on('upgrade', (response) => (tcp = response.socket));
    const messages: Message[] = [];
    let subscribed = false;
    ws.on('message', (data) => {
      const frame = JSON.parse(wsText(data)) as ServerFrame;
      if (frame.op === 'message') messages.push(frame.message);
      if (frame.op === 'subscribed') subscribed = true;
    });
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(JSON.stringify({ op: 'auth', token }));
    ws.send(JSON.stringify({ op: 'subscribe', id: 's', conversation: { key: 'firehose' }, since: 0 }));
    await waitUntil(() => subscribed);

    // Warm up with a reading client, so that the server's heap has grown to this workload.
    const bigBody = (prefix: string, count: number) =>
      writeMessagesWithData(server, prefix, count, blob).then((acked) => acked);
    const warm = await bigBody('warm', 150);
    await waitUntil(() => messages.length === warm.length);
    const before = server.rss();

    tcp!.pause();
    const flood = await bigBody('flood', 400);
    await new Promise((r) => setTimeout(r, 300));
    const after = server.rss();
    // Unbounded, the server would hold most of the ~24 MB the paused client did not read.
    expect(after - before).toBeLessThan(12 * 1024 * 1024);

    tcp!.resume();
    expect(await closed).toBe(closeCodes.SLOW_CONSUMER.code);
    const all = [...warm, ...flood];
    expect(messages.length).toBeLessThan(all.length);
    expect(messages.map((m) => m.seq)).toEqual(all.slice(0, messages.length).map((m) => m.seq));

    // Reconnecting with the last seq seen brings the rest, each once, in order.
    const client = connect({ url: server.wsUrl, WebSocket, getToken: () => token });
    const rest: Message[] = [];
    // With since, nothing is missed however late the subscribe is answered.
    client.attachNewMessageHandler({ key: 'firehose' }, (m) => rest.push(m), { since: messages.at(-1)!.seq });
    await waitUntil(() => messages.length + rest.length >= all.length, 30_000);
    expect([...messages, ...rest].map((m) => m.seq)).toEqual(all.map((m) => m.seq));
    client.close();
  },
);

async function writeMessagesWithData(
  server: ServerProcess,
  prefix: string,
  count: number,
  blob: string,
): Promise<Message[]> {
  const acked: Message[] = [];
  for (let i = 0; i < count; i++) {
    const answer = await server.api<Message>('POST', '/messages', {
      conversation: { key: 'firehose' },
      text: `${prefix}-${i}`,
      data: { blob },
    });
    expect(answer.status).toBe(201);
    acked.push(answer.body);
  }
  return acked;
}

async function waitUntil(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
