// Scenario 2, latency at a fixed load below everyone's saturation: half of Socket.IO's maximum
// deliveries per second (from the fan-out run, or measured here). p50/p99/max from the payload's timestamp.

import { performance } from 'node:perf_hooks';
import { DeliveryLedger, percentile } from '../lib/delivery-ledger.js';
import { scaled, sleep, type BenchContext, type Figure, type Scenario } from '../lib/context.js';
import { socketIoKind } from '../targets/socketio-target.js';
import {
  connectMany,
  explain,
  type Publisher,
  type ServerName,
  type Subscriber,
  type Target,
} from '../targets/target.js';
import { burst, type FanoutFigures } from './fanout.js';

export interface LatencyFigures {
  subscribers: number;
  messagesPerSecond: number;
  deliveriesPerSecond: number;
  messages: number;
  deliveries: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

const SUBSCRIBERS = 1000;
const SECONDS = 5;
/** Seconds of the same load before latencies count: JIT and buffers settle first. */
const WARM_UP_SECONDS = 1;

export const latency: Scenario = {
  name: 'latency',
  title: 'Latency at a fixed load',
  async run(context: BenchContext): Promise<void> {
    const subscribers = scaled(context, SUBSCRIBERS, 10);
    const socketIoMax = await socketIoMaximum(context, subscribers);
    // Half of Socket.IO's saturation, as messages per second into the one room.
    const messagesPerSecond = Math.max(1, Math.floor(socketIoMax / 2 / subscribers));
    const messages = Math.max(10, Math.round(messagesPerSecond * SECONDS * Math.min(1, context.scale * 2)));
    context.log(
      `  latency load: ${messagesPerSecond} msg/s x ${subscribers} subscribers = ${messagesPerSecond * subscribers} deliveries/s ` +
        `(Socket.IO max ${Math.round(socketIoMax)}/s)`,
    );
    const raw: Partial<Record<ServerName, LatencyFigures | { gap: string }>> = {};
    const figures: Figure[] = ['p50', 'p99', 'max'].map((p) => ({
      scenario: 'latency',
      metric: `${p} latency at ${messagesPerSecond * subscribers} deliveries/s (${subscribers} subscribers)`,
      unit: 'ms',
      better: 'lower' as const,
      values: {},
    }));
    for (const kind of context.kinds) {
      const gap = await kind.unavailable();
      if (gap !== null) {
        raw[kind.name] = { gap };
        for (const f of figures) f.gaps = { ...f.gaps, [kind.name]: gap };
        continue;
      }
      const target = await kind.start({ subscribers, cpuProfileDir: context.profileDir });
      try {
        const result = await measureLatency(target, subscribers, messages, messagesPerSecond);
        raw[kind.name] = result;
        figures[0]!.values[kind.name] = result.p50Ms;
        figures[1]!.values[kind.name] = result.p99Ms;
        figures[2]!.values[kind.name] = result.maxMs;
        context.log(
          `  latency ${kind.name.padEnd(8)} ${messages} msgs at ${messagesPerSecond}/s: ` +
            `p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms, max ${result.maxMs.toFixed(2)} ms`,
        );
      } catch (error) {
        throw explain(error, target);
      } finally {
        await target.stop();
      }
    }
    context.results.figures.push(...figures);
    context.results.scenarios.latency = { socketIoMaxDeliveriesPerSecond: socketIoMax, ...raw };
  },
};

/** Socket.IO's saturation in deliveries per second, from the fan-out figures or a short burst. */
async function socketIoMaximum(context: BenchContext, subscribers: number): Promise<number> {
  const fanout = context.results.scenarios.fanout as Record<string, { socketio?: FanoutFigures }> | undefined;
  const known = fanout?.[String(subscribers)]?.socketio?.deliveriesPerSecond;
  if (known !== undefined) return known;
  const target = await socketIoKind.start({ subscribers });
  try {
    const messages = 200;
    const ledger = new DeliveryLedger(subscribers, messages);
    const subs = await connectMany(subscribers, 200, (i) =>
      target.connectSubscriber(i, (n, t, seq) => ledger.record(i, n, t, seq)),
    );
    const publisher = await target.openPublisher();
    const t0 = performance.now();
    await burst(publisher, ledger, messages, 32);
    const seconds = (performance.now() - t0) / 1000;
    publisher.close();
    for (const s of subs) s.destroy();
    ledger.assertComplete('latency calibration');
    return ledger.delivered / seconds;
  } finally {
    await target.stop();
  }
}

async function measureLatency(
  target: Target,
  subscribers: number,
  messages: number,
  messagesPerSecond: number,
): Promise<LatencyFigures> {
  const warmUp = Math.round(messagesPerSecond * WARM_UP_SECONDS);
  const ledger = new DeliveryLedger(subscribers, warmUp + messages, { latencies: true, latencyFrom: warmUp });
  const total = warmUp + messages;
  let subs: Subscriber[] = [];
  let publisher: Publisher | undefined;
  try {
    subs = await connectMany(subscribers, 200, (i) =>
      target.connectSubscriber(i, (n, t, seq) => ledger.record(i, n, t, seq)),
    );
    publisher = await target.openPublisher();
    await sleep(300);
    const p = publisher;
    const done = new Promise<void>((resolve, reject) => {
      ledger.onProgress = () => {
        if (ledger.completed === total) resolve();
      };
      const t0 = performance.now();
      let sent = 0;
      // Paced by the clock, not by a timer's promise: late ticks catch up, so the rate holds.
      const timer = setInterval(() => {
        const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * messagesPerSecond) + 1);
        while (sent < due) p.publish(sent++);
        if (sent === total) clearInterval(timer);
      }, 2);
      setTimeout(
        () => reject(new Error(`latency: only ${ledger.completed}/${total} complete`)),
        (total / messagesPerSecond) * 1000 + 30_000,
      ).unref();
    });
    await done;
    await publisher.flush();
    await sleep(200);
    ledger.assertComplete(`latency ${target.name}`);
    const sorted = ledger.latencies();
    return {
      subscribers,
      messagesPerSecond,
      deliveriesPerSecond: messagesPerSecond * subscribers,
      messages,
      deliveries: ledger.delivered - warmUp * subscribers,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      maxMs: sorted[sorted.length - 1] ?? Number.NaN,
    };
  } finally {
    publisher?.close();
    for (const s of subs) s?.destroy();
  }
}
