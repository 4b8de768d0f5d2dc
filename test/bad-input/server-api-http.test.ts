// Hostile bodies, queries and path values for every route of the collaboration server's HTTP API
// (taken from its OpenAPI document), with and without the application key, against a real server
// process: a success or a coded error from the catalogue for each, never a 500 or a crash.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isErrorCode } from '@vestnik/protocol';
import { startServer, TEST_APP_KEY, type ServerProcess } from '@vestnik/collab-standalone/testing';
import { recordFigures } from '../chaos/support/figures.js';
import { HttpSession, type Answer } from '../support/http-session.js';
import { describedRoutes, type DescribedRoute, type OpenApiDocument } from '../support/openapi-routes.js';
import {
  brokenBytes,
  cyrillic,
  hostileJson,
  hostileString,
  shapedObject,
  sqlLooking,
} from '../support/hostile-values.js';

let dir: string;
let server: ServerProcess;
let client: HttpSession;
let inputsTried = 0;
let serverErrors = 0;
const ids: string[] = [];
let routes: DescribedRoute[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'vestnik-api-fuzz-'));
  server = await startServer({ VESTNIK_SQLITE_FILE: path.join(dir, 'collab.db') });
  client = new HttpSession(`${server.httpUrl}/collab/api`);
  const user = await server.api<{ id: string }>('POST', '/users', { externalId: 'u1', name: 'Пользователь' });
  const conversation = await server.api<{ id: string }>('POST', '/conversations', {
    key: 'k',
    participants: [user.body.id],
  });
  ids.push(user.body.id, conversation.body.id);
  const doc = (await (await fetch(`${server.httpUrl}/collab/api/openapi.json`)).json()) as OpenApiDocument;
  routes = describedRoutes(doc, '/collab/api');
});

afterAll(async () => {
  const alive = await Promise.race([
    server.exited.then(() => false),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 50)),
  ]);
  recordFigures({
    suite: 'bad input: collaboration server API',
    inputsTried,
    crashes: serverErrors + (alive ? 0 : 1),
  });
  await server?.kill();
  rmSync(dir, { recursive: true, force: true });
});

function checkAnswer(route: string, answer: Answer): void {
  inputsTried++;
  if (answer.status >= 500) serverErrors++;
  expect(answer.status, `${route}: ${answer.text.slice(0, 300)}`).toBeLessThan(500);
  if (answer.status === 431) return; // Node's parser refused an oversized request head
  if (answer.status >= 400) {
    const code = (answer.body as { code?: unknown } | undefined)?.code;
    expect(
      isErrorCode(code),
      `${route} answered ${answer.status} without a catalogue code: ${answer.text.slice(0, 200)}`,
    ).toBe(true);
  }
}

const pathValue = fc.oneof(fc.constantFrom(...ids, '0', '..', '%00'), hostileString);
const query = fc.dictionary(
  fc.constantFrom('asUser', 'after', 'limit', 'x'),
  fc.oneof(
    fc.string({ unit: 'binary', maxLength: 100 }),
    fc.constantFrom(...sqlLooking, ...cyrillic, '-1', '1e99', ...ids),
  ),
  { maxKeys: 3 },
);
const body = (fields: string[]) =>
  fc.oneof(
    { weight: 3, arbitrary: shapedObject(fields).map((json) => ({ json: json })) },
    { weight: 2, arbitrary: hostileJson.map((json) => ({ json })) },
    { weight: 2, arbitrary: brokenBytes.map((raw) => ({ raw })) },
  );

describe('every route of the collaboration server API under hostile input', () => {
  it('answers each request with a success or a coded error, never a 500', { timeout: 120_000 }, async () => {
    expect(routes.length).toBeGreaterThan(8);
    for (const route of routes) {
      const names = [...route.template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
      const params = fc.record(Object.fromEntries(names.map((name) => [name, pathValue])));
      await fc.assert(
        fc.asyncProperty(
          params,
          query,
          route.method === 'GET' || route.method === 'DELETE'
            ? fc.constant({ json: undefined })
            : body(route.fields),
          fc.boolean(),
          async (values, q, payload, withKey) => {
            const search = new URLSearchParams(q).toString();
            const url =
              route.template.replace(/\{(\w+)\}/g, (_, name: string) =>
                encodeURIComponent((values as Record<string, string>)[name] ?? 'x'),
              ) + (search ? `?${search}` : '');
            const headers: Record<string, string> =
              withKey || Math.random() < 0.8 ? { authorization: `Bearer ${TEST_APP_KEY}` } : {};
            const answer = await client.request(route.method, url, {
              headers,
              ...('raw' in payload
                ? { raw: typeof payload.raw === 'string' ? payload.raw : new Uint8Array(payload.raw) }
                : payload.json === undefined
                  ? {}
                  : { body: payload.json }),
            });
            checkAnswer(`${route.method} ${url.slice(0, 200)}`, answer);
            // Without the key nothing succeeds (a request the router refuses first is a 400).
            if (!headers.authorization) expect([400, 401, 404, 431]).toContain(answer.status);
          },
        ),
        { numRuns: 80 },
      );
    }
  });

  it('still serves afterwards', async () => {
    const answer = await server.api<{ id: string }>('GET', `/users/${ids[0]}`);
    expect(answer.status).toBe(200);
  });
});
