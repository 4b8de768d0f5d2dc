// The collaboration core under service faults: two in-process nodes over a private PostgreSQL and a
// private Redis, each a writer and a host of subscribers, while Redis is killed and restarted or
// PostgreSQL is restarted mid-stream. Every committed message must reach every participant it is
// addressed to, once, in order, on both nodes.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertClean, checkDeliveries } from './support/delivery-check.js';
import { startCollabCluster } from './support/collab-cluster.js';
import { recordFigures } from './support/figures.js';
import { streamMessages, waitUntil } from './support/message-stream.js';
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

interface Trial {
  suite: string;
  name: string;
  /** Injects the fault once the stream is under way. */
  fault(): Promise<void>;
  /** Acknowledged messages before the fault. */
  faultAt: number;
}

async function runTrial(trial: Trial): Promise<void> {
  const cluster = await startCollabCluster({
    postgresUrl: postgres.url,
    redisUrl: redis.url,
    nodes: 2,
    users: 4,
  });
  try {
    const stream = await streamMessages({
      count: 240,
      writers: 4,
      pauseMs: 4,
      recipients: cluster.userIds,
      trial: trial.name,
      atAcked: { count: trial.faultAt, run: () => trial.fault() },
      write: (request) =>
        cluster.nodes[request.index % cluster.nodes.length]!.createMessage({
          conversation: { id: cluster.conversationId },
          text: request.text,
          data: request.data,
          recipients: request.recipients,
          idempotencyKey: request.idempotencyKey,
        }),
    });
    const committed = await cluster.committed();
    const expectedFor = (userId: string) =>
      committed.filter((m) => m.recipients.length === 0 || m.recipients.includes(userId)).length;
    await waitUntil(
      () => cluster.subscribers.every((s) => s.received.length >= expectedFor(s.userId)),
      () =>
        cluster.subscribers.map((s) => `${s.name}: ${s.received.length}/${expectedFor(s.userId)}`).join(', '),
    ).catch(() => {
      // The verdict below says exactly what is missing.
    });
    await sleep(200); // let anything extra (a duplicate) arrive before the verdict
    const verdict = checkDeliveries(
      committed,
      stream.acked.map((m) => m.id),
      cluster.subscribers,
    );
    recordFigures({
      suite: trial.suite,
      trials: 1,
      faultsInjected: 1,
      messagesAcked: stream.acked.length,
      messagesInFlight: stream.inFlightAtFault,
      ...verdict,
      crashes: 0,
    });
    assertClean(trial.name, verdict);
    expect(stream.acked.length).toBe(240);
  } finally {
    await cluster.close();
  }
}

describe('core: Redis stopped and started mid-stream', () => {
  for (const [i, timing] of [
    { faultAt: 20, downMs: 300 },
    { faultAt: 80, downMs: 1200 },
    { faultAt: 160, downMs: 50 },
  ].entries()) {
    it(`trial ${i + 1}: down after ${timing.faultAt} messages for ${timing.downMs} ms`, async () => {
      await runTrial({
        suite: 'core: Redis stopped and started',
        name: `redis-${i}`,
        faultAt: timing.faultAt,
        async fault() {
          await redis.stop(i % 2 === 0 ? 'kill' : 'term');
          await sleep(timing.downMs);
          await redis.start();
        },
      });
    });
  }
});

describe('core: PostgreSQL restarted mid-stream', () => {
  for (const [i, timing] of [
    { faultAt: 30, mode: 'fast' as const },
    { faultAt: 100, mode: 'immediate' as const },
    { faultAt: 180, mode: 'immediate' as const },
  ].entries()) {
    it(`trial ${i + 1}: ${timing.mode} restart after ${timing.faultAt} messages`, async () => {
      await runTrial({
        suite: 'core: PostgreSQL restarted',
        name: `postgres-${i}`,
        faultAt: timing.faultAt,
        fault: () => postgres.restart(timing.mode),
      });
    });
  }
});
