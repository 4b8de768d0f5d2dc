// Thousands of hostile WebSocket frames against a real gateway process: malformed JSON, wrong
// types, unknown operations, huge numbers, deep nesting, oversized frames, invalid UTF-8, binary.
// Each is answered with an error frame carrying a catalogue code, or the socket is closed with a
// documented close code; the server never crashes and goes on serving other clients. Text and
// data in Cyrillic and any other Unicode come back from the gateway exactly as written.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { closeCodes, isErrorCode, type Json, type Message, type ServerFrame } from '@vestnik/protocol';
import { connect, type CollabClient } from '@vestnik/collab-client';
import { issueClientToken } from '@vestnik/collab-server';
import { openRaw, type RawSocket } from '@vestnik/collab-server/testing';
import {
  startServer,
  TEST_APPLICATION,
  TEST_SECRET,
  type ServerProcess,
} from '@vestnik/collab-standalone/testing';
import { recordFigures } from '../chaos/support/figures.js';
import {
  brokenBytes,
  cyrillic,
  deepJsonText,
  hostileJson,
  shapedObject,
  sqlLooking,
} from '../support/hostile-values.js';

const maxFrameBytes = 16 * 1024;
const documentedCloses = new Set<number>(Object.values(closeCodes).map((c) => c.code));
const answers = new Set([
  'error',
  'pong',
  'subscribed',
  'unsubscribed',
  'history-page',
  'authenticated',
  'message',
]);

let dir: string;
let server: ServerProcess;
let alice: string;
let bob: string;
let inputsTried = 0;
const closesSeen = new Map<number, number>();
const clients: CollabClient[] = [];

const token = (userId: string) =>
  issueClientToken(TEST_SECRET, { userId, application: TEST_APPLICATION }).token;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'vestnik-frames-'));
  server = await startServer({
    VESTNIK_SQLITE_FILE: path.join(dir, 'collab.db'),
    VESTNIK_MAX_FRAME_BYTES: String(maxFrameBytes),
  });
  alice = (await server.api<{ id: string }>('POST', '/users', { externalId: 'alice', name: 'Алиса' })).body
    .id;
  bob = (await server.api<{ id: string }>('POST', '/users', { externalId: 'bob', name: 'Боб' })).body.id;
  await server.api('POST', '/conversations', { key: 'fuzz', participants: [alice, bob] });
});

afterAll(async () => {
  recordFigures({
    suite: 'bad input: WebSocket frames',
    inputsTried,
    crashes: server && (await alive()) ? 0 : 1,
  });
  for (const client of clients) client.close();
  await server?.kill();
  rmSync(dir, { recursive: true, force: true });
});

async function alive(): Promise<boolean> {
  return Promise.race([
    server.exited.then(() => false),
    new Promise<boolean>((r) => setTimeout(() => r(true), 50)),
  ]);
}

async function authenticated(userId = alice): Promise<RawSocket> {
  const socket = await openRaw(server.wsUrl);
  socket.send({ op: 'auth', token: token(userId) });
  await socket.next((f) => f.op === 'welcome');
  return socket;
}

type Input = { text: string } | { bytes: Buffer; binary: boolean };

/** Sends one hostile frame, then a ping; checks everything that came back before the pong. */
async function probe(socket: RawSocket, input: Input, n: number): Promise<'open' | 'closed'> {
  inputsTried++;
  const before = socket.frames.length;
  if ('text' in input) socket.ws.send(input.text);
  else socket.ws.send(input.bytes, { binary: input.binary });
  const marker = `probe-${n}`;
  if (socket.ws.readyState === WebSocket.OPEN) socket.send({ op: 'ping', id: marker });
  const outcome = await Promise.race([
    socket
      .next((f) => f.op === 'pong' && (f as { id?: string }).id === marker, 15_000)
      .then(() => 'open' as const),
    socket.closed.then(() => 'closed' as const),
  ]);
  for (const frame of socket.frames.slice(before)) checkFrame(frame);
  if (outcome === 'closed') {
    const { code } = await socket.closed;
    closesSeen.set(code, (closesSeen.get(code) ?? 0) + 1);
    expect(documentedCloses.has(code), `undocumented close code ${code}`).toBe(true);
  }
  return outcome;
}

function checkFrame(frame: ServerFrame): void {
  expect(answers.has(frame.op), `unexpected frame ${JSON.stringify(frame).slice(0, 200)}`).toBe(true);
  if (frame.op === 'error')
    expect(isErrorCode(frame.code), `error without a catalogue code: ${frame.code}`).toBe(true);
}

const ops = fc.constantFrom(
  'auth',
  'subscribe',
  'unsubscribe',
  'history',
  'ping',
  'publish',
  'PING',
  '',
  '__proto__',
);
const conversationRef = fc.oneof(
  fc.record({ key: fc.oneof(fc.constantFrom('fuzz', 'nope', ...sqlLooking), fc.string()) }),
  fc.record({ id: fc.oneof(fc.string(), fc.integer()) }),
  hostileJson,
);

