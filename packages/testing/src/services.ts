// Where the tests find PostgreSQL and Redis, and what happens when they are not there: on a
// developer's machine the tests that need them are skipped with a plain message; with
// VESTNIK_REQUIRE_SERVICES=1 (set by CI) a missing service fails the run.

import net from 'node:net';

export const postgresUrl = process.env.VESTNIK_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const redisUrl = process.env.VESTNIK_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const required = process.env.VESTNIK_REQUIRE_SERVICES === '1';

function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port) }, () => {
      socket.end();
      resolve(true);
    });
    socket.setTimeout(2000, () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', () => resolve(false));
  });
}

/**
 * Whether a service answers. When it does not: throws if services are required, else prints
 * why the tests that need it are skipped.
 */
export async function serviceAvailable(service: 'postgres' | 'redis'): Promise<boolean> {
  const url = service === 'postgres' ? postgresUrl : redisUrl;
  if (await reachable(url)) return true;
  const name = service === 'postgres' ? 'PostgreSQL' : 'Redis';
  if (required) {
    throw new Error(`${name} is required (VESTNIK_REQUIRE_SERVICES=1) but does not answer at ${url}`);
  }
  console.warn(`skipped: no ${name} at ${url}; the tests that need it do not run on this machine`);
  return false;
}
