// The latency probe: a child process of the load generator, on the same core but at a higher
// priority, that holds the publisher and a sample of the subscribers of the latency scenario. The
// generator reads the other subscribers' deliveries one after another; a timestamp taken there
// would measure that queue, not the server. Here the probe's sockets are read as soon as they are
// readable, and publish and arrival are timed by one clock. Requests: `probe-process.ts`.

import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { kindNamed } from '../targets/kinds.js';
import type { Client, Publisher, ServerName, Subscriber } from '../targets/target.js';
import { DeliveryLedger } from './delivery-ledger.js';
import type { ProbeHello, ProbeRequest, ProbeResults } from './probe-process.js';

/** Nice value asked for: well above the generator's share of the core when both are runnable. */
const NICE = -10;

class ProbeSession {
  readonly client: Client;
  readonly ledger: DeliveryLedger;
  readonly subs: Subscriber[] = [];
  publisher: Publisher | undefined;
  sent = 0;

  constructor(client: Client, probes: number, messages: number, latencyFrom: number) {
    this.client = client;
    this.ledger = new DeliveryLedger(probes, messages, { latencies: true, latencyFrom });
  }

  /** Publishes `count` more messages at `rate` per second, paced by the clock, until the probes have them. */
  async load(count: number, rate: number): Promise<void> {
    const publisher = this.publisher;
    if (publisher === undefined) throw new Error(`${this.client.name}: no publisher`);
    const ledger = this.ledger;
    const from = this.sent;
    const end = from + count;
    const everyProbe = ledger.whenCompleted(
      end,
      (count / rate) * 1000 + 30_000,
      `${this.client.name}: reaching every probe`,
    );
    const t0 = performance.now();
    const timer = setInterval(() => {
      // Late ticks catch up, so the rate holds.
      const due = Math.min(end, from + Math.floor(((performance.now() - t0) / 1000) * rate) + 1);
      while (this.sent < due) publisher.publish(this.sent++);
      if (this.sent === end) clearInterval(timer);
    }, 2);
    try {
      await everyProbe;
    } finally {
      clearInterval(timer);
    }
    await publisher.flush();
  }

  close(): void {
    this.publisher?.close();
    for (const s of this.subs) s?.destroy();
  }
}

const sessions = new Map<ServerName, ProbeSession>();

function session(server: ServerName): ProbeSession {
  const found = sessions.get(server);
  if (found === undefined) throw new Error(`no session for ${server}`);
  return found;
}

function raisePriority(): ProbeHello {
  try {
    os.setPriority(NICE);
    return { nice: os.getPriority() };
  } catch (error) {
    return { nice: os.getPriority(), refused: error instanceof Error ? error.message : String(error) };
  }
}

async function handle(request: ProbeRequest): Promise<unknown> {
  switch (request.op) {
    case 'hello':
      return raisePriority();
    case 'open': {
      const { endpoint } = request;
      sessions.set(
        endpoint.name,
        new ProbeSession(
          kindNamed(endpoint.name).client(endpoint),
          request.probes,
          request.messages,
          request.latencyFrom,
        ),
      );
      return null;
    }
    case 'connect': {
      const s = session(request.server);
      const probe = request.probe;
      s.subs[probe] = await s.client.connectSubscriber(request.index, (n, t, seq) =>
        s.ledger.record(probe, n, t, seq),
      );
      return null;
    }
    case 'publisher':
      session(request.server).publisher = await session(request.server).client.openPublisher();
      return null;
    case 'load':
      await session(request.server).load(request.count, request.rate);
      return null;
    case 'results': {
      const s = session(request.server);
      s.ledger.assertComplete(`latency probe ${request.server}`);
      const results: ProbeResults = { latencies: Array.from(s.ledger.latencies()) };
      return results;
    }
    case 'close':
      sessions.get(request.server)?.close();
      sessions.delete(request.server);
      return null;
  }
}

process.on('message', (raw: unknown) => {
  const { id, ...fields } = raw as { id: number } & ProbeRequest;
  const request = fields;
  handle(request).then(
    (value) => process.send?.({ id, ok: true, value }),
    (error: unknown) => {
      const server = 'server' in request ? request.server : undefined;
      const problems = (server !== undefined ? sessions.get(server)?.client.problems : undefined) ?? [];
      const text = error instanceof Error ? error.message : String(error);
      process.send?.({ id, ok: false, error: [text, ...problems.slice(0, 5)].join('\n  ') });
    },
  );
});
// The generator going away ends the probe too.
process.on('disconnect', () => process.exit(0));
