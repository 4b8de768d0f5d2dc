// Scenario 2, latency at a fixed load below everyone's saturation: half of Socket.IO's maximum
// deliveries per second (from the fan-out run, or measured here). p50/p99/max from the payload's
// timestamp to its arrival at a probe subscriber. All servers run at once (only one is loaded at a
// time) and take turns in short rounds, so that what else runs on the shared machine hits each alike.
//
// Who times what: the load generator reads every delivery of a message one after another on its
// core, so a latency taken there grows with the subscriber's place in that queue (4–6 ms for the
// last of 1,000, whatever the server). So one subscriber in PROBE_EVERY is held instead by the latency
// probe (`lib/latency-probe.ts`), a child process on the same core at a higher priority, which also
// publishes: its sockets are read as soon as the server writes to them. The probes are spread over
// the server's subscriber order (connected in turn with the others), so the time a server takes to
// write to all its sockets shows in the spread. Every subscriber, probe or not, must get every
// message once, in order.

import { performance } from 'node:perf_hooks';
import { DeliveryLedger, percentile } from '../lib/delivery-ledger.js';
import { scaled, sleep, type BenchContext, type Figure, type Scenario } from '../lib/context.js';
import { ProbeProcess, type ProbeResults } from '../lib/probe-process.js';
import { socketIoKind } from '../targets/socketio-target.js';
import { connectMany, explain, type ServerName, type Subscriber, type Target } from '../targets/target.js';
import { burst, type FanoutFigures } from './fanout.js';

export interface LatencyFigures {
  subscribers: number;
  /** Of them, timed by the probe. */
  probes: number;
  messagesPerSecond: number;
  deliveriesPerSecond: number;
  rounds: number;
  messages: number;
  /** Deliveries timed (to the probes, after the warm-up). */
  deliveries: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Server CPU time per message during the measured rounds (all its deliveries included). */
  serverCpuMsPerMessage: number;
}

const SUBSCRIBERS = 1000;
/** One subscriber in this many is a probe, the one in the middle of each block. */
const PROBE_EVERY = 20;
const ROUNDS = 4;
const ROUND_SECONDS = 2;
/** Seconds of the same load before latencies count: JIT and buffers settle first. */
const WARM_UP_SECONDS = 1;

/** One server with its subscribers (the generator's and the probe's), loaded in turns. */
class LatencySession {
  readonly target: Target;
  readonly #probe: ProbeProcess;
  readonly subscribers: number;
  /** For each subscriber index: its probe number, or -1 when the generator holds it. */
  readonly #probeOf: Int32Array;
  readonly probes: number;
  /** Deliveries to the subscribers the generator holds, numbered without the probes. */
  readonly ledger: DeliveryLedger;
  subs: Subscriber[] = [];
  /** Server CPU time (µs) spent during the measured rounds, and messages published in them. */
  cpuUs = 0;
  measuredMessages = 0;

  constructor(target: Target, probe: ProbeProcess, subscribers: number, total: number) {
    this.target = target;
    this.#probe = probe;
    this.subscribers = subscribers;
    const step = Math.min(PROBE_EVERY, subscribers);
    this.probes = Math.floor(subscribers / step);
    this.#probeOf = new Int32Array(subscribers).fill(-1);
    for (let p = 0; p < this.probes; p++) this.#probeOf[p * step + Math.floor(step / 2)] = p;
    this.ledger = new DeliveryLedger(subscribers - this.probes, total);
  }

  get name(): ServerName {
    return this.target.name;
  }

