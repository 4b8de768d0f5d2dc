// kill -9 of server nodes mid-stream: the only node on SQLite, restarted on the same file and port;
// and one of two nodes on PostgreSQL + Redis, whose clients move to the other. Each at three
// different points of the stream.

import { afterAll, beforeAll, describe, it } from 'vitest';
import { GatewayCluster } from './support/gateway-cluster.js';
import { runGatewayTrial } from './support/gateway-trial.js';
import { startPrivatePostgres, type PrivatePostgres } from './support/private-postgres.js';
import { startPrivateRedis, type PrivateRedis } from './support/private-redis.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('kill -9 of the only node (SQLite) and restart', () => {
  for (const [i, timing] of [
    { faultAt: 20, downMs: 0 },
    { faultAt: 110, downMs: 400 },
    { faultAt: 200, downMs: 100 },
  ].entries()) {
    it(`trial ${i + 1}: killed after ${timing.faultAt} messages, restarted ${timing.downMs} ms later`, async () => {
      const cluster = await GatewayCluster.start({ nodes: 1 });
      try {
        await cluster.populate(4, 2);
        await runGatewayTrial({
          suite: 'kill -9 of the only node (SQLite), restart',
          name: `sqlite-kill-${i}`,
          cluster,
          faultAt: timing.faultAt,
          async fault() {
            await cluster.kill(0, 'SIGKILL');
            await sleep(timing.downMs);
            await cluster.restart(0);
          },
        });
      } finally {
        await cluster.close();
      }
    });
  }
});

describe('kill -9 of one of two nodes (PostgreSQL + Redis)', () => {
  let postgres: PrivatePostgres;
  let redis: PrivateRedis;
  beforeAll(async () => {
    [postgres, redis] = await Promise.all([startPrivatePostgres(), startPrivateRedis()]);
  });
  afterAll(async () => {
    await Promise.all([postgres?.dispose(), redis?.dispose()]);
  });

  for (const [i, timing] of [
    { faultAt: 30, victim: 0 },
    { faultAt: 120, victim: 1 },
    { faultAt: 190, victim: 0 },
  ].entries()) {
    it(`trial ${i + 1}: node ${timing.victim} killed after ${timing.faultAt} messages; its clients move`, async () => {
      const cluster = await GatewayCluster.start({ nodes: 2, postgres, redisUrl: redis.url });
      try {
        await cluster.populate(4, 2);
        await runGatewayTrial({
          suite: 'kill -9 of one of two nodes (PostgreSQL + Redis)',
          name: `cluster-kill-${i}`,
          cluster,
          faultAt: timing.faultAt,
          fault: () => cluster.kill(timing.victim, 'SIGKILL'),
        });
      } finally {
        await cluster.close();
      }
    });
  }
});
