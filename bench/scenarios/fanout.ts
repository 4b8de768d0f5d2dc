// Scenario 1, fan-out: one room, N subscribers, a burst of order notifications. Deliveries per
// second, deliveries per server CPU-second, peak server RSS; every delivery is checked.

import { performance } from 'node:perf_hooks';
import { DeliveryLedger } from '../lib/delivery-ledger.js';
import { scaled, sleep, type BenchContext, type Figure, type Scenario } from '../lib/context.js';
import type { ServerStats } from '../lib/server-process.js';
import {
  connectMany,
  explain,
  type Publisher,
  type ServerName,
  type Subscriber,
  type Target,
} from '../targets/target.js';

export interface FanoutFigures {
  subscribers: number;
  messages: number;
  deliveries: number;
  seconds: number;
  deliveriesPerSecond: number;
  serverCpuSeconds: number;
  serverUserSeconds: number;
  serverSystemSeconds: number;
  deliveriesPerCpuSecond: number;
  peakRssMb: number;
  /** Share of its core the load generator used meanwhile; near 1 means deliveries/s is the client's bound. */
  generatorBusy: number;
}

const CASES = [
  { subscribers: 1000, messages: 500, window: 32 },
  { subscribers: 5000, messages: 100, window: 8 },
];

/** Publishes `total` messages keeping at most `window` not yet delivered to everyone. */
export function burst(
  publisher: Publisher,
  ledger: DeliveryLedger,
  total: number,
  window: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let lastProgress = Date.now();
    let lastCompleted = 0;
    const pump = (): void => {
      while (sent < total && sent - ledger.completed < window) publisher.publish(sent++);
    };
    const watchdog = setInterval(() => {
      if (ledger.completed !== lastCompleted) {
        lastCompleted = ledger.completed;
        lastProgress = Date.now();
      } else if (Date.now() - lastProgress > 20_000) {
        clearInterval(watchdog);
        reject(
          new Error(
            `stalled: ${ledger.completed}/${total} complete, ${ledger.delivered} delivered, ${ledger.errors.slice(0, 3).join('; ')}`,
          ),
        );
      }
    }, 500);
    ledger.onProgress = () => {
      if (ledger.completed === total) {
        clearInterval(watchdog);
        ledger.onProgress = null;
        resolve();
      } else pump();
    };
    pump();
  });
}

export function cpuSeconds(before: ServerStats, after: ServerStats): { user: number; system: number } {
  return {
    user: (after.cpuUserUs - before.cpuUserUs) / 1e6,
    system: (after.cpuSystemUs - before.cpuSystemUs) / 1e6,
  };
}

export const fanout: Scenario = {
  name: 'fanout',
  title: 'Fan-out',
  async run(context: BenchContext): Promise<void> {
    const raw: Record<string, Partial<Record<ServerName, FanoutFigures | { gap: string }>>> = {};
    for (const spec of CASES) {
      const subscribers = scaled(context, spec.subscribers, 10);
      const messages = scaled(context, spec.messages, 10);
      const caseKey = `${subscribers}`;
      raw[caseKey] = {};
      const perCpu: Figure = figure(
        `deliveries per server CPU-second, ${subscribers} subscribers`,
        '1/s',
        'higher',
      );
      const perSecond: Figure = figure(`deliveries per second, ${subscribers} subscribers`, '1/s', 'higher');
      const peak: Figure = figure(`peak server RSS, ${subscribers} subscribers`, 'MB', 'lower');
      for (const kind of context.kinds) {
        const gap = await kind.unavailable();
        if (gap !== null) {
          raw[caseKey][kind.name] = { gap };
          for (const f of [perCpu, perSecond, peak]) (f.gaps ??= {})[kind.name] = gap;
          continue;
        }
        const result = await measureFanout(
          context,
          kind.name,
          () => kind.start({ subscribers, cpuProfileDir: context.profileDir }),
          subscribers,
          messages,
          spec.window,
        );
        raw[caseKey][kind.name] = result;
        perCpu.values[kind.name] = result.deliveriesPerCpuSecond;
        perSecond.values[kind.name] = result.deliveriesPerSecond;
        peak.values[kind.name] = result.peakRssMb;
      }
      context.results.figures.push(perCpu, perSecond, peak);
    }
    context.results.scenarios.fanout = raw;
  },
};

function figure(metric: string, unit: string, better: 'higher' | 'lower'): Figure {
  return { scenario: 'fan-out', metric, unit, better, values: {} };
}

async function measureFanout(
  context: BenchContext,
  name: ServerName,
  start: () => Promise<Target>,
  subscribers: number,
  messages: number,
  window: number,
): Promise<FanoutFigures> {
  const target = await start();
  const ledger = new DeliveryLedger(subscribers, messages);
  let subs: Subscriber[] = [];
  let publisher: Publisher | undefined;
  try {
    subs = await connectMany(subscribers, 200, (i) =>
      target.connectSubscriber(i, (n, t, seq) => ledger.record(i, n, t, seq)),
    );
    publisher = await target.openPublisher();
    await sleep(300);
    await target.server.gc();
    const before = await target.server.resetPeak();
    const t0 = performance.now();
    const generator0 = process.cpuUsage();
    await burst(publisher, ledger, messages, window);
    const seconds = (performance.now() - t0) / 1000;
    const generator = process.cpuUsage(generator0);
    const after = await target.server.stats();
    await publisher.flush();
    await sleep(200); // anything arriving now is extra, and the ledger fails on it
    ledger.assertComplete(`fan-out ${name} ${subscribers}`);
    const cpu = cpuSeconds(before, after);
    const result: FanoutFigures = {
      subscribers,
      messages,
      deliveries: ledger.delivered,
      seconds,
      deliveriesPerSecond: ledger.delivered / seconds,
      serverCpuSeconds: cpu.user + cpu.system,
      serverUserSeconds: cpu.user,
      serverSystemSeconds: cpu.system,
      deliveriesPerCpuSecond: ledger.delivered / (cpu.user + cpu.system),
      peakRssMb: after.peakRss / 1048576,
      generatorBusy: (generator.user + generator.system) / 1e6 / seconds,
    };
    context.log(
      `  fan-out ${name.padEnd(8)} ${subscribers} subs x ${messages} msgs: ${fmt(result.deliveriesPerSecond)}/s, ` +
        `${fmt(result.deliveriesPerCpuSecond)}/CPU-s (user ${cpu.user.toFixed(2)}s, sys ${cpu.system.toFixed(2)}s), ` +
        `peak RSS ${result.peakRssMb.toFixed(0)} MB, generator busy ${(result.generatorBusy * 100).toFixed(0)}%`,
    );
    return result;
  } catch (error) {
    throw explain(error, target);
  } finally {
    publisher?.close();
    for (const s of subs) s?.destroy();
    await target.stop();
  }
}

export function fmt(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}
