// Scenario 5, reconnect storm (Vestnik only: the peers have no `since`): N subscribed clients get a
// few messages, all drop at once, more messages are written meanwhile, then all reconnect and
// resubscribe with `since` = the last seq each saw. Time until every client has every message, once.

import { performance } from 'node:perf_hooks';
import { DeliveryLedger } from '../lib/delivery-ledger.js';
import { scaled, sleep, type BenchContext, type Figure, type Scenario } from '../lib/context.js';
import { connectMany, explain, type Subscriber } from '../targets/target.js';

export interface ReconnectFigures {
  clients: number;
  messagesBefore: number;
  messagesWhileDown: number;
  handshakesInFlight: number;
  secondsToRecoverAll: number;
  serverCpuSeconds: number;
  peakRssMb: number;
  generatorCpuSeconds: number;
}

const BEFORE = 5;
const WHILE_DOWN = 10;
/** Handshakes in flight at once: the SDK's jittered backoff spreads a storm about like this. */
const IN_FLIGHT = 1000;

export const reconnect: Scenario = {
  name: 'reconnect',
  title: 'Reconnect storm',
  async run(context: BenchContext): Promise<void> {
    const clients = scaled(context, 10_000, 10);
    const figure: Figure = {
      scenario: 'reconnect',
      metric: `time until all recovered, ${clients} clients, ${WHILE_DOWN} messages missed each`,
      unit: 's',
      better: 'lower',
      values: {},
      gaps: { socketio: 'no resubscribe with since', ws: 'no resubscribe with since' },
    };
    const kind = context.kinds.find((k) => k.name === 'vestnik');
    const gap = kind === undefined ? 'not selected' : await kind.unavailable();
    if (kind === undefined || gap !== null) {
      figure.gaps = { ...figure.gaps, vestnik: gap ?? 'not selected' };
      context.results.figures.push(figure);
      context.results.scenarios.reconnect = { gap };
      return;
    }
    const target = await kind.start({ subscribers: clients, cpuProfileDir: context.profileDir });
    const total = BEFORE + WHILE_DOWN;
    const ledger = new DeliveryLedger(clients, total);
    let subs: Subscriber[] = [];
    try {
      const handler = (i: number) => (n: number, t: number, seq?: number) => ledger.record(i, n, t, seq);
      subs = await connectMany(clients, 200, (i) => target.connectSubscriber(i, handler(i)));
      const publisher = await target.openPublisher();
      for (let n = 0; n < BEFORE; n++) publisher.publish(n);
      await publisher.flush();
      await waitUntil(
        () => ledger.completed === BEFORE,
        60_000,
        () => `before the drop: ${ledger.completed}/${BEFORE} complete`,
      );
      const lastSeqs = subs.map((s) => s.lastSeq ?? 0);
      for (const s of subs) s.destroy();
      for (let n = BEFORE; n < total; n++) publisher.publish(n);
      await publisher.flush();
      publisher.close();
      await sleep(500); // the server notices every drop
      await target.server.gc();
      const before = await target.server.resetPeak();
      const t0 = performance.now();
      const generator0 = process.cpuUsage();
      subs = await connectMany(clients, IN_FLIGHT, (i) =>
        target.connectSubscriber(i, handler(i), { since: lastSeqs[i] }),
      );
      await waitUntil(
        () => ledger.completed === total,
        120_000,
        () => `after the storm: ${ledger.completed}/${total} complete, ${ledger.delivered} delivered`,
      );
      const seconds = (performance.now() - t0) / 1000;
      const generator = process.cpuUsage(generator0);
      const after = await target.server.stats();
      await sleep(300);
      ledger.assertComplete('reconnect storm');
      const result: ReconnectFigures = {
        clients,
        messagesBefore: BEFORE,
        messagesWhileDown: WHILE_DOWN,
        handshakesInFlight: IN_FLIGHT,
        secondsToRecoverAll: seconds,
        serverCpuSeconds: (after.cpuUserUs - before.cpuUserUs + after.cpuSystemUs - before.cpuSystemUs) / 1e6,
        peakRssMb: after.peakRss / 1048576,
        generatorCpuSeconds: (generator.user + generator.system) / 1e6,
      };
      figure.values.vestnik = seconds;
      context.results.scenarios.reconnect = result;
      context.log(
        `  reconnect vestnik ${clients} clients, ${WHILE_DOWN} missed each, ${IN_FLIGHT} handshakes in flight: ` +
          `all recovered in ${seconds.toFixed(2)} s (server CPU ${result.serverCpuSeconds.toFixed(2)} s, generator CPU ${result.generatorCpuSeconds.toFixed(2)} s, peak RSS ${result.peakRssMb.toFixed(0)} MB)`,
      );
    } catch (error) {
      throw explain(error, target);
    } finally {
      for (const s of subs) s.destroy();
      await target.stop();
    }
    context.results.figures.push(figure);
  },
};

async function waitUntil(done: () => boolean, ms: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${describe()}`);
    await sleep(5);
  }
}
