// Service faults under two server nodes on the private PostgreSQL and Redis: Redis stopped and
// started again mid-stream, and PostgreSQL restarted mid-stream (a clean and a crash-like
// shutdown). Writers go through both nodes; clients sit on both.

import { afterAll, beforeAll, describe, it } from 'vitest';
import { GatewayCluster } from './support/gateway-cluster.js';
import { runGatewayTrial } from './support/gateway-trial.js';
import { startPrivatePostgres, type PrivatePostgres } from './support/private-postgres.js';
import { startPrivateRedis, type PrivateRedis } from './support/private-redis.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let postgres: PrivatePostgres;
let redis: PrivateRedis;

beforeAll(async () => {
  [postgres, redis] = await Promise.all([startPrivatePostgres(), startPrivateRedis()]);
});

afterAll(async () => {
  await Promise.all([postgres?.dispose(), redis?.dispose()]);
});

async function withCluster(run: (cluster: GatewayCluster) => Promise<void>): Promise<void> {
  if (!redis.running) await redis.start();
  if (!postgres.running) await postgres.start();
  const cluster = await GatewayCluster.start({ nodes: 2, postgres, redisUrl: redis.url });
  try {
    await cluster.populate(4, 2);
    await run(cluster);
  } finally {
    await cluster.close();
  }
}

describe('Redis stopped and started mid-stream (two nodes)', () => {
  for (const [i, timing] of [
    { faultAt: 25, downMs: 200, mode: 'kill' as const },
    { faultAt: 100, downMs: 1500, mode: 'term' as const },
    { faultAt: 180, downMs: 600, mode: 'kill' as const },
  ].entries()) {
    it(`trial ${i + 1}: ${timing.mode} after ${timing.faultAt} messages, down ${timing.downMs} ms`, () =>
      withCluster((cluster) =>
        runGatewayTrial({
          suite: 'Redis stopped and started (two nodes)',
          name: `redis-${i}`,
          cluster,
          faultAt: timing.faultAt,
          async fault() {
            await redis.stop(timing.mode);
            await sleep(timing.downMs);
            await redis.start();
          },
        }),
      ));
  }
});

describe('PostgreSQL restarted mid-stream (two nodes)', () => {
  for (const [i, timing] of [
    { faultAt: 30, mode: 'fast' as const },
    { faultAt: 110, mode: 'immediate' as const },
    { faultAt: 190, mode: 'immediate' as const },
  ].entries()) {
    it(`trial ${i + 1}: ${timing.mode} restart after ${timing.faultAt} messages`, () =>
      withCluster((cluster) =>
        runGatewayTrial({
          suite: 'PostgreSQL restarted (two nodes)',
          name: `postgres-${i}`,
          cluster,
          faultAt: timing.faultAt,
          fault: () => postgres.restart(timing.mode),
        }),
      ));
  }
});
