// Scenario 2, latency at a fixed load below everyone's saturation: half of Socket.IO's maximum
// deliveries per second (from the fan-out run, or measured here). p50/p99/max from the payload's
// timestamp. All servers run at once (only one is loaded at a time) and take turns in short rounds,
// so that what else runs on the shared machine hits each of them alike.

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
  rounds: number;
  messages: number;
  deliveries: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

const SUBSCRIBERS = 1000;
const ROUNDS = 4;
const ROUND_SECONDS = 2;
/** Seconds of the same load before latencies count: JIT and buffers settle first. */
const WARM_UP_SECONDS = 1;

/** One server with its subscribers and publisher, loaded in turns. */
class LatencySession {
  readonly target: Target;
  readonly ledger: DeliveryLedger;
  subs: Subscriber[] = [];
  publisher: Publisher | undefined;
  sent = 0;

  constructor(target: Target, subscribers: number, total: number, warmUp: number) {
    this.target = target;
    this.ledger = new DeliveryLedger(subscribers, total, { latencies: true, latencyFrom: warmUp });
  }

  async open(): Promise<void> {
    const ledger = this.ledger;
    this.subs = await connectMany(ledger.subscribers, 200, (i) =>
      this.target.connectSubscriber(i, (n, t, seq) => ledger.record(i, n, t, seq)),
    );
    this.publisher = await this.target.openPublisher();
  }

  /** Publishes `count` more messages at `rate` per second, paced by the clock; waits until all are delivered. */
  async load(count: number, rate: number): Promise<void> {
    const publisher = this.publisher!;
    const ledger = this.ledger;
    const end = this.sent + count;
    const from = this.sent;
    await new Promise<void>((resolve, reject) => {
      const t0 = performance.now();
      const timer = setInterval(() => {
        // Late ticks catch up, so the rate holds.
        const due = Math.min(end, from + Math.floor(((performance.now() - t0) / 1000) * rate) + 1);
        while (this.sent < due) publisher.publish(this.sent++);
        if (this.sent === end) clearInterval(timer);
      }, 2);
      const deadline = setTimeout(
        () => {
          clearInterval(timer);
          reject(new Error(`latency ${this.target.name}: only ${ledger.completed}/${end} complete`));
        },
        (count / rate) * 1000 + 30_000,
      );
      ledger.onProgress = () => {
        if (ledger.completed === end) {
          clearTimeout(deadline);
          ledger.onProgress = null;
          resolve();
        }
      };
    });
    await publisher.flush();
  }

  close(): void {
    this.publisher?.close();
    for (const s of this.subs) s?.destroy();
  }
}

export const latency: Scenario = {
  name: 'latency',
  title: 'Latency at a fixed load',
  async run(context: BenchContext): Promise<void> {
    const subscribers = scaled(context, SUBSCRIBERS, 10);
    const socketIoMax = await socketIoMaximum(context, subscribers);
    // Half of Socket.IO's saturation, as messages per second into the one room.
    const rate = Math.max(1, Math.floor(socketIoMax / 2 / subscribers));
    const warmUp = Math.max(1, Math.round(rate * WARM_UP_SECONDS));
    const perRound = Math.max(5, Math.round(rate * ROUND_SECONDS * Math.min(1, context.scale * 2)));
    const total = warmUp + ROUNDS * perRound;
    context.log(
      `  latency load: ${rate} msg/s x ${subscribers} subscribers = ${rate * subscribers} deliveries/s ` +
        `(Socket.IO max ${Math.round(socketIoMax)}/s); ${ROUNDS} rounds of ${perRound} messages per server, in turns`,
    );
    const raw: Partial<Record<ServerName, LatencyFigures | { gap: string }>> = {};
    const figures: Figure[] = ['p50', 'p99', 'max'].map((p) => ({
      scenario: 'latency',
      metric: `${p} latency at ${rate * subscribers} deliveries/s (${subscribers} subscribers)`,
      unit: 'ms',
      better: 'lower' as const,
      values: {},
    }));
    const sessions: LatencySession[] = [];
    try {
      for (const kind of context.kinds) {
        const gap = await kind.unavailable();
        if (gap !== null) {
          raw[kind.name] = { gap };
          for (const f of figures) f.gaps = { ...f.gaps, [kind.name]: gap };
          continue;
        }
        const session = new LatencySession(
          await kind.start({ subscribers, cpuProfileDir: context.profileDir }),
          subscribers,
          total,
          warmUp,
        );
        sessions.push(session);
        await session.open();
      }
      await sleep(300);
      for (const session of sessions) await run(session, () => session.load(warmUp, rate));
      for (let round = 0; round < ROUNDS; round++) {
        // Rotate who goes first, so no server always follows the same one.
        for (let i = 0; i < sessions.length; i++) {
          const session = sessions[(i + round) % sessions.length]!;
          await run(session, () => session.load(perRound, rate));
        }
      }
      await sleep(200);
      for (const session of sessions) {
        const name = session.target.name;
        await run(session, async () => session.ledger.assertComplete(`latency ${name}`));
        const sorted = session.ledger.latencies();
        const result: LatencyFigures = {
          subscribers,
          messagesPerSecond: rate,
          deliveriesPerSecond: rate * subscribers,
          rounds: ROUNDS,
          messages: ROUNDS * perRound,
          deliveries: sorted.length,
          p50Ms: percentile(sorted, 50),
          p99Ms: percentile(sorted, 99),
          maxMs: sorted[sorted.length - 1] ?? Number.NaN,
        };
        raw[name] = result;
        figures[0]!.values[name] = result.p50Ms;
        figures[1]!.values[name] = result.p99Ms;
        figures[2]!.values[name] = result.maxMs;
        context.log(
          `  latency ${name.padEnd(8)} ${result.messages} msgs at ${rate}/s: ` +
            `p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms, max ${result.maxMs.toFixed(2)} ms`,
        );
      }
    } finally {
      for (const session of sessions) {
        session.close();
        await session.target.stop();
      }
    }
    context.results.figures.push(...figures);
    context.results.scenarios.latency = { socketIoMaxDeliveriesPerSecond: socketIoMax, ...raw };
  },
};

async function run(session: LatencySession, step: () => Promise<void>): Promise<void> {
  try {
    await step();
  } catch (error) {
    throw explain(error, session.target);
  }
}

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
