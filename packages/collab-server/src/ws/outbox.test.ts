// The outbox against a real ws pair: frames sent within a tick wait in the corked socket and leave
// together, in order with ws's own ping and close frames (ws is the one writer); the hard cap tells
// the owner at once; nothing is sent once it is closed.

import http from 'node:http';
import type { Duplex } from 'node:stream';
import { afterEach, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { wsText } from '@vestnik/testing';
import { Outbox, type OutboxOwner } from './outbox.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

class Owner implements OutboxOwner {
  overflows = 0;
  readonly #ws: WebSocket;
  constructor(ws: WebSocket) {
    this.#ws = ws;
  }
  canWrite(): boolean {
    return this.#ws.readyState === WebSocket.OPEN;
  }
  overflowed(): void {
    this.overflows++;
  }
}

/** A server-side WebSocket with the socket its upgrade handed over, and a client that logs what it gets. */
async function pair(): Promise<{ ws: WebSocket; socket: Duplex; client: WebSocket; log: string[] }> {
  const server = http.createServer();
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const accepted = new Promise<{ ws: WebSocket; socket: Duplex }>((resolve) =>
    server.on('upgrade', (request, socket, head) =>
      wss.handleUpgrade(request, socket, head, (ws) => resolve({ ws, socket })),
    ),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const client = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: false });
  const log: string[] = [];
  client.on('message', (data, isBinary) =>
    log.push(`${isBinary ? 'binary' : 'text'} ${wsText(data).length}`),
  );
  client.on('ping', () => log.push('ping'));
  client.on('close', (code) => log.push(`close ${code}`));
  const { ws, socket } = await accepted;
  await new Promise((resolve) => client.once('open', resolve));
  cleanups.push(() => {
    client.terminate();
    ws.terminate();
    wss.close();
    server.close();
  });
  return { ws, socket, client, log };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(condition()).toBe(true);
}

it('sends a tick’s frames together, in order with ws’s own ping and close frames', async () => {
  const { ws, socket, log } = await pair();
  const outbox = new Outbox(ws, socket, 1024 * 1024, new Owner(ws));
  const shared = Buffer.from(JSON.stringify({ text: 'x'.repeat(300) }));
  outbox.push(Buffer.from('{"a":1}'));
  outbox.push(shared);
  ws.ping();
  outbox.push(Buffer.from(JSON.stringify({ text: 'y'.repeat(70_000) })));
  outbox.push(shared);
  ws.close(4000);
  // Everything waits in the corked socket until the tick's flush: one writev for all of it.
  expect(socket.writableCorked).toBe(1);
  expect(outbox.bufferedBytes).toBeGreaterThan(70_000);
  await new Promise((resolve) => setImmediate(resolve));
  expect(socket.writableCorked).toBe(0);
  await until(() => log.includes('close 4000'));
  expect(log).toEqual([
    'text 7',
    `text ${shared.length}`,
    'ping',
    'text 70011',
    `text ${shared.length}`,
    'close 4000',
  ]);
});

it('tells its owner at once when a tick sends more than four times the bound', async () => {
  const { ws, socket, log } = await pair();
  const owner = new Owner(ws);
  const outbox = new Outbox(ws, socket, 10_000, owner);
  outbox.push(Buffer.from(JSON.stringify({ text: 'x'.repeat(30_000) })));
  expect(owner.overflows).toBe(0);
  outbox.push(Buffer.from(JSON.stringify({ text: 'x'.repeat(30_000) })));
  expect(owner.overflows).toBe(1);
  expect(outbox.closed).toBe(true);
  expect(outbox.hasRoom).toBe(true);
  // Closed: nothing more is sent, and what was sent still reaches the client.
  outbox.push(Buffer.from('{"late":true}'));
  await until(() => log.length === 2);
  await new Promise((r) => setTimeout(r, 50));
  expect(log).toEqual(['text 30011', 'text 30011']);
});

it('sends nothing once the WebSocket is closing', async () => {
  const { ws, socket, log } = await pair();
  const outbox = new Outbox(ws, socket, 1024 * 1024, new Owner(ws));
  outbox.push(Buffer.from('{"first":true}'));
  ws.close(4001);
  outbox.push(Buffer.from('{"after":"close"}'));
  await until(() => log.includes('close 4001'));
  expect(log).toEqual(['text 14', 'close 4001']);
});
