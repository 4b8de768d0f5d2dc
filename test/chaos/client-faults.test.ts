// Faults on the clients' side: every connection cut abruptly (sockets destroyed, no close frame)
// several times mid-stream; and a consumer that stops reading, which the server must cut off at its
// buffer bound without its own memory growing, and which then recovers everything on reconnect.

import { describe, expect, it } from 'vitest';
import { GatewayCluster } from './support/gateway-cluster.js';
import { runGatewayTrial } from './support/gateway-trial.js';

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
  for (const [i, timing] of [{ faultAt: 10 }, { faultAt: 60 }].entries()) {
    it(`trial ${i + 1}: stops reading at message ${timing.faultAt}, is cut off at the bound, recovers`, async () => {
      const maxBufferedBytes = 64 * 1024;
      const cluster = await GatewayCluster.start({
        nodes: 1,
        env: { VESTNIK_MAX_BUFFERED_BYTES: String(maxBufferedBytes) },
      });
      const count = 500;
      const paddingBytes = 48 * 1024;
      let baseline = 0;
      let peak = 0;
      let sampler: NodeJS.Timeout | undefined;
      try {
        await cluster.populate(2, 2);
        const slow = cluster.clients[0]!;
        const node = cluster.node(0);
        baseline = node.rss();
        sampler = setInterval(() => {
          try {
            peak = Math.max(peak, node.rss());
          } catch {
            // The node is gone; the trial reports it.
          }
        }, 50);
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
            clearInterval(sampler);
            slow.sockets.at(-1)!.resume();
          },
          extraFigures: () => ({ peakMemoryGrowth: Math.max(0, peak - baseline) }),
        });
        // It was cut off as a slow consumer, not merely slow.
        expect(slow.closeCodes).toContain(4408);
        // What it failed to read was far more than the server kept: the server did not buffer it.
        const streamed = (count - timing.faultAt) * paddingBytes;
        expect(peak - baseline).toBeLessThan(streamed / 2);
      } finally {
        clearInterval(sampler);
        await cluster.close();
      }
    });
  }
});