/** Frames that parse as JSON objects with an op, aimed at the protocol's fields. */
const framed = fc
  .tuple(ops, shapedObject(['id', 'token', 'since', 'after', 'limit', 'conversationId']), conversationRef)
  .map(([op, fields, conversation]) => JSON.stringify({ ...fields, op, conversation }));

const input: fc.Arbitrary<Input> = fc.oneof(
  { weight: 5, arbitrary: framed.map((text) => ({ text })) },
  { weight: 2, arbitrary: hostileJson.map((value) => ({ text: JSON.stringify(value) ?? 'null' })) },
  {
    weight: 2,
    arbitrary: brokenBytes.map((raw) =>
      typeof raw === 'string' ? { text: raw } : { bytes: raw, binary: false },
    ),
  },
  { weight: 1, arbitrary: deepJsonText.map((text) => ({ text: text.slice(0, maxFrameBytes - 1) })) },
  {
    weight: 1,
    arbitrary: fc.uint8Array({ maxLength: 64 }).map((b) => ({ bytes: Buffer.from(b), binary: true })),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: maxFrameBytes + 1, max: maxFrameBytes * 4 })
      .map((size) => ({ text: JSON.stringify({ op: 'ping', id: 'x'.repeat(size) }) })),
  },
);

describe('hostile WebSocket frames against a real gateway', () => {
  it(
    'are each answered with a coded error or a documented close, never a crash',
    { timeout: 120_000 },
    async () => {
      let socket = await authenticated();
      let n = 0;
      await fc.assert(
        fc.asyncProperty(input, async (frame) => {
          if ((await probe(socket, frame, n++)) === 'closed') socket = await authenticated();
        }),
        { numRuns: 2500 },
      );
      socket.ws.close();
      expect(await alive()).toBe(true);
    },
  );

  it('before authentication, anything but auth closes the socket with 4401', async () => {
    await fc.assert(
      fc.asyncProperty(input, async (frame) => {
        const socket = await openRaw(server.wsUrl);
        expect(await probe(socket, frame, -1)).toBe('closed');
        const { code } = await socket.closed;
        expect([4401, 1009, 1007]).toContain(code);
      }),
      { numRuns: 150 },
    );
  });

  it('the server goes on serving other clients', async () => {
    const client = connect({ url: server.wsUrl, WebSocket, getToken: () => token(bob) });
    clients.push(client);
    const got: Message[] = [];
    const subscription = client.subscribe({ key: 'fuzz' });
    subscription.on('message', (m) => got.push(m));
    await subscription.ready();
    await server.api('POST', '/messages', { conversation: { key: 'fuzz' }, text: 'still here' });
    await waitFor(() => got.length === 1);
    expect(got[0]!.text).toBe('still here');
    expect(await alive()).toBe(true);
  });
});

describe('text and data through the gateway', () => {
  it('Cyrillic and any Unicode text and data, and SQL-looking strings, arrive exactly as written', async () => {
    const client = connect({ url: server.wsUrl, WebSocket, getToken: () => token(bob) });
    clients.push(client);
    const got: Message[] = [];
    const subscription = client.subscribe({ key: 'fuzz' });
    subscription.on('message', (m) => got.push(m));
    await subscription.ready();
    // U+0000 is refused on every storage (PostgreSQL cannot keep it); everything else must round-trip.
    const text = fc
      .oneof(
        fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }),
        fc.constantFrom(...cyrillic, ...sqlLooking),
      )
      .filter((t) => !t.includes('\u0000'));
    // Keys `__proto__` and `constructor` are refused by the HTTP API's JSON parser (prototype
    // poisoning), with a coded 400; fast-check likes to generate them.
    const data = fc.jsonValue({ maxDepth: 3 }).filter((value) => {
      const json = JSON.stringify(value);
      return json.length < 8000 && !json.includes('\\u0000') && !/"(__proto__|constructor)":/.test(json);
    });
    await fc.assert(
      fc.asyncProperty(text, data, async (t, d) => {
        inputsTried++;
        const before = got.length;
        const written = await server.api<Message>('POST', '/messages', {
          conversation: { key: 'fuzz' },
          text: t,
          data: d as Json,
        });
        expect(written.status).toBe(201);
        await waitFor(() => got.length > before);
        const received = got[before]!;
        expect(received.text).toBe(t);
        // -0 becomes 0 in JSON on every hop; compare as JSON does.
        expect(JSON.stringify(received.data)).toBe(JSON.stringify(d));
        const stored = await server.api<{ messages: Message[] }>(
          'GET',
          `/conversations/${received.conversationId}/messages?asUser=${bob}&after=${received.seq - 1}&limit=1`,
        );
        expect(stored.body.messages[0]!.text).toBe(t);
      }),
      { numRuns: 150 },
    );
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
