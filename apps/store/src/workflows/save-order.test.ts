// The posting workflow on SQLite and PostgreSQL: ProductStock movements and balances, courier
// notifications per transition, and all-or-nothing when the posting fails inside its transaction.

import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '@vestnik/protocol';
import { availableFixtures } from '../testing/storage-fixtures.js';
import type { StoreApp } from '../app.js';
import type { StoreTables } from '../database/schema.js';
import { storeErrors } from '../errors.js';
import { serviceConversation } from '../modules/notifications/service-conversation.js';
import { findOrder } from '../modules/orders/orders-service.js';
import { listMovements } from '../modules/stock/stock-service.js';
import { findUser } from '../modules/users/users-service.js';
import { buildTestStore, collector, orderInput, seedWorld, type World } from '../testing/store-harness.js';
import { saveOrder, saveOrderIn } from './save-order.js';
import { balanceReport } from './stock-report.js';

const fixtures = await availableFixtures();

describe.each(fixtures)('posting on $name', (fixture) => {
  let store: StoreApp;
  let world: World;

  beforeEach(async () => {
    store = await buildTestStore(fixture);
    world = await seedWorld(store);
  });
  afterEach(async () => store.app.close());
  afterAll(async () => fixture.dispose());

  const movements = async (orderId?: string) =>
    (await listMovements(store.ctx.db, { recorderId: orderId, limit: 200, offset: 0 })).rows;

  async function inbox(login: string): Promise<Message[]> {
    const user = await findUser(store.ctx.db, { login });
    const asUser = await store.ctx.collab.getUserIdByExternalId(user!.id);
    return (await store.ctx.collab.readHistory({ conversation: serviceConversation, asUser })).messages;
  }

  async function allMessages(): Promise<number> {
    return (await store.ctx.collab.getConversation(serviceConversation)).lastSeq;
  }

  describe('ProductStock movements', () => {
    it('writes a receipt per line when posted In work, with the order date as period', async () => {
      const { order } = await saveOrder(store.ctx, { action: 'post', input: orderInput(world) });
      expect(order).toMatchObject({ posted: true, number: '000001', totalCents: 2 * 1000 + 5 * 300 });
      const rows = await movements(order.id);
      expect(rows).toHaveLength(2);
      expect(rows[0]).toMatchObject({
        kind: 'receipt',
        lineNo: 1,
        period: Date.parse('2026-01-10T10:00:00.000Z'),
        productId: world.products[0],
        colorId: world.colors[0],
        sizeId: world.sizes[0],
        warehouseId: world.warehouse,
        ordered: 2,
      });
      expect(rows[1]).toMatchObject({ lineNo: 2, productId: world.products[1], ordered: 5 });
    });

    it('replaces the movements on re-posting, removes them on cancel, writes none for Done or New', async () => {
      const { order } = await saveOrder(store.ctx, { action: 'post', input: orderInput(world) });
      const changed = orderInput(world, {
        items: [
          { productId: world.products[0]!, colorId: world.colors[1]!, sizeId: world.sizes[1]!, quantity: 7 },
        ],
      });
      await saveOrder(store.ctx, { id: order.id, action: 'post', input: changed });
      expect((await movements(order.id)).map((m) => [m.lineNo, m.colorId, m.ordered])).toEqual([
        [1, world.colors[1], 7],
      ]);
      await saveOrder(store.ctx, { id: order.id, action: 'unpost' });
      expect(await movements(order.id)).toEqual([]);
      await saveOrder(store.ctx, { id: order.id, action: 'post', input: { ...changed, status: 'Done' } });
      expect(await movements(order.id)).toEqual([]);
      const { order: fresh } = await saveOrder(store.ctx, {
        action: 'post',
        input: orderInput(world, { status: 'New' }),
      });
      expect(await movements(fresh.id)).toEqual([]);
      // Saving a draft never writes movements.
      const { order: draft } = await saveOrder(store.ctx, { action: 'save', input: orderInput(world) });
      expect(draft.posted).toBe(false);
      expect(await movements(draft.id)).toEqual([]);
    });

    it('keeps the stored lines when posting or cancelling as saved, and replaces them on a save', async () => {
      const { order } = await saveOrder(store.ctx, { action: 'save', input: orderInput(world) });
      const lines = (await findOrder(store.ctx.db, order.id))?.items;
      expect(lines).toHaveLength(2);
      await saveOrder(store.ctx, { id: order.id, action: 'post' });
      expect((await findOrder(store.ctx.db, order.id))?.items).toEqual(lines);
      expect(await movements(order.id)).toHaveLength(2);
      await saveOrder(store.ctx, { id: order.id, action: 'unpost' });
      expect((await findOrder(store.ctx.db, order.id))?.items).toEqual(lines);
      const one = orderInput(world);
      await saveOrder(store.ctx, {
        id: order.id,
        action: 'post',
        input: { ...one, items: one.items.slice(1) },
      });
      const stored = await findOrder(store.ctx.db, order.id);
      expect(stored?.items.map((i) => [i.lineNo, i.productId])).toEqual([[1, world.products[1]]]);
      expect(await movements(order.id)).toHaveLength(1);
    });

    it('keeps a posted order posted when it is saved, re-posting it', async () => {
      const { order } = await saveOrder(store.ctx, { action: 'post', input: orderInput(world) });
      const { order: saved } = await saveOrder(store.ctx, {
        id: order.id,
        action: 'save',
        input: orderInput(world, { warehouseId: world.otherWarehouse }),
      });
      expect(saved.posted).toBe(true);
      expect((await movements(order.id)).every((m) => m.warehouseId === world.otherWarehouse)).toBe(true);
    });

    it('gives correct balances after a sequence of postings, by any dimensions, at a date', async () => {
      const [p1, p2] = world.products as [string, string];
      const [red, blue] = world.colors as [string, string];
      const [s, m] = world.sizes as [string, string];
      const line = (productId: string, colorId: string, sizeId: string, quantity: number) => ({
        productId,
        colorId,
        sizeId,
        quantity,
      });
      const a = await saveOrder(store.ctx, {
        action: 'post',
        input: orderInput(world, {
          date: '2026-01-01T00:00:00.000Z',
          items: [line(p1, red, s, 3), line(p2, blue, m, 4)],
        }),
      });
      const b = await saveOrder(store.ctx, {
        action: 'post',
        input: orderInput(world, {
          date: '2026-02-01T00:00:00.000Z',
          warehouseId: world.otherWarehouse,
          items: [line(p1, red, s, 10)],
        }),
      });
      // Re-posting order a with other quantities replaces, not adds.
      await saveOrder(store.ctx, {
        id: a.order.id,
        action: 'post',
        input: orderInput(world, {
          date: '2026-01-01T00:00:00.000Z',
          items: [line(p1, red, s, 1), line(p2, blue, m, 4)],
        }),
      });
      // Order c is posted and then cancelled: it leaves nothing behind.
      const c = await saveOrder(store.ctx, {
        action: 'post',
        input: orderInput(world, { items: [line(p2, red, m, 100)] }),
      });
      await saveOrder(store.ctx, { id: c.order.id, action: 'unpost' });
      // Order b is finished: Done has no movements.
      await saveOrder(store.ctx, {
        id: b.order.id,
        action: 'post',
        input: orderInput(world, {
          date: '2026-02-01T00:00:00.000Z',
          status: 'Done',
          warehouseId: world.otherWarehouse,
          items: [line(p1, red, s, 10)],
        }),
      });
      const report = (at: string, groupBy: Array<'product' | 'color' | 'size' | 'warehouse'>, filter = {}) =>
        balanceReport(store.ctx.db, { at: Date.parse(at), groupBy, filter });

      const byProduct = await report('2026-12-31T00:00:00.000Z', ['product']);
      expect(byProduct.rows.map((r) => [r.product?.id, r.ordered])).toEqual([
        [p1, 1],
        [p2, 4],
      ]);
      expect(byProduct.total).toBe(5);
      expect((await report('2025-12-31T00:00:00.000Z', ['product'])).rows).toEqual([]);
      const full = await report('2026-12-31T00:00:00.000Z', ['product', 'color', 'size', 'warehouse']);
      expect(full.rows).toHaveLength(2);
      expect(full.rows[0]).toMatchObject({
        warehouse: { id: world.warehouse },
        color: { id: red },
        size: { id: s },
      });
      const filtered = await report('2026-12-31T00:00:00.000Z', ['warehouse'], { color: blue });
      expect(filtered.rows.map((r) => r.ordered)).toEqual([4]);
      // Before order b became Done, at its date it counted.
      await saveOrder(store.ctx, {
        id: b.order.id,
        action: 'post',
        input: orderInput(world, {
          date: '2026-02-01T00:00:00.000Z',
          warehouseId: world.otherWarehouse,
          items: [line(p1, red, s, 10)],
        }),
      });
      expect((await report('2026-01-31T00:00:00.000Z', ['warehouse'])).total).toBe(5);
      expect(
        (await report('2026-02-01T00:00:00.000Z', ['warehouse'])).rows.map((r) => [
          r.warehouse?.id,
          r.ordered,
        ]),
      ).toEqual([
        [world.warehouse, 5],
        [world.otherWarehouse, 10],
      ]);
    });

    it('refuses to post an incomplete order with messages a manager understands', async () => {
      const attempt = (input: ReturnType<typeof orderInput>) =>
        saveOrder(store.ctx, { action: 'post', input });
      const problems = async (input: ReturnType<typeof orderInput>) => {
        try {
          await attempt(input);
        } catch (error) {
          if (storeErrors.is(error, 'VALIDATION_FAILED'))
            return (error.details as { problems: Array<{ path: string; message: string }> }).problems;
          throw error;
        }
        throw new Error('posted');
      };
      expect(await problems(orderInput(world, { courierId: null }))).toEqual([
        { path: 'courierId', message: 'An order in work needs a courier: choose one.' },
      ]);
      const bad = await problems(
        orderInput(world, {
          items: [{ productId: 'nope', colorId: world.colors[0]!, sizeId: world.sizes[0]!, quantity: 0 }],
        }),
      );
      expect(bad.map((p) => p.path)).toEqual(['items.0.productId', 'items.0.quantity']);
      expect(bad[1]?.message).toBe('Line 1: the quantity must be a whole number greater than zero.');
      expect((await problems(orderInput(world, { items: [] }))).map((p) => p.path)).toEqual(['items']);
      expect(await movements()).toEqual([]);
      expect(await allMessages()).toBe(0);
    });
  });

  describe('courier notifications', () => {
    it('sends exactly one message, to the courier only, when the order becomes In work', async () => {
      const { order: draft } = await saveOrder(store.ctx, { action: 'save', input: orderInput(world) });
      expect(await allMessages()).toBe(0);
      const result = await saveOrder(store.ctx, { id: draft.id, action: 'post' });
      expect(result.notificationsSent).toBe(1);
      const mine = await inbox('courier1');
      expect(mine).toHaveLength(1);
      expect(mine[0]?.data).toEqual({
        text: 'New order No. 000001 for you',
        order: { $ref: 'Order', id: draft.id },
        courier: { $ref: 'Courier', id: world.courier1 },
        kind: 'assigned',
        number: '000001',
      });
      const courier1 = await findUser(store.ctx.db, { login: 'courier1' });
      expect(mine[0]?.recipients).toEqual([await store.ctx.collab.getUserIdByExternalId(courier1!.id)]);
      expect(await inbox('courier2')).toEqual([]);
      // Posting again with nothing changed, and saving, send nothing more.
      expect((await saveOrder(store.ctx, { id: draft.id, action: 'post' })).notificationsSent).toBe(0);
      await saveOrder(store.ctx, {
        id: draft.id,
        action: 'save',
        input: orderInput(world, { comment: 'ring twice' }),
      });
      expect(await allMessages()).toBe(1);
    });

    it('joins a courier missing from the service conversation before telling them', async () => {
      // Something went wrong behind the store's back (an outage between a role change and the join).
      const courier1 = await findUser(store.ctx.db, { login: 'courier1' });
      const collabId = await store.ctx.collab.getUserIdByExternalId(courier1!.id);
      await store.ctx.collab.removeParticipants(serviceConversation, [collabId]);
      const result = await saveOrder(store.ctx, { action: 'post', input: orderInput(world) });
      expect(result.notificationsSent).toBe(1);
      const mine = await inbox('courier1');
      expect(mine.map((m) => [m.recipients, (m.data as { kind: string }).kind])).toEqual([
        [[collabId], 'assigned'],
      ]);
      expect(await allMessages()).toBe(1);
    });

    it('sends nothing for New or Done, nor when In work becomes Done', async () => {
      await saveOrder(store.ctx, { action: 'post', input: orderInput(world, { status: 'New' }) });
      await saveOrder(store.ctx, { action: 'post', input: orderInput(world, { status: 'Done' }) });
      expect(await allMessages()).toBe(0);
      const { order } = await saveOrder(store.ctx, { action: 'post', input: orderInput(world) });
      await saveOrder(store.ctx, {
        id: order.id,
        action: 'post',
        input: orderInput(world, { status: 'Done' }),
      });
      expect(await allMessages()).toBe(1);
    });

    it('tells both couriers when an In work order gets another courier', async () => {
      const { order } = await saveOrder(store.ctx, { action: 'post', input: orderInput(world) });
      const moved = await saveOrder(store.ctx, {
        id: order.id,
        action: 'post',
        input: orderInput(world, { courierId: world.courier2 }),
      });
      expect(moved.notificationsSent).toBe(2);
      const first = await inbox('courier1');
      const second = await inbox('courier2');
      expect(first.map((m) => (m.data as { kind: string }).kind)).toEqual(['assigned', 'unassigned']);
      expect(first[1]?.text).toBe('Order No. 000001 was taken off you');
      expect(second.map((m) => (m.data as { kind: string }).kind)).toEqual(['assigned']);
      expect(second[0]?.data).toMatchObject({ courier: { $ref: 'Courier', id: world.courier2 } });
      expect(await allMessages()).toBe(3);
    });

    it('tells the courier when an In work order is taken back, and again when it is given to someone else', async () => {
      const { order } = await saveOrder(store.ctx, { action: 'post', input: orderInput(world) });
      const cancelled = await saveOrder(store.ctx, { id: order.id, action: 'unpost' });
      expect(cancelled.notificationsSent).toBe(1);
      const reposted = await saveOrder(store.ctx, {
        id: order.id,
        action: 'post',
        input: orderInput(world, { courierId: world.courier2 }),
      });
      expect(reposted.notificationsSent).toBe(1);
      expect((await inbox('courier1')).map((m) => (m.data as { kind: string }).kind)).toEqual([
        'assigned',
        'unassigned',
      ]);
      expect((await inbox('courier2')).map((m) => (m.data as { kind: string }).kind)).toEqual(['assigned']);
      expect(await allMessages()).toBe(3);
    });

    it('notifies once when the same order is posted by several managers at once', async () => {
      const { order } = await saveOrder(store.ctx, { action: 'save', input: orderInput(world) });
      const results = await Promise.all(
        Array.from({ length: 4 }, () => saveOrder(store.ctx, { id: order.id, action: 'post' })),
      );
      expect(results.map((r) => r.notificationsSent).sort()).toEqual([0, 0, 0, 1]);
      expect(await inbox('courier1')).toHaveLength(1);
    });

    it('delivers live to the addressed courier only', async () => {
      const ids = async (login: string) =>
        store.ctx.collab.getUserIdByExternalId((await findUser(store.ctx.db, { login }))!.id);
      const one = collector();
      const two = collector();
      const s1 = await store.ctx.collab.subscribe({
        conversation: serviceConversation,
        asUser: await ids('courier1'),
        ...one,
      });
      const s2 = await store.ctx.collab.subscribe({
        conversation: serviceConversation,
        asUser: await ids('courier2'),
        ...two,
      });
      await saveOrder(store.ctx, { action: 'post', input: orderInput(world, { courierId: world.courier2 }) });
      await saveOrder(store.ctx, { action: 'post', input: orderInput(world) });
      const got = await two.waitFor(1);
      await one.waitFor(1);
      expect(got.map((m) => m.seq)).toEqual([1]);
      expect(one.messages.map((m) => m.seq)).toEqual([2]);
      s1.unsubscribe();
      s2.unsubscribe();
    });

    it('leaves neither movements nor a message when the posting fails inside its transaction', async () => {
      const courier1 = await store.ctx.collab.getUserIdByExternalId(
        (await findUser(store.ctx.db, { login: 'courier1' }))!.id,
      );
      const live = collector();
      const subscription = await store.ctx.collab.subscribe({
        conversation: serviceConversation,
        asUser: courier1,
        since: 0,
        ...live,
      });
      const { order } = await saveOrder(store.ctx, { action: 'save', input: orderInput(world) });
      let failure: unknown;
      try {
        await store.ctx.collab.transaction(async (tx) => {
          const db = tx.db.withTables<StoreTables>();
          const result = await saveOrderIn(db, tx, { id: order.id, action: 'post' });
          expect(result.notificationsSent).toBe(1);
          // A constraint violation after the movements and the message were written: a second
          // movement with the same recorder and line.
          const [first] = await db
            .selectFrom('store_stock_movements')
            .selectAll()
            .where('recorder_id', '=', order.id)
            .execute();
          await db.insertInto('store_stock_movements').values(first!).execute();
        });
      } catch (error) {
        failure = error;
      }
      expect(failure).toBeDefined();
      expect(await movements(order.id)).toEqual([]);
      expect(await allMessages()).toBe(0);
      expect(await inbox('courier1')).toEqual([]);
      const stored = await saveOrder(store.ctx, { id: order.id, action: 'unpost' });
      expect(stored.order.posted).toBe(false);
      // The next posting that commits is the first message the subscriber ever gets.
      await saveOrder(store.ctx, { id: order.id, action: 'post' });
      const got = await live.waitFor(1);
      expect(got.map((m) => [m.seq, (m.data as { kind: string }).kind])).toEqual([[1, 'assigned']]);
      subscription.unsubscribe();
    });

    it('posts without notifications while the collaboration system is not started', async () => {
      await store.ctx.collab.unregister();
      const { order, notificationsSent } = await saveOrder(store.ctx, {
        action: 'post',
        input: orderInput(world),
      });
      expect(notificationsSent).toBe(0);
      expect(await movements(order.id)).toHaveLength(2);
    });
  });
});
