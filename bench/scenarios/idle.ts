// Scenario 3, idle connections: N connected clients (joined to the room; for Vestnik authenticated
// and subscribed) doing nothing. Server RSS and heap per connection, each measured after a full GC.

import { scaled, sleep, type BenchContext, type Figure, type Scenario } from '../lib/context.js';
import { connectMany, explain, type ServerName, type Subscriber } from '../targets/target.js';

export interface IdleFigures {
  connections: number;
  baselineRssMb: number;
  loadedRssMb: number;
  rssPerConnectionKb: number;
  heapPerConnectionKb: number;
  connectSeconds: number;
}

export const idle: Scenario = {
  name: 'idle',
  title: 'Idle connections',
  async run(context: BenchContext): Promise<void> {
    const connections = scaled(context, 10_000, 10);
    const raw: Partial<Record<ServerName, IdleFigures | { gap: string }>> = {};
    const perConnection: Figure = {
      scenario: 'idle',
      metric: `server RSS per idle connection, ${connections} connections`,
      unit: 'KB',
      better: 'lower',
      values: {},
    };
    const heap: Figure = {
      ...perConnection,
      metric: `server heap per idle connection, ${connections} connections`,
      values: {},
    };
    for (const kind of context.kinds) {
      const gap = await kind.unavailable();
      if (gap !== null) {
        raw[kind.name] = { gap };
        perConnection.gaps = { ...perConnection.gaps, [kind.name]: gap };
        heap.gaps = { ...heap.gaps, [kind.name]: gap };
        continue;
      }
      const target = await kind.start({ subscribers: connections, cpuProfileDir: context.profileDir });
      let subs: Subscriber[] = [];
      let delivered = 0;
      try {
        await sleep(300);
        const before = await target.server.gc();
        const t0 = Date.now();
        subs = await connectMany(connections, 200, (i) => target.connectSubscriber(i, () => delivered++));
        const connectSeconds = (Date.now() - t0) / 1000;
        await sleep(1000);
        const after = await target.server.gc();
        if (delivered !== 0) throw new Error(`idle ${kind.name}: ${delivered} unexpected deliveries`);
        const closed = subs.filter((s) => s.closed).length;
        if (closed > 0) throw new Error(`idle ${kind.name}: ${closed} connections were closed`);
        const result: IdleFigures = {
          connections,
          baselineRssMb: before.rss / 1048576,
          loadedRssMb: after.rss / 1048576,
          rssPerConnectionKb: (after.rss - before.rss) / connections / 1024,
          heapPerConnectionKb: (after.heapUsed - before.heapUsed) / connections / 1024,
          connectSeconds,
        };
        raw[kind.name] = result;
        perConnection.values[kind.name] = result.rssPerConnectionKb;
        heap.values[kind.name] = result.heapPerConnectionKb;
        context.log(
          `  idle ${kind.name.padEnd(8)} ${connections} connections in ${connectSeconds.toFixed(1)}s: ` +
            `RSS ${result.baselineRssMb.toFixed(0)} -> ${result.loadedRssMb.toFixed(0)} MB, ` +
            `${result.rssPerConnectionKb.toFixed(1)} KB RSS and ${result.heapPerConnectionKb.toFixed(1)} KB heap per connection`,
        );
      } catch (error) {
        throw explain(error, target);
      } finally {
        for (const s of subs) s?.destroy();
        await target.stop();
      }
    }
    context.results.figures.push(perConnection, heap);
    context.results.scenarios.idle = raw;
  },
};
