// A second process for the two-process test: opens the PostgreSQL schema and Redis prefix it is
// given and writes messages into one conversation from several concurrent writers, then exits.
// Run with tsx: `node --import tsx writer-process.ts` and the VESTNIK_WRITER_* variables set.

import { createCollab } from '@vestnik/collab';
import { createPostgresStorage } from '@vestnik/storage-postgres';
import { postgresUrl, redisUrl } from '@vestnik/testing';
import { createRedisBroker } from '../redis-broker.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set`);
  return value;
};

const schema = env('VESTNIK_WRITER_SCHEMA');
const prefix = env('VESTNIK_WRITER_PREFIX');
const key = env('VESTNIK_WRITER_CONVERSATION');
const writers = Number(env('VESTNIK_WRITER_WRITERS'));
const each = Number(env('VESTNIK_WRITER_EACH'));

const collab = await createCollab({
  storage: createPostgresStorage({ url: postgresUrl, schema, poolSize: writers }),
  broker: createRedisBroker({ url: redisUrl, prefix }),
});
await Promise.all(
  Array.from({ length: writers }, async (_, w) => {
    for (let i = 0; i < each; i++) {
      await collab.createMessage({ conversation: { key }, text: `w${w}-${i}`, data: { w, i } });
    }
  }),
);
// Publishing is not awaited by createMessage: give the last publishes time to leave the process.
await new Promise((r) => setTimeout(r, 200));
await collab.close();
process.stdout.write('done\n');
