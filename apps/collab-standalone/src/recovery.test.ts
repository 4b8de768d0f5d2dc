// Delivery that survives a crash: kill -9 of the server while messages stream, restart on the same
// SQLite file; and recipients that never reach anyone else, live or in history.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Message } from '@vestnik/protocol';
import { connect, type CollabClient } from '@vestnik/collab-client';
import { issueClientToken } from '@vestnik/collab-server';
import {
  startServer,
  TEST_APPLICATION,
  TEST_SECRET,
  writeMessages,
  type ServerProcess,
} from './testing/index.js';

let dir: string;
let server: ServerProcess;
const clients: CollabClient[] = [];

const client = (userId: string) => {
  const c = connect({
    url: () => server.wsUrl,
    WebSocket,
    getToken: () => issueClientToken(TEST_SECRET, { userId, application: TEST_APPLICATION }).token,
    reconnect: { minDelayMs: 50, maxDelayMs: 500 },
  });
  clients.push(c);
  return c;
};

const user = async (externalId: string) =>
  (await server.api<{ id: string }>('POST', '/users', { externalId, name: externalId })).body.id;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'vestnik-recovery-'));
  server = await startServer({ VESTNIK_SQLITE_FILE: path.join(dir, 'collab.db') });
});

afterAll(async () => {
  for (const c of clients) c.close();
  await server?.kill();
  rmSync(dir, { recursive: true, force: true });
});

describe('a crash of the server', () => {
  it('kill -9 while messages stream: every acknowledged message reaches every subscriber once, in order', async () => {
    const alice = await user('alice');
    const bob = await user('bob');
    await server.api('POST', '/conversations', { key: 'stream', participants: [alice, bob] });
    const received = new Map<string, Message[]>([
      [alice, []],
      [bob, []],
    ]);
    for (const id of [alice, bob]) {
      const subscription = client(id).subscribe({ key: 'stream' });
      subscription.on('message', (m) => received.get(id)!.push(m));
      await subscription.ready();
    }
    const total = 200;
    const writer = writeMessages(() => server, {
      conversation: { key: 'stream' },
      count: total,
      prefix: 'm',
    });
    await waitUntil(() => writer.acked.length >= 60);
    const port = server.port;
    await server.kill('SIGKILL');
    const ackedBeforeCrash = writer.acked.length;
    server = await startServer({ VESTNIK_SQLITE_FILE: path.join(dir, 'collab.db'), PORT: String(port) });
    await writer.done;
    expect(ackedBeforeCrash).toBeLessThan(total);
    for (const messages of received.values()) {
      await waitUntil(() => messages.length >= total, 30_000);
      await new Promise((r) => setTimeout(r, 100));
      expect(messages.map((m) => m.text)).toEqual(writer.acked.map((m) => m.text));
      expect(messages.map((m) => m.seq)).toEqual(writer.acked.map((m) => m.seq));
      expect(new Set(messages.map((m) => m.id)).size).toBe(total);
    }
  });
});

describe('recipients', () => {
  it('reach only their recipients, live and in history', async () => {
    const [a, b, c] = [await user('ra'), await user('rb'), await user('rc')];
    await server.api('POST', '/conversations', { key: 'private', participants: [a, b, c] });
    const live = new Map<string, string[]>([
      [a, []],
      [b, []],
      [c, []],
    ]);
    const sdk = new Map<string, CollabClient>();
    for (const id of [a, b, c]) {
      const cl = client(id);
      sdk.set(id, cl);
      const subscription = cl.subscribe({ key: 'private' });
      subscription.on('message', (m) => live.get(id)!.push(m.text));
      await subscription.ready();
    }
    const send = (text: string, recipients?: string[]) =>
      server.api('POST', '/messages', { conversation: { key: 'private' }, text, recipients });
    await send('to a', [a]);
    await send('to b', [b]);
    await send('to a and c', [a, c]);
    await send('to everyone');
    const expected = new Map([
      [a, ['to a', 'to a and c', 'to everyone']],
      [b, ['to b', 'to everyone']],
      [c, ['to a and c', 'to everyone']],
    ]);
    const conversation = await server.api<{ id: string }>('GET', '/conversations/by-key/private');
    for (const [id, texts] of expected) {
      await waitUntil(() => live.get(id)!.length >= texts.length);
      await new Promise((r) => setTimeout(r, 50));
      expect(live.get(id)).toEqual(texts);
      const viaSocket = await sdk.get(id)!.history({ key: 'private' }, { after: 0, limit: 100 });
      expect(viaSocket.messages.map((m) => m.text)).toEqual(texts);
      const viaApi = await server.api<{ messages: Message[] }>(
        'GET',
        `/conversations/${conversation.body.id}/messages?asUser=${id}&limit=100`,
      );
      expect(viaApi.body.messages.map((m) => m.text)).toEqual(texts);
    }
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
