// The conformance suite every broker adapter runs (as Hono's routers share one suite): several
// brokers on one bus behave as nodes sharing a real broker, and each must keep the Broker contract.

import { afterEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { Message } from '@vestnik/protocol';
import type { Broker, BrokerEvent } from '../broker/broker.js';

/** One shared bus per test: every broker `connect` returns reaches the others. */
export interface BrokerBus {
  connect(): Broker;
  /** Puts raw bytes on a conversation's channel, as a stranger could (brokers with a wire only). */
  injectRaw?(conversationId: string, payload: string): Promise<void>;
  /** Cuts every connection of this bus's brokers; they must reconnect by themselves. */
  dropConnections?(): Promise<void>;
  dispose?(): Promise<void>;
}

export interface BrokerFixture {
  readonly name: string;
  /** What the bus can do beyond connecting: the tests that need more are skipped otherwise. */
  readonly capabilities: { rawPayloads: boolean; connectionLoss: boolean };
  newBus(): BrokerBus;
}

/** Records the events a listener got and lets a test wait for a count. */
function events() {
  const got: BrokerEvent[] = [];
  return {
    got,
    listener: (event: BrokerEvent) => void got.push(event),
    async waitFor(count: number, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (got.length < count) {
        if (Date.now() > deadline) throw new Error(`waited for ${count} events, got ${got.length}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return got;
    },
  };
}

function message(conversationId: string, seq: number): BrokerEvent {
  const m: Message = {
    id: randomUUID(),
    conversationId,
    seq,
    authorId: null,
    createdAt: new Date(0).toISOString(),
    text: `m${seq}`,
    data: { n: seq, ref: { $ref: 'Order', id: 'Заказ 1' } },
    recipients: [],
  };
  return { type: 'message', message: m };
}

/** A short pause to show that something did NOT arrive; never the reason a test passes. */
const settle = () => new Promise((r) => setTimeout(r, 100));

export function runBrokerConformance(fixture: BrokerFixture) {
  describe(`broker ${fixture.name}`, () => {
    let bus: BrokerBus;
    const brokers: Broker[] = [];
    const connect = () => {
      const broker = bus.connect();
      brokers.push(broker);
      return broker;
    };

    afterEach(async () => {
      for (const broker of brokers.splice(0)) await broker.close();
      await bus?.dispose?.();
    });

    const fresh = () => {
      bus = fixture.newBus();
      return randomUUID();
    };

    it('delivers a conversation’s events to its subscriber, in order, and no other conversation’s', async () => {
      const a = fresh();
      const b = randomUUID();
      const node = connect();
      const onA = events();
      const onB = events();
      await node.subscribe(a, onA.listener);
      await node.subscribe(b, onB.listener);
      for (let seq = 1; seq <= 20; seq++) await node.publish(a, message(a, seq));
      await node.publish(b, message(b, 1));
      const got = await onA.waitFor(20);
      expect(got.map((e) => (e.type === 'message' ? e.message.seq : -1))).toEqual(
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
      expect((got[0] as { message: Message }).message.data).toEqual({
        n: 1,
        ref: { $ref: 'Order', id: 'Заказ 1' },
      });
      await onB.waitFor(1);
      await settle();
      expect(onA.got).toHaveLength(20);
      expect(onB.got).toHaveLength(1);
    });

    it('carries participants-removed events', async () => {
      const c = fresh();
      const node = connect();
      const got = events();
      await node.subscribe(c, got.listener);
      const event: BrokerEvent = { type: 'participants-removed', conversationId: c, userIds: ['u1', 'u2'] };
      await node.publish(c, event);
      expect(await got.waitFor(1)).toEqual([event]);
    });

    it('carries user-blocked events', async () => {
      const c = fresh();
      const node = connect();
      const got = events();
      await node.subscribe(c, got.listener);
      const event: BrokerEvent = { type: 'user-blocked', conversationId: c, userId: 'u1' };
      await node.publish(c, event);
      expect(await got.waitFor(1)).toEqual([event]);
    });

    it('reaches every node on the bus, whichever publishes', async () => {
      const c = fresh();
      const nodes = [connect(), connect(), connect()];
      const received = nodes.map(() => events());
      for (const [i, node] of nodes.entries()) await node.subscribe(c, received[i]!.listener);
      await nodes[0]!.publish(c, message(c, 1));
      await nodes[2]!.publish(c, message(c, 2));
      for (const r of received) {
        const got = await r.waitFor(2);
        expect(got.map((e) => (e.type === 'message' ? e.message.seq : -1)).sort()).toEqual([1, 2]);
      }
      // A node that only publishes hears nothing.
      const quiet = connect();
      await quiet.publish(c, message(c, 3));
      for (const r of received) await r.waitFor(3);
    });

    it('stops delivering after unsubscribe, and a new subscribe replaces the listener', async () => {
      const c = fresh();
      const node = connect();
      const other = connect();
      const first = events();
      const second = events();
      const watcher = events();
      await other.subscribe(c, watcher.listener);
      await node.subscribe(c, first.listener);
      await node.publish(c, message(c, 1));
      await first.waitFor(1);
      await node.unsubscribe(c);
      await node.publish(c, message(c, 2));
      await watcher.waitFor(2); // the event went out; the unsubscribed node must not get it
      await node.subscribe(c, first.listener);
      await node.subscribe(c, second.listener); // replaces the first listener
      await other.publish(c, message(c, 3));
      await second.waitFor(1);
      await watcher.waitFor(3);
      await settle();
      expect(first.got).toHaveLength(1);
      expect(second.got).toHaveLength(1);
    });

    it('applies subscribe and unsubscribe in the order they were called', async () => {
      const c = fresh();
      const d = randomUUID();
      const node = connect();
      const publisher = connect();
      const onC = events();
      const onD = events();
      // Not awaited one by one: the calls overlap, their effect must still follow call order.
      await Promise.all([
        node.subscribe(c, onC.listener),
        node.unsubscribe(c),
        node.subscribe(c, onC.listener),
        node.subscribe(d, onD.listener),
        node.unsubscribe(d),
      ]);
      await publisher.publish(d, message(d, 1));
      await publisher.publish(c, message(c, 1));
      await onC.waitFor(1);
      await settle();
      expect(onD.got).toHaveLength(0);
      expect(onC.got).toHaveLength(1);
    });

    it.skipIf(!fixture.capabilities.rawPayloads)(
      'ignores malformed payloads on the channel and keeps delivering',
      async () => {
        const c = fresh();
        const node = connect();
        const got = events();
        await node.subscribe(c, got.listener);
        const inject = bus.injectRaw!.bind(bus);
        for (const payload of [
          'not json',
          '42',
          'null',
          '{"type":"message"}',
          '{"type":"message","message":{"seq":"x"}}',
          JSON.stringify(message(randomUUID(), 1)), // another conversation's message
          '{"type":"participants-removed","conversationId":"' + c + '","userIds":[1]}',
          '{"type":"user-blocked","conversationId":"' + c + '","userId":7}',
          '{"type":"user-blocked","conversationId":"elsewhere","userId":"u1"}',
          '{"type":"unknown"}',
        ]) {
          await inject(c, payload);
        }
        await node.publish(c, message(c, 1));
        const [event] = await got.waitFor(1);
        expect(event?.type === 'message' && event.message.seq).toBe(1);
        await settle();
        expect(got.got).toHaveLength(1);
      },
    );

    it.skipIf(!fixture.capabilities.connectionLoss)(
      'fires onResync after the connection is lost and regained, and delivers again',
      async () => {
        const c = fresh();
        const node = connect();
        const publisher = connect();
        const got = events();
        let resyncs = 0;
        node.onResync(() => resyncs++);
        await node.subscribe(c, got.listener);
        await publisher.publish(c, message(c, 1));
        await got.waitFor(1);
        expect(resyncs).toBe(0);
        await bus.dropConnections!();
        for (let i = 0; i < 500 && resyncs === 0; i++) await new Promise((r) => setTimeout(r, 20));
        expect(resyncs).toBeGreaterThanOrEqual(1);
        // After the resync the subscription is in force again: nothing else needs to be done. A
        // publish may be refused while the publishing node is still reconnecting: try again.
        for (let i = 0; i < 500; i++) {
          const sent = await publisher.publish(c, message(c, 2)).then(
            () => true,
            () => false,
          );
          if (sent) break;
          await new Promise((r) => setTimeout(r, 20));
        }
        const all = await got.waitFor(2);
        expect(all.at(-1)?.type === 'message' && all.at(-1)).toMatchObject({ message: { seq: 2 } });
      },
    );
  });
}