  /** Connects the subscribers in index order, a probe at its place among them, then the publisher. */
  async open(total: number, warmUp: number): Promise<void> {
    const server = this.name;
    const { probes, ledger } = this;
    await this.#probe.request({
      op: 'open',
      endpoint: this.target.endpoint,
      probes,
      messages: total,
      latencyFrom: warmUp,
    });
    let own = 0;
    let batch: number[] = [];
    const connectBatch = async (): Promise<void> => {
      const indexes = batch;
      const first = own;
      batch = [];
      own += indexes.length;
      await connectMany(indexes.length, 20, async (i) => {
        this.subs[first + i] = await this.target.connectSubscriber(indexes[i]!, (n, t, seq) =>
          ledger.record(first + i, n, t, seq),
        );
      });
    };
    for (let index = 0; index < this.subscribers; index++) {
      const probe = this.#probeOf[index]!;
      if (probe < 0) {
        batch.push(index);
        continue;
      }
      await connectBatch();
      await this.#probe.request({ op: 'connect', server, index, probe });
    }
    await connectBatch();
    await this.#probe.request({ op: 'publisher', server });
  }

  /** The probe publishes `count` more messages at `rate`; resolves once every subscriber has them. */
  async load(count: number, rate: number, end: number, measured: boolean): Promise<void> {
    const ledger = this.ledger;
    const before = measured ? await this.target.server.stats() : undefined;
    const everyone = ledger.whenCompleted(end, (count / rate) * 1000 + 30_000, `latency ${this.name}`);
    await Promise.all([this.#probe.request({ op: 'load', server: this.name, count, rate }), everyone]);
    if (before === undefined) return;
    const after = await this.target.server.stats();
    this.cpuUs += after.cpuUserUs - before.cpuUserUs + after.cpuSystemUs - before.cpuSystemUs;
    this.measuredMessages += count;
  }

  async results(): Promise<ProbeResults> {
    this.ledger.assertComplete(`latency ${this.name}`);
    return (await this.#probe.request({ op: 'results', server: this.name })) as ProbeResults;
  }

  async close(): Promise<void> {
    for (const s of this.subs) s?.destroy();
    await this.#probe.request({ op: 'close', server: this.name }).catch(() => undefined);
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
    figures.push({
      scenario: 'latency',
      metric: `server CPU per message at ${rate * subscribers} deliveries/s (${subscribers} subscribers)`,
      unit: 'ms',
      better: 'lower',
      values: {},
    });
    const sessions: LatencySession[] = [];
    const { probe, hello } = await ProbeProcess.start();
    context.log(
      hello.refused === undefined
        ? `  latency probe at nice ${hello.nice}`
        : `  latency probe at nice ${hello.nice}: could not raise its priority (${hello.refused})`,
    );
    let sent = 0;
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
          probe,
          subscribers,
          total,
        );
        sessions.push(session);
        await run(session, () => session.open(total, warmUp));
      }
      await sleep(300);
      for (const session of sessions) await run(session, () => session.load(warmUp, rate, warmUp, false));
      sent = warmUp;
      for (let round = 0; round < ROUNDS; round++) {
        // Rotate who goes first, so no server always follows the same one.
        sent += perRound;
        for (let i = 0; i < sessions.length; i++) {
          const session = sessions[(i + round) % sessions.length]!;
          await run(session, () => session.load(perRound, rate, sent, true));
        }
      }
      await sleep(200);
      for (const session of sessions) {
        const name = session.name;
        const sorted = (await run(session, () => session.results())).latencies;
        const result: LatencyFigures = {
          subscribers,
          probes: session.probes,
          messagesPerSecond: rate,
          deliveriesPerSecond: rate * subscribers,
          rounds: ROUNDS,
          messages: ROUNDS * perRound,
          deliveries: sorted.length,
          p50Ms: percentile(sorted, 50),
          p99Ms: percentile(sorted, 99),
          maxMs: sorted[sorted.length - 1] ?? Number.NaN,
          serverCpuMsPerMessage: session.cpuUs / 1000 / session.measuredMessages,
        };
        raw[name] = result;
        figures[0]!.values[name] = result.p50Ms;
        figures[1]!.values[name] = result.p99Ms;
        figures[2]!.values[name] = result.maxMs;
        figures[3]!.values[name] = result.serverCpuMsPerMessage;
        context.log(
          `  latency ${name.padEnd(8)} ${result.messages} msgs at ${rate}/s, ${result.deliveries} timed at ${session.probes} probes: ` +
            `p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms, max ${result.maxMs.toFixed(2)} ms, ` +
            `server CPU ${result.serverCpuMsPerMessage.toFixed(2)} ms/message`,
        );
      }
    } finally {
      for (const session of sessions) {
        await session.close();
        await session.target.stop();
      }
      probe.stop();
    }
    context.results.figures.push(...figures);
    context.results.scenarios.latency = { socketIoMaxDeliveriesPerSecond: socketIoMax, ...raw };
  },
};

async function run<T>(session: LatencySession, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
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
