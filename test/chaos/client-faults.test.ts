// Faults on the clients' side: every connection cut abruptly (sockets destroyed, no close frame)
// several times mid-stream; and a consumer that stops reading, which the server must cut off at its
// buffer bound without its own memory growing, and which then recovers everything on reconnect.

import { beforeAll, describe, expect, it } from 'vitest';
import { GatewayCluster } from './support/gateway-cluster.js';
import { runGatewayTrial } from './support/gateway-trial.js';
import { streamMessages } from './support/message-stream.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('client connections destroyed in bulk', () => {
  for (const [i, timing] of [
    { faultAt: 20, cuts: 1, gapMs: 0 },
    { faultAt: 80, cuts: 3, gapMs: 150 },
    { faultAt: 150, cuts: 2, gapMs: 40 },
  ].entries()) {
    it(`trial ${i + 1}: all sockets cut ${timing.cuts} time(s) from message ${timing.faultAt}`, async () => {
      const cluster = await GatewayCluster.start({ nodes: 1 });
      let cut = 0;
      try {
        await cluster.populate(4, 3);
        await runGatewayTrial({
          suite: 'client connections destroyed in bulk',
          name: `cut-${i}`,
          cluster,
          faultAt: timing.faultAt,
          async fault() {
            for (let k = 0; k < timing.cuts; k++) {
              for (const client of cluster.clients) {
                const socket = client.sockets.at(-1);
                if (socket && socket.readyState === socket.OPEN) {
                  socket.terminate();
                  cut++;
                }
              }
              await sleep(timing.gapMs);
            }
          },
          faults: () => cut,
        });
        expect(cut).toBeGreaterThanOrEqual(cluster.clients.length);
      } finally {
        await cluster.close();
      }
    });
  }
});

describe('a slow consumer', () => {
  const maxBufferedBytes = 64 * 1024;
  const count = 500;
  const paddingBytes = 60 * 1024;
  const env = { VESTNIK_MAX_BUFFERED_BYTES: String(maxBufferedBytes) };

  /** Samples the node's resident memory until stopped; answers the peak growth. */
  function memorySampler(cluster: GatewayCluster): { stop(): number } {
    const node = cluster.node(0);
    const baseline = node.rss();
    let peak = baseline;
    const timer = setInterval(() => {
      try {
        peak = Math.max(peak, node.rss());
      } catch {
        // The node is gone; the trial reports that.
      }
    }, 50);
    return {
      stop() {
        clearInterval(timer);
        return peak - baseline;
      },
    };
  }

  // The same stream with every client reading: how much the node grows from the traffic alone.
  let control = 0;
  beforeAll(async () => {
    const cluster = await GatewayCluster.start({ nodes: 1, env });
    try {
      await cluster.populate(2, 2);
      const sampler = memorySampler(cluster);
      await streamMessages({
        count,
        writers: 2,
        paddingBytes,
        recipients: cluster.userIds,
        trial: 'slow-control',
        write: (request) => cluster.write(request),
      });
      control = sampler.stop();
    } finally {
      await cluster.close();
    }
  });

  for (const [i, timing] of [{ faultAt: 10 }, { faultAt: 90 }].entries()) {
    it(`trial ${i + 1}: stops reading at message ${timing.faultAt}, is cut off at the bound, recovers`, async () => {
      const cluster = await GatewayCluster.start({ nodes: 1, env });
      let growth = 0;
      try {
        await cluster.populate(2, 2);
        const slow = cluster.clients[0]!;
        // Memory is watched while the consumer is stalled and the stream goes on past it.
        const sampler = memorySampler(cluster);
        await runGatewayTrial({
          suite: 'slow consumer cut off at the bound, recovers on reconnect',
          name: `slow-${i}`,
          cluster,
          count,
          writers: 2,
          paddingBytes,
          faultAt: timing.faultAt,
          async fault() {
            slow.sockets.at(-1)!.pause();
          },
          async afterStream() {
            growth = sampler.stop();
            slow.sockets.at(-1)!.resume();
          },
          extraFigures: () => ({ peakMemoryGrowth: growth }),
        });
        // It was cut off as a slow consumer (close code 4408), and then got everything (the
        // trial's verdict above).
        expect(slow.closeCodes).toContain(4408);
        // The node did not keep what the consumer failed to read: had it buffered even half, it
        // would have grown that much beyond the same traffic with everyone reading.
        const unread = (count - timing.faultAt) * paddingBytes;
        expect(growth).toBeLessThan(control + unread / 2);
      } finally {
        await cluster.close();
      }
    });
  }
});
