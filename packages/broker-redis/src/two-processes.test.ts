// Two processes sharing PostgreSQL and Redis: a subscriber here receives everything a writer in a
// child process writes, in order, exactly once.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createCollab } from '@vestnik/collab';
import { collector } from '@vestnik/collab/testing';
import { postgresFixture } from '@vestnik/storage-postgres/testing';
import { postgresUrl, redisUrl, serviceAvailable } from '@vestnik/testing';
import { createRedisBroker } from './redis-broker.js';
import { newRedisPrefix } from './testing/redis-bus.js';

const writerScript = fileURLToPath(new URL('./testing/writer-process.ts', import.meta.url));

function runWriter(env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writerScript], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`writer exited with ${code}: ${err}`)),
    );
  });
}

const available = (await serviceAvailable('postgres')) && (await serviceAvailable('redis'));

describe.skipIf(!available)('two processes sharing PostgreSQL and Redis', () => {
  const fixture = postgresFixture(postgresUrl);
  afterAll(() => fixture.dispose());

  it('a subscriber here receives what another process writes, in order, exactly once', async () => {
    const { storage, schema } = await fixture.create();
    const prefix = newRedisPrefix();
    const collab = await createCollab({ storage, broker: createRedisBroker({ url: redisUrl, prefix }) });
    try {
      await collab.register({ applicationName: 'two-processes' });
      const reader = await collab.createUser({ externalId: 'reader', name: 'Reader' });
      await collab.createConversation({ key: 'shared', participants: [reader.id] });
      const got = collector();
      await collab.subscribe({ conversation: { key: 'shared' }, asUser: reader.id, ...got });

      const writers = 4;
      const each = 50;
      const out = await runWriter({
        VESTNIK_WRITER_SCHEMA: schema,
        VESTNIK_WRITER_PREFIX: prefix,
        VESTNIK_WRITER_CONVERSATION: 'shared',
        VESTNIK_WRITER_WRITERS: String(writers),
        VESTNIK_WRITER_EACH: String(each),
      });
      expect(out).toContain('done');
      const total = writers * each;
      await got.waitFor(total, 20_000);
      await new Promise((r) => setTimeout(r, 200)); // anything extra would show up now
      expect(got.messages.map((m) => m.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
      const texts = new Set(got.messages.map((m) => m.text));
      expect(texts.size).toBe(total);
      for (let w = 0; w < writers; w++) for (let i = 0; i < each; i++) expect(texts).toContain(`w${w}-${i}`);
    } finally {
      await collab.close();
    }
  });
});
