// The conformance suite every storage adapter runs (as Hono's routers share one suite): each
// invariant of DESIGN.md, checked against a real database.

import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isVestnikError, type ErrorCode, type Message } from '@vestnik/protocol';
import type { CollabLimits } from '../limits.js';
import { createCollab, type Collab } from '../service/collab.js';
import type { Broker } from '../broker/broker.js';
import { createMemoryBroker, MemoryBus } from '../broker/memory-broker.js';
import type { Storage } from '@vestnik/storage';
import type { StorageFixture } from '@vestnik/storage/testing';
import { brokerFailureSuite } from './broker-failure-suite.js';
import { collector } from './collector.js';
import { migrationsSuite } from './migrations-suite.js';
import { publisherSuite } from './publisher-suite.js';
import { subscriptionEndSuite } from './subscription-end-suite.js';

export { collector };

async function expectCode(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  try {
    await promise;
  } catch (error) {
    if (isVestnikError(error, code)) return;
    throw new Error(`expected ${code}, got ${String(error)}`, { cause: error });
  }
  throw new Error(`expected ${code}, but it succeeded`);
}

const seqs = (messages: Message[]) => messages.map((m) => m.seq);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/**
 * @param connectBroker gives each node its broker; every broker it returns within one test must
 * reach the others (the in-process bus by default).
 */
