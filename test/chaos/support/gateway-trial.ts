// One fault trial through real server processes and SDK clients: stream messages, inject the fault
// at a chosen point, then wait for the clients and hold every delivery against storage.

import { expect } from 'vitest';
import { assertClean, checkDeliveries } from './delivery-check.js';
import { recordFigures } from './figures.js';
import type { GatewayCluster } from './gateway-cluster.js';
import { streamMessages, waitUntil } from './message-stream.js';

export interface GatewayTrial {
  suite: string;
  name: string;
  cluster: GatewayCluster;
  count?: number;
  writers?: number;
  paddingBytes?: number;
  /** Acknowledged messages before the fault. */
  faultAt: number;
  fault: () => Promise<void>;
  /** Faults injected by `fault` (several cuts count several). */
  faults?: () => number;
  /** Runs after the stream and the fault, before the verdict (e.g. resume a paused client). */
  afterStream?(): Promise<void>;
  extraFigures?: () => { peakMemoryGrowth?: number };
}

export async function runGatewayTrial(trial: GatewayTrial): Promise<void> {
  const { cluster } = trial;
  const count = trial.count ?? 240;
  const stream = await streamMessages({
    count,
    writers: trial.writers ?? 4,
    pauseMs: 3,
    paddingBytes: trial.paddingBytes,
    recipients: cluster.userIds,
    trial: trial.name,
    atAcked: { count: trial.faultAt, run: trial.fault },
    write: (request) => cluster.write(request),
  });
  await trial.afterStream?.();
  const committed = await cluster.committed();
  const visible = (userId: string) =>
    committed.filter((m) => m.recipients.length === 0 || m.recipients.includes(userId)).length;
  await waitUntil(
    () => cluster.clients.every((c) => c.received.length >= visible(c.userId)),
    () => cluster.clients.map((c) => `${c.name}: ${c.received.length}/${visible(c.userId)}`).join(', '),
    60_000,
  ).catch(() => {
    // The verdict below names exactly what is missing.
  });
  await new Promise((resolve) => setTimeout(resolve, 200)); // room for a late duplicate to show
  const verdict = checkDeliveries(
    committed,
    stream.acked.map((m) => m.id),
    cluster.clients,
  );
  recordFigures({
    suite: trial.suite,
    trials: 1,
    faultsInjected: trial.faults?.() ?? 1,
    messagesAcked: stream.acked.length,
    messagesInFlight: stream.inFlightAtFault,
    deliveriesExpected: verdict.deliveriesExpected,
    deliveriesReceived: verdict.deliveriesReceived,
    lost: verdict.lost,
    duplicated: verdict.duplicated,
    outOfOrder: verdict.outOfOrder,
    wrongUser: verdict.wrongUser,
    phantom: verdict.phantom,
    crashes: cluster.crashes,
    ...trial.extraFigures?.(),
  });
  assertClean(trial.name, verdict);
  expect(stream.acked).toHaveLength(count);
  expect(cluster.crashes, 'nodes that exited without being killed').toBe(0);
}
