// A refused body's answer reaches the client: without drainRefusedBody, Node closes the socket
// with the body's rest unread, and the reset often beats the 413 (fetch failed, EPIPE). The drain
// is bounded in bytes and in time.

import http from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { drainRefusedBody } from './refused-body.js';

let app: FastifyInstance;
let url: string;

beforeAll(async () => {
  app = Fastify({ bodyLimit: 1024 });
  app.addHook('onSend', drainRefusedBody({ maxBytes: 4 * 1024 * 1024, timeoutMs: 300 }));
  app.post('/echo', async (request) => request.body);
  await app.listen({ host: '127.0.0.1', port: 0 });
  url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/echo`;
});

afterAll(async () => {
  await app.close();
});

it('answers a refused body once the rest of it has come in, and closes without a reset', async () => {
  let secondHalfAt = 0;
  const answer = await new Promise<{ status: number; text: string; at: number }>((resolve, reject) => {
    const request = http.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': 2 * 1024 * 1024 },
    });
    request.on('response', (response) => {
      const at = Date.now();
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text, at }));
    });
    // Without the drain the answer comes before the second half, and the close resets the socket.
    request.on('error', reject);
    request.write('x'.repeat(1024 * 1024));
    setTimeout(() => {
      secondHalfAt = Date.now();
      request.end('x'.repeat(1024 * 1024));
    }, 200);
  });
  expect(answer.status).toBe(413);
  expect(JSON.parse(answer.text)).toMatchObject({ code: 'FST_ERR_CTP_BODY_TOO_LARGE' });
  expect(secondHalfAt).toBeGreaterThan(0);
  expect(answer.at).toBeGreaterThanOrEqual(secondHalfAt);
});

it('answers fetch with a 413 it reads, every time', async () => {
  const body = JSON.stringify({ text: 'y'.repeat(2 * 1024 * 1024) });
  for (let i = 0; i < 10; i++) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ code: 'FST_ERR_CTP_BODY_TOO_LARGE' });
  }
});

it('waits for the rest of a refused body no longer than its time bound', async () => {
  const started = Date.now();
  const status = await new Promise<number>((resolve, reject) => {
    const request = http.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': 1024 * 1024 },
    });
    request.on('response', (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', reject);
    // A tenth of the announced body, then nothing: the client stalls.
    request.write('x'.repeat(100 * 1024));
  });
  expect(status).toBe(413);
  expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  expect(Date.now() - started).toBeLessThan(5000);
});

it('stops reading a refused body past its byte bound', async () => {
  // A body without an announced length that never ends: the server answers and closes once it has
  // dropped its bound (the client may see the answer or a reset), instead of reading for ever.
  let sent = 0;
  const ended = await new Promise<string>((resolve) => {
    const request = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json' } });
    request.on('response', (response) => {
      response.resume();
      resolve(`answered ${response.statusCode}`);
    });
    request.on('error', () => resolve('reset'));
    request.on('close', () => resolve('closed'));
    const chunk = 'x'.repeat(64 * 1024);
    const pump = (): void => {
      while (sent < 64 * 1024 * 1024 && !request.destroyed) {
        sent += chunk.length;
        if (!request.write(chunk)) {
          request.once('drain', pump);
          return;
        }
      }
    };
    pump();
  });
  expect(ended).toMatch(/answered 413|reset|closed/);
  expect(sent).toBeLessThan(64 * 1024 * 1024);
});

it('answers an injected request at once (its body is never on a wire)', async () => {
  const started = Date.now();
  const response = await app.inject({ method: 'POST', url: '/echo', payload: { text: 'x'.repeat(5000) } });
  expect(response.statusCode).toBe(413);
  expect(Date.now() - started).toBeLessThan(250);
});