export function runCollabConformance(
  fixture: StorageFixture,
  newBus: () => () => Broker = () => {
    const bus = new MemoryBus();
    return () => createMemoryBroker(bus);
  },
) {
  describe(`collab on ${fixture.name}`, () => {
    let collab: Collab;
    let storage: Storage;
    let share: () => Storage;
    let connectBroker: () => Broker;
    const opened: Collab[] = [];

    async function open(s: Storage, limits?: Partial<CollabLimits>): Promise<Collab> {
      const c = await createCollab({ storage: s, broker: connectBroker(), onError: () => {}, limits });
      opened.push(c);
      return c;
    }

    beforeEach(async () => {
      ({ storage, share } = await fixture.create());
      connectBroker = newBus();
      collab = await open(storage);
    });

    // Closed after each test, not at the end: a PostgreSQL pool per node per test would otherwise
    // stay open for the whole file, and the server's connections are shared with other engineers.
    afterEach(async () => {
      for (const c of opened.splice(0)) await c.close();
    });

    afterAll(async () => {
      await fixture.dispose();
    });

    migrationsSuite(fixture);
    publisherSuite(fixture);
    brokerFailureSuite(fixture);
    subscriptionEndSuite(fixture);

    async function registeredWithTeam() {
      await collab.register({ applicationName: 'test' });
      const alice = await collab.createUser({ externalId: 'a', name: 'Alice' });
      const bob = await collab.createUser({ externalId: 'b', name: 'Bob' });
      const carol = await collab.createUser({ externalId: 'c', name: 'Carol' });
      const conversation = await collab.createConversation({
        key: 'service',
        displayed: false,
        participants: [alice.id, bob.id],
      });
      return { alice, bob, carol, conversation };
    }

    describe('registration', () => {
      it('refuses every operation until the application is registered', async () => {
        expect(await collab.isRegistered()).toBe(false);
        await expectCode(collab.createUser({ externalId: 'x', name: 'X' }), 'NOT_REGISTERED');
        await expectCode(collab.getConversation({ key: 'k' }), 'NOT_REGISTERED');
        await expectCode(collab.createMessage({ conversation: { key: 'k' }, text: 't' }), 'NOT_REGISTERED');
        await expectCode(collab.readHistory({ conversation: { key: 'k' }, asUser: 'u' }), 'NOT_REGISTERED');
        await expectCode(
          collab.subscribe({ conversation: { key: 'k' }, asUser: 'u', onMessage: () => {} }),
          'NOT_REGISTERED',
        );
        await collab.register({ applicationName: 'store' });
        expect(await collab.isRegistered()).toBe(true);
        await expectCode(collab.register({ applicationName: 'store' }), 'ALREADY_REGISTERED');
        await collab.unregister();
        expect(await collab.isRegistered()).toBe(false);
        await expectCode(collab.listConversations(), 'NOT_REGISTERED');
      });
    });

    describe('users', () => {
      it('creates, finds and blocks users', async () => {
        const { alice } = await registeredWithTeam();
        expect(await collab.getUser(alice.id)).toEqual(alice);
        expect(await collab.getUserByExternalId('a')).toEqual(alice);
        expect(await collab.getUserIdByExternalId('a')).toBe(alice.id);
        await expectCode(collab.createUser({ externalId: 'a', name: 'Again' }), 'DUPLICATE_KEY');
        await expectCode(collab.getUser('nobody'), 'USER_NOT_FOUND');
        await expectCode(collab.getUserByExternalId('nobody'), 'USER_NOT_FOUND');
        expect((await collab.ensureUser({ externalId: 'a', name: 'Alice' })).created).toBe(false);
        expect((await collab.ensureUser({ externalId: 'z', name: 'Zed' })).created).toBe(true);
        await collab.blockUser(alice.id);
        expect((await collab.getUser(alice.id)).blocked).toBe(true);
        await expectCode(
          collab.readHistory({ conversation: { key: 'service' }, asUser: alice.id }),
          'USER_BLOCKED',
        );
      });

      it('validates arguments', async () => {
        await collab.register({ applicationName: 'test' });
        await expectCode(collab.createUser({ externalId: '', name: 'X' }), 'INVALID_ARGUMENT');
        await expectCode(collab.createUser({ externalId: 'x'.repeat(1000), name: 'X' }), 'INVALID_ARGUMENT');
        await expectCode(
          collab.createUser({ externalId: 7 as unknown as string, name: 'X' }),
          'INVALID_ARGUMENT',
        );
        await expectCode(
          collab.createUser(null as unknown as { externalId: string; name: string }),
          'INVALID_ARGUMENT',
        );
      });
    });

    describe('conversations', () => {
      it('creates by key, finds by key or id, refuses a second with the same key', async () => {
        const { alice, bob, conversation } = await registeredWithTeam();
        expect(conversation).toMatchObject({ key: 'service', displayed: false, kind: 'group', lastSeq: 0 });
        expect(await collab.getConversation({ key: 'service' })).toEqual(conversation);
        expect(await collab.getConversation({ id: conversation.id })).toEqual(conversation);
        expect(await collab.getParticipants({ key: 'service' })).toEqual(
          expect.arrayContaining([alice.id, bob.id]),
        );
        await expectCode(collab.createConversation({ key: 'service' }), 'DUPLICATE_KEY');
        await expectCode(collab.getConversation({ key: 'missing' }), 'CONVERSATION_NOT_FOUND');
        await expectCode(collab.getConversation({} as { key: string }), 'INVALID_ARGUMENT');
        await expectCode(collab.createConversation({ participants: ['ghost'] }), 'USER_NOT_FOUND');
        await expectCode(
          collab.createConversation({ kind: 'dialog', participants: [alice.id, bob.id, 'x'] }),
          'INVALID_ARGUMENT',
        );
      });

      it('lists with filters and keeps participants', async () => {
        const { alice, bob, carol } = await registeredWithTeam();
        const about = await collab.createConversation({
          title: 'Order 7',
          context: { $ref: 'Order', id: '7' },
          participants: [carol.id],
        });
        const visible = await collab.listConversations({ displayed: true });
        expect(visible.map((c) => c.id)).toEqual([about.id]);
        expect((await collab.listConversations({ context: { $ref: 'Order', id: '7' } }))[0]?.context).toEqual(
          {
            $ref: 'Order',
            id: '7',
          },
        );
        expect((await collab.listConversations({ participant: carol.id })).map((c) => c.id)).toEqual([
          about.id,
        ]);
        expect(await collab.addParticipants({ id: about.id }, [alice.id, carol.id])).toBe(1);
        expect(await collab.removeParticipants({ id: about.id }, [carol.id, bob.id])).toEqual([carol.id]);
        expect(await collab.getParticipants({ id: about.id })).toEqual([alice.id]);
        await expectCode(collab.addParticipants({ id: about.id }, ['ghost']), 'USER_NOT_FOUND');
      });
    });

    describe('messages and history', () => {
      it('stores text and JSON data with refs, Unicode and SQL-looking strings verbatim', async () => {
        const { alice, conversation } = await registeredWithTeam();
        const data = {
          text: 'Сформирован новый заказ 📦',
          order: { $ref: 'Order', id: "1'; DROP TABLE collab_messages; --" },
          nested: [1, 2.5, true, null, { deep: 'ok' }],
        };
        const written = await collab.createMessage({
          conversation: { key: 'service' },
          text: 'Привет',
          data,
        });
        expect(written).toMatchObject({ conversationId: conversation.id, seq: 1, authorId: null, data });
        const page = await collab.readHistory({ conversation: { key: 'service' }, asUser: alice.id });
        expect(page.messages).toEqual([written]);
      });

      it('refuses bad data with a code', async () => {
        await registeredWithTeam();
        const target = { conversation: { key: 'service' }, text: 't' };
        await expectCode(
          collab.createMessage({ ...target, data: { big: 'x'.repeat(70_000) } }),
          'PAYLOAD_TOO_LARGE',
        );
        await expectCode(collab.createMessage({ ...target, data: { n: Number.NaN } }), 'INVALID_ARGUMENT');
        await expectCode(
          collab.createMessage({ ...target, data: { d: new Date() } as unknown as null }),
          'INVALID_ARGUMENT',
        );
        let deep: unknown = 1;
        for (let i = 0; i < 100; i++) deep = [deep];
        await expectCode(collab.createMessage({ ...target, data: deep as null }), 'INVALID_ARGUMENT');
        await expectCode(collab.createMessage({ ...target, text: 'x'.repeat(20_000) }), 'INVALID_ARGUMENT');
        await expectCode(
          collab.createMessage({ conversation: { key: 'none' }, text: 't' }),
          'CONVERSATION_NOT_FOUND',
        );
      });

      it('returns the first message for a reused idempotency key', async () => {
        await registeredWithTeam();
        const input = { conversation: { key: 'service' }, text: 'once', idempotencyKey: 'k-1' };
        const first = await collab.createMessage(input);
        const again = await collab.createMessage({ ...input, text: 'twice' });
        expect(again).toEqual(first);
        const racing = await Promise.all(
          Array.from({ length: 5 }, () => collab.createMessage({ ...input, idempotencyKey: 'k-2' })),
        );
        expect(new Set(racing.map((m) => m.id)).size).toBe(1);
        expect((await collab.getConversation({ key: 'service' })).lastSeq).toBe(2);
      });

      it('gives writers racing with one idempotency key inside their own transactions one message', async () => {
        await registeredWithTeam();
        const other = storage.capabilities.concurrentWriters ? await open(share()) : collab;
        const c = { key: 'service' };
        const racing = await Promise.all(
          Array.from({ length: 6 }, (_, i) =>
            (i % 2 === 0 ? collab : other).transaction(async (tx) => {
              const message = await tx.createMessage({
                conversation: c,
                text: `try ${i}`,
                idempotencyKey: 'k-3',
              });
              await new Promise((r) => setTimeout(r, 5)); // hold the transaction open a little
              return message;
            }),
          ),
        );
        expect(new Set(racing.map((m) => m.id)).size).toBe(1);
        expect((await collab.getConversation(c)).lastSeq).toBe(1);
      });

      it('filters history by recipients and refuses non-participants', async () => {
        const { alice, bob, carol } = await registeredWithTeam();
        const c = { key: 'service' };
        await collab.createMessage({ conversation: c, text: 'all' });
        await collab.createMessage({ conversation: c, text: 'to alice', recipients: [alice.id] });
        await collab.createMessage({ conversation: c, text: 'to bob', recipients: [bob.id] });
        await collab.createMessage({
          conversation: c,
          text: 'bob to alice',
          authorId: bob.id,
          recipients: [alice.id],
        });
        const texts = async (userId: string) =>
          (await collab.readHistory({ conversation: c, asUser: userId })).messages.map((m) => m.text);
        expect(await texts(alice.id)).toEqual(['all', 'to alice', 'bob to alice']);
        expect(await texts(bob.id)).toEqual(['all', 'to bob', 'bob to alice']);
        await expectCode(collab.readHistory({ conversation: c, asUser: carol.id }), 'NOT_PARTICIPANT');
        await expectCode(
          collab.createMessage({ conversation: c, text: 'x', recipients: [carol.id] }),
          'NOT_PARTICIPANT',
        );
        await expectCode(
          collab.createMessage({ conversation: c, text: 'x', authorId: carol.id }),
          'NOT_PARTICIPANT',
        );
      });

      it('does not start listening to a conversation for a user it refuses', async () => {
        const { carol, conversation } = await registeredWithTeam();
        const broker = connectBroker();
        const listened: string[] = [];
        const recorded: Broker = {
          publish: (id, event) => broker.publish(id, event),
          subscribe: (id, listener) => {
            listened.push(id);
            return broker.subscribe(id, listener);
          },
          unsubscribe: (id) => broker.unsubscribe(id),
          onResync: (listener) => broker.onResync(listener),
          close: () => broker.close(),
        };
        const node = await createCollab({ storage: share(), broker: recorded, onError: () => {} });
        opened.push(node);
        await expectCode(
          node.subscribe({ conversation: { id: conversation.id }, asUser: carol.id, onMessage: () => {} }),
          'NOT_PARTICIPANT',
        );
        expect(listened).toEqual([]);
      });

      it('pages history and says when retention cut it', async () => {
        const { alice } = await registeredWithTeam();
        const c = { key: 'service' };
        for (let i = 0; i < 7; i++) await collab.createMessage({ conversation: c, text: `m${i}` });
        const first = await collab.readHistory({ conversation: c, asUser: alice.id, limit: 3 });
        expect(seqs(first.messages)).toEqual([1, 2, 3]);
        expect(first.hasMore).toBe(true);
        const last = await collab.readHistory({ conversation: c, asUser: alice.id, after: 5, limit: 3 });
        expect(seqs(last.messages)).toEqual([6, 7]);
        expect(last).toMatchObject({ hasMore: false, lastSeq: 7, truncated: false });
        await collab.trimHistory(c, 4);
        const cut = await collab.readHistory({ conversation: c, asUser: alice.id, after: 2 });
        expect(seqs(cut.messages)).toEqual([5, 6, 7]);
        expect(cut.truncated).toBe(true);
        await expectCode(
          collab.readHistory({ conversation: c, asUser: alice.id, limit: 0 }),
          'INVALID_ARGUMENT',
        );
      });
    });

    describe('subscriptions', () => {
      it('gives backlog then live with no gap and no duplicate at the seam', async () => {
        const { alice } = await registeredWithTeam();
        const c = { key: 'service' };
        for (let i = 1; i <= 30; i++) await collab.createMessage({ conversation: c, text: `m${i}` });
        const got = collector();
        const writing = (async () => {
          for (let i = 31; i <= 60; i++) await collab.createMessage({ conversation: c, text: `m${i}` });
        })();
        const subscription = await collab.subscribe({ conversation: c, asUser: alice.id, since: 10, ...got });
        await writing;
        await got.waitFor(50);
        expect(seqs(got.messages)).toEqual(range(11, 60));
        subscription.unsubscribe();
        await collab.createMessage({ conversation: c, text: 'after' });
        await new Promise((r) => setTimeout(r, 50));
        expect(got.messages).toHaveLength(50);
      });

      it('without since, delivers only what is written afterwards', async () => {
        const { alice } = await registeredWithTeam();
        await collab.createMessage({ conversation: { key: 'service' }, text: 'old' });
        const got = collector();
        await collab.subscribe({ conversation: { key: 'service' }, asUser: alice.id, ...got });
        await collab.createMessage({ conversation: { key: 'service' }, text: 'new' });
        expect((await got.waitFor(1)).map((m) => m.text)).toEqual(['new']);
      });

      it('delivers live messages to their recipients only', async () => {
        const { alice, bob } = await registeredWithTeam();
        const c = { key: 'service' };
        const a = collector();
        const b = collector();
        await collab.subscribe({ conversation: c, asUser: alice.id, ...a });
        await collab.subscribe({ conversation: c, asUser: bob.id, ...b });
        await collab.createMessage({ conversation: c, text: 'to alice', recipients: [alice.id] });
        await collab.createMessage({ conversation: c, text: 'to bob', recipients: [bob.id] });
        await collab.createMessage({ conversation: c, text: 'all' });
        expect((await a.waitFor(2)).map((m) => m.text)).toEqual(['to alice', 'all']);
        expect((await b.waitFor(2)).map((m) => m.text)).toEqual(['to bob', 'all']);
        await new Promise((r) => setTimeout(r, 50));
        expect(a.messages).toHaveLength(2);
        expect(b.messages).toHaveLength(2);
      });

      it('refuses non-participants and unknown conversations, ends the subscription of one removed', async () => {
        const { alice, carol } = await registeredWithTeam();
        const c = { key: 'service' };
        await expectCode(
          collab.subscribe({ conversation: c, asUser: carol.id, onMessage: () => {} }),
          'NOT_PARTICIPANT',
        );
        await expectCode(
          collab.subscribe({ conversation: { key: 'nope' }, asUser: alice.id, onMessage: () => {} }),
          'CONVERSATION_NOT_FOUND',
        );
        const ended: ErrorCode[] = [];
        await collab.subscribe({
          conversation: c,
          asUser: alice.id,
          onMessage: () => {},
          onEnd: (e) => ended.push(e.code),
        });
        await collab.removeParticipants(c, [alice.id]);
        for (let i = 0; i < 100 && ended.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
        expect(ended).toEqual(['NOT_PARTICIPANT']);
      });

      it('ends a removed user’s subscription on another node', async () => {
        const { alice, bob } = await registeredWithTeam();
        const other = storage.capabilities.concurrentWriters ? await open(share()) : collab;
        const c = { key: 'service' };
        const ended: ErrorCode[] = [];
        const got = collector();
        await other.subscribe({
          conversation: c,
          asUser: alice.id,
          ...got,
          onEnd: (e) => ended.push(e.code),
        });
        const stays = collector();
        await other.subscribe({ conversation: c, asUser: bob.id, ...stays });
        await collab.removeParticipants(c, [alice.id]);
        for (let i = 0; i < 250 && ended.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
        expect(ended).toEqual(['NOT_PARTICIPANT']);
        await collab.createMessage({ conversation: c, text: 'after the removal' });
        await stays.waitFor(1);
        expect(got.messages).toHaveLength(0);
        await expectCode(
          other.subscribe({ conversation: c, asUser: alice.id, onMessage: () => {} }),
          'NOT_PARTICIPANT',
        );
      });

      it('ends a blocked user’s subscriptions on every node with USER_BLOCKED, and only theirs', async () => {
        const { alice, bob } = await registeredWithTeam();
        const other = storage.capabilities.concurrentWriters ? await open(share()) : collab;
        const c = { key: 'service' };
        const d = { key: 'dialog' };
        await collab.createConversation({ key: 'dialog', kind: 'dialog', participants: [alice.id, bob.id] });
        const ended: string[] = [];
        const alices = [
          { node: collab, conversation: c, got: collector() },
          { node: other, conversation: c, got: collector() },
          { node: other, conversation: d, got: collector() },
        ];
        for (const [i, { node, conversation, got }] of alices.entries()) {
          await node.subscribe({
            conversation,
            asUser: alice.id,
            ...got,
            onEnd: (e) => ended.push(`${i}:${e.code}`),
          });
        }
        const stays = collector();
        await other.subscribe({ conversation: c, asUser: bob.id, ...stays });

        // A block that rolls back ends nothing.
        await expect(
          collab.transaction(async (tx) => {
            await tx.setUserBlocked(alice.id, true);
            throw new Error('rolled back');
          }),
        ).rejects.toThrow('rolled back');
        await collab.createMessage({ conversation: c, text: 'before the block' });
        await stays.waitFor(1);
        for (const { got, conversation } of alices) if (conversation === c) await got.waitFor(1);

        await collab.blockUser(alice.id);
        for (let i = 0; i < 250 && ended.length < 3; i++) await new Promise((r) => setTimeout(r, 20));
        expect(ended.sort()).toEqual(['0:USER_BLOCKED', '1:USER_BLOCKED', '2:USER_BLOCKED']);
        await collab.createMessage({ conversation: c, text: 'after the block' });
        await collab.createMessage({ conversation: d, text: 'after the block', recipients: [alice.id] });
        expect((await stays.waitFor(2)).map((m) => m.text)).toEqual(['before the block', 'after the block']);
        await expectCode(
          other.subscribe({ conversation: c, asUser: alice.id, onMessage: () => {} }),
          'USER_BLOCKED',
        );

        // Unblocking restores nothing by itself: the user subscribes again.
        await collab.blockUser(alice.id, false);
        const again = collector();
        await other.subscribe({ conversation: d, asUser: alice.id, ...again });
        await collab.createMessage({ conversation: d, text: 'after the unblock' });
        expect((await again.waitFor(1)).map((m) => m.text)).toEqual(['after the unblock']);
        expect(alices.map(({ got }) => got.messages.map((m) => m.text))).toEqual([
          ['before the block'],
          ['before the block'],
          [],
        ]);
        expect(ended).toHaveLength(3);
      });

      it('refuses a since past the conversation’s last message', async () => {
        const { alice } = await registeredWithTeam();
        const c = { key: 'service' };
        await collab.createMessage({ conversation: c, text: 'one' });
        await expectCode(
          collab.subscribe({ conversation: c, asUser: alice.id, since: 2, onMessage: () => {} }),
          'INVALID_ARGUMENT',
        );
        await expectCode(
          collab.subscribe({ conversation: c, asUser: alice.id, since: -1, onMessage: () => {} }),
          'INVALID_ARGUMENT',
        );
        const got = collector();
        await collab.subscribe({ conversation: c, asUser: alice.id, since: 1, ...got });
        await collab.createMessage({ conversation: c, text: 'two' });
        expect((await got.waitFor(1)).map((m) => m.text)).toEqual(['two']);
      });

      it('reports truncation when since lies before what retention kept', async () => {
        const { alice } = await registeredWithTeam();
        const c = { key: 'service' };
        for (let i = 0; i < 5; i++) await collab.createMessage({ conversation: c, text: `m${i}` });
        await collab.trimHistory(c, 3);
        const got = collector();
        const subscription = await collab.subscribe({ conversation: c, asUser: alice.id, since: 1, ...got });
        expect(subscription.truncated).toBe(true);
        expect(seqs(await got.waitFor(2))).toEqual([4, 5]);
      });
    });

    describe('recent messages (served from the feed, not storage)', () => {
      // Another node over the same storage, keeping only a few recent messages per feed, so that a
      // backlog crosses from storage into memory.
      const small = () => open(share(), { recentMessages: 8 });

      it('serves every since as storage does, filtered by recipients, in order', async () => {
        const { alice, bob } = await registeredWithTeam();
        const node = await small();
        const c = { key: 'service' };
        const live = collector();
        await node.subscribe({ conversation: c, asUser: alice.id, since: 0, ...live });
        const visibleToAlice = [];
        for (let i = 1; i <= 14; i++) {
          const recipients = i % 3 === 1 ? [alice.id] : i % 3 === 2 ? [bob.id] : [];
          const authorId = i % 5 === 0 ? bob.id : undefined;
          const m = await collab.createMessage({ conversation: c, text: `m${i}`, recipients, authorId });
          if (recipients.length === 0 || recipients.includes(alice.id) || authorId === alice.id) {
            visibleToAlice.push(m.seq);
          }
        }
        expect(seqs(await live.waitFor(visibleToAlice.length))).toEqual(visibleToAlice);
        for (const user of [alice, bob]) {
          for (let since = 0; since <= 14; since++) {
            const stored = await collab.readHistory({ conversation: c, asUser: user.id, after: since });
            const got = collector();
            const subscription = await node.subscribe({ conversation: c, asUser: user.id, since, ...got });
            expect(got.messages).toEqual(stored.messages);
            expect(subscription.cursor).toBe(stored.messages.at(-1)?.seq ?? since);
            subscription.unsubscribe();
          }
        }
      });

      it('keeps what was written while every subscriber was away, then goes live', async () => {
        const { alice } = await registeredWithTeam();
        const c = { key: 'service' };
        const first = collector();
        const subscription = await collab.subscribe({
          conversation: c,
          asUser: alice.id,
          since: 0,
          ...first,
        });
        for (let i = 1; i <= 2; i++) await collab.createMessage({ conversation: c, text: `m${i}` });
        await first.waitFor(2);
        subscription.unsubscribe(); // the feed lingers and keeps listening
        for (let i = 3; i <= 5; i++) await collab.createMessage({ conversation: c, text: `m${i}` });
        const back = collector();
        await collab.subscribe({ conversation: c, asUser: alice.id, since: 2, ...back });
        await collab.createMessage({ conversation: c, text: 'm6' });
        expect(seqs(await back.waitFor(4))).toEqual([3, 4, 5, 6]);
        await new Promise((r) => setTimeout(r, 50));
        expect(back.messages).toHaveLength(4);
      });

      it('serves nothing that retention removed', async () => {
        const { alice, bob } = await registeredWithTeam();
        const c = { key: 'service' };
        const live = collector();
        await collab.subscribe({ conversation: c, asUser: alice.id, since: 0, ...live });
        for (let i = 1; i <= 5; i++) await collab.createMessage({ conversation: c, text: `m${i}` });
        await live.waitFor(5);
        await collab.trimHistory(c, 3);
        for (const since of [0, 1, 3]) {
          const got = collector();
          const subscription = await collab.subscribe({ conversation: c, asUser: bob.id, since, ...got });
          expect(seqs(got.messages)).toEqual([4, 5]);
          expect(subscription.truncated).toBe(since < 3);
          subscription.unsubscribe();
        }
      });

      it('refuses a removed participant and a since past the end with the messages in memory', async () => {
        const { alice, bob, carol } = await registeredWithTeam();
        const c = { key: 'service' };
        const live = collector();
        await collab.subscribe({ conversation: c, asUser: alice.id, since: 0, ...live });
        for (let i = 1; i <= 3; i++) await collab.createMessage({ conversation: c, text: `m${i}` });
        await live.waitFor(3);
        await collab.removeParticipants(c, [bob.id]);
        const none = collector();
        await expectCode(
          collab.subscribe({ conversation: c, asUser: bob.id, since: 0, ...none }),
          'NOT_PARTICIPANT',
        );
        await expectCode(
          collab.subscribe({ conversation: c, asUser: carol.id, since: 0, ...none }),
          'NOT_PARTICIPANT',
        );
        await expectCode(
          collab.subscribe({ conversation: c, asUser: alice.id, since: 4, ...none }),
          'INVALID_ARGUMENT',
        );
        await collab.createMessage({ conversation: c, text: 'm4' });
        await live.waitFor(4);
        await new Promise((r) => setTimeout(r, 50));
        expect(none.messages).toHaveLength(0);
      });

      it('gives backlog then live with no gap and no duplicate while writers race', async () => {
        const { alice, bob } = await registeredWithTeam();
        const node = await small();
        const c = { key: 'service' };
        const live = collector();
        await node.subscribe({ conversation: c, asUser: alice.id, since: 0, ...live });
        for (let i = 1; i <= 30; i++) await collab.createMessage({ conversation: c, text: `m${i}` });
        await live.waitFor(30);
        const writing = (async () => {
          for (let i = 31; i <= 60; i++) await collab.createMessage({ conversation: c, text: `m${i}` });
        })();
        const got = [collector(), collector(), collector()];
        await Promise.all(
          [10, 20, 27].map((since, i) =>
            node.subscribe({ conversation: c, asUser: bob.id, since, ...got[i]! }),
          ),
        );
        await writing;
        for (const [i, since] of [10, 20, 27].entries()) {
          expect(seqs(await got[i]!.waitFor(60 - since))).toEqual(range(since + 1, 60));
        }
        await new Promise((r) => setTimeout(r, 50));
        expect(got.map((g) => g.messages.length)).toEqual([50, 40, 33]);
      });
    });

    describe('transactions', () => {
      it('publishes after commit and nothing on rollback', async () => {
        const { alice } = await registeredWithTeam();
        const c = { key: 'service' };
        const got = collector();
        await collab.subscribe({ conversation: c, asUser: alice.id, since: 0, ...got });
        await expect(
          collab.transaction(async (tx) => {
            await tx.createMessage({ conversation: c, text: 'doomed' });
            throw new Error('the application changed its mind');
          }),
        ).rejects.toThrow('changed its mind');
        let seenInside = -1;
        await collab.transaction(async (tx) => {
          await tx.createMessage({ conversation: c, text: 'kept' });
          await new Promise((r) => setTimeout(r, 30));
          seenInside = got.messages.length;
        });
        expect(seenInside).toBe(0);
        expect((await got.waitFor(1)).map((m) => m.text)).toEqual(['kept']);
        const page = await collab.readHistory({ conversation: c, asUser: alice.id });
        expect(page.messages.map((m) => m.text)).toEqual(['kept']);
        await new Promise((r) => setTimeout(r, 50));
        expect(got.messages).toHaveLength(1);
      });
    });

    describe('concurrency', () => {
      it('many writers on two nodes: seq strictly increasing with no gap for subscriber and reader', async () => {
        const { alice, bob } = await registeredWithTeam();
        // SQLite is one process's database: its second "node" is the same instance.
        const other = storage.capabilities.concurrentWriters ? await open(share()) : collab;
        const c = { key: 'service' };
        const writers = 6;
        const each = 40;
        const total = writers * each;
        const live = collector();
        await collab.subscribe({ conversation: c, asUser: alice.id, since: 0, ...live });
        let reading = true;
        const readerSeen: number[] = [];
        const reader = (async () => {
          while (reading) {
            const after = readerSeen.at(-1) ?? 0;
            const page = await collab.readHistory({ conversation: c, asUser: bob.id, after, limit: 50 });
            readerSeen.push(...seqs(page.messages));
            await new Promise((r) => setImmediate(r));
          }
        })();
        await Promise.all(
          Array.from({ length: writers }, (_, w) =>
            (async () => {
              const node = w % 2 === 0 ? collab : other;
              for (let i = 0; i < each; i++)
                await node.createMessage({ conversation: c, text: `w${w}-${i}` });
            })(),
          ),
        );
        await live.waitFor(total);
        reading = false;
        await reader;
        for (let more = true; more;) {
          const tail = await collab.readHistory({
            conversation: c,
            asUser: bob.id,
            after: readerSeen.at(-1) ?? 0,
          });
          readerSeen.push(...seqs(tail.messages));
          more = tail.hasMore;
        }
        expect(seqs(live.messages)).toEqual(range(1, total));
        expect(readerSeen).toEqual(range(1, total));
      });
    });
  });
}
