// Two store nodes on one PostgreSQL database with the Redis broker: an order posted on one node
// reaches the courier subscribed on the other, and both see the same users and sessions.

import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisBroker } from '@vestnik/broker-redis';
import { postgresFixture } from '@vestnik/storage-postgres/testing';
import { postgresUrl, redisUrl, serviceAvailable } from '@vestnik/testing';
import { buildStoreApp, type StoreApp } from './app.js';
import { loadConfig } from './config.js';
import { serviceConversation } from './modules/notifications/service-conversation.js';
import { findUser } from './modules/users/users-service.js';
import { collector, loginAs, orderInput, seedWorld, testSecret } from './testing/store-harness.js';
import { saveOrder } from './workflows/save-order.js';

const ready = (await serviceAvailable('postgres')) && (await serviceAvailable('redis'));
const fixture = postgresFixture(postgresUrl);
const nodes: StoreApp[] = [];
afterAll(async () => {
  for (const node of nodes) await node.app.close();
  await fixture.dispose();
});

describe.runIf(ready)('several nodes (PostgreSQL + Redis)', () => {
  it('delivers a notification posted on one node to the courier subscribed on another', async () => {
    const { storage, share } = await fixture.create();
    const prefix = `vestnik-store-test-${randomBytes(4).toString('hex')}`;
    const config = loadConfig({
      DATABASE_URL: 'postgres://unused/placeholder',
      REDIS_URL: redisUrl,
      SESSION_SECRET: testSecret,
    });
    const a = await buildStoreApp(config, {
      storage,
      broker: createRedisBroker({ url: redisUrl, prefix }),
      logger: false,
    });
    nodes.push(a);
    const world = await seedWorld(a);
    const b = await buildStoreApp(config, {
      storage: share(),
      broker: createRedisBroker({ url: redisUrl, prefix }),
      logger: false,
    });
    nodes.push(b);
    expect(b.started).toBe('existing');

    const courier = await findUser(b.ctx.db, { login: 'courier1' });
    const asUser = await b.ctx.collab.getUserIdByExternalId(courier!.id);
    const live = collector();
    const subscription = await b.ctx.collab.subscribe({ conversation: serviceConversation, asUser, ...live });
    const { order } = await saveOrder(a.ctx, { action: 'post', input: orderInput(world) });
    const [message] = await live.waitFor(1);
    expect(message?.data).toMatchObject({ order: { $ref: 'Order', id: order.id }, kind: 'assigned' });
    subscription.unsubscribe();

    // A session opened on one node works on the other.
    const manager = await loginAs(a, 'manager');
    const onB = await b.app.inject({
      method: 'GET',
      url: `/api/orders/${order.id}`,
      headers: { cookie: manager.cookie },
    });
    expect(onB.statusCode).toBe(200);
  });
});
