// The store itself under kill -9 (embedded mode: one process, SQLite): a manager posts orders for
// two couriers while the store is killed and restarted; every courier's clients are connected to
// the store's own WebSocket. Every committed posting's notification must reach the clients of its
// courier, once, in order, and no other courier's.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Message } from '@vestnik/protocol';
import { connect } from '@vestnik/collab-client';
import { HttpSession } from '../support/http-session.js';
import { startStoreProcess, type StoreProcess } from '@vestnik/store/testing';
import { trackProcess } from './support/cleanup.js';
import { assertClean, checkDeliveries, type ReceivedBy } from './support/delivery-check.js';
import { recordFigures } from './support/figures.js';
import { waitUntil } from './support/message-stream.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const env = { LOGIN_RATE_LIMIT: '10000', LOG_LEVEL: 'warn' };

let store: StoreProcess | undefined;
let dataDir: string | undefined;
const cleanups: Array<() => void> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  await store?.kill('SIGKILL');
  store = undefined;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

interface Item {
  id: string;
  code: string;
}

async function launch(port?: number): Promise<StoreProcess> {
  const started = await startStoreProcess({ env, dataDir, port });
  const untrack = trackProcess(started.pid);
  cleanups.push(untrack);
  return started;
}

describe('kill -9 of the store (embedded, SQLite) while orders are posted', () => {
  for (const [i, timing] of [
    { faultAt: 5, downMs: 0 },
    { faultAt: 25, downMs: 300 },
    { faultAt: 45, downMs: 50 },
  ].entries()) {
    it(`trial ${i + 1}: killed after ${timing.faultAt} postings, restarted ${timing.downMs} ms later`, async () => {
      dataDir = mkdtempSync(path.join(tmpdir(), 'vestnik-chaos-store-'));
      store = await launch();
      const port = store.port;
      let crashes = 0;
      const watch = (s: StoreProcess) => {
        const check = setInterval(() => {
          if (!s.alive() && s.exit?.signal !== 'SIGKILL' && s.exit?.signal !== 'SIGTERM') crashes++;
          if (!s.alive()) clearInterval(check);
        }, 100);
        cleanups.push(() => clearInterval(check));
      };
      watch(store);
      const url = () => store!.url;
      const manager = await new HttpSession(url()).login('manager', 'manager');
      const catalog = async (name: string) =>
        ((await manager.get(`/api/catalogs/${name}?limit=200`)).body as { items: Item[] }).items;
      const [customers, warehouses, couriers, products, colors, sizes] = await Promise.all(
        ['customers', 'warehouses', 'couriers', 'products', 'colors', 'sizes'].map(catalog),
      );
      const courierIds = ['courier1', 'courier2'].map((code) => couriers!.find((c) => c.code === code)!.id);

      // Each courier: a session, and two SDK clients on the store's own WebSocket.
      const clients: ReceivedBy[] = [];
      const sdks: Array<ReturnType<typeof connect>> = [];
      const collabUser = new Map<string, string>();
      for (const login of ['courier1', 'courier2']) {
        const session = await new HttpSession(url()).login(login, login);
        const info = (await session.get('/api/session')).body as {
          user: { collabUserId: string };
          collab: { serviceConversationKey: string };
        };
        collabUser.set(login, info.user.collabUserId);
        const inbox = (await session.get('/api/notifications?limit=1')).body as { lastSeq: number };
        for (let k = 0; k < 2; k++) {
          const received: Message[] = [];
          clients.push({
            name: `${login} client ${k}`,
            userId: info.user.collabUserId,
            after: inbox.lastSeq,
            received,
          });
          const sdk = connect({
            url: () => `ws://127.0.0.1:${port}/collab/ws`,
            WebSocket,
            getToken: async () => {
              const session2 = new HttpSession(url());
              session2.cookie = session.cookie;
              session2.csrf = session.csrf;
              const answer = await session2.post('/api/collab/token', {});
              if (answer.status !== 200) throw new Error(`token: ${answer.status}`);
              return (answer.body as { token: string }).token;
            },
            reconnect: { minDelayMs: 50, maxDelayMs: 500 },
          });
          sdk.on('error', () => {});
          sdks.push(sdk);
          cleanups.push(() => sdk.close());
          const subscription = sdk.subscribe({ key: info.collab.serviceConversationKey });
          subscription.on('message', (m) => received.push(m));
          await subscription.ready();
        }
      }

      // Drafts first (creating is not idempotent); posting them is, so a failed post is retried.
      const count = 60;
      const orders: Array<{ id: string; courier: string }> = [];
      for (let n = 0; n < count; n++) {
        const courierId = courierIds[n % 2]!;
        const created = await manager.post('/api/orders', {
          customerId: customers![n % customers!.length]!.id,
          address: `ул. Ленина, ${n}`,
          warehouseId: warehouses![0]!.id,
          courierId,
          status: 'InWork',
          comment: n % 3 === 0 ? "'; DROP TABLE store_orders; --" : 'Позвонить заранее',
          items: [
            {
              productId: products![0]!.id,
              colorId: colors![0]!.id,
              sizeId: sizes![0]!.id,
              quantity: 1 + (n % 4),
            },
          ],
        });
        expect(created.status, created.text).toBe(201);
        orders.push({
          id: (created.body as { id: string }).id,
          courier: n % 2 === 0 ? 'courier1' : 'courier2',
        });
      }

      const acked: Array<{ id: string; courier: string }> = [];
      let fault: Promise<void> | undefined;
      let inFlight = 0;
      let next = 0;
      const poster = async () => {
        for (;;) {
          const order = orders[next++];
          if (order === undefined) return;
          const deadline = Date.now() + 60_000;
          for (;;) {
            try {
              const session = new HttpSession(url());
              session.cookie = manager.cookie;
              session.csrf = manager.csrf;
              const answer = await session.post(`/api/orders/${order.id}/post`, {});
              if (answer.status === 200) break;
              throw new Error(`post answered ${answer.status}: ${answer.text}`);
            } catch (error) {
              if (Date.now() > deadline) throw error;
              await sleep(100);
            }
          }
          acked.push(order);
          if (fault === undefined && acked.length >= timing.faultAt) {
            inFlight = count - acked.length;
            fault = (async () => {
              await store!.kill('SIGKILL');
              await sleep(timing.downMs);
              store = await launch(port);
              watch(store);
            })();
          }
        }
      };
      await Promise.all([poster(), poster()]);
      await fault;

      // What committed: every notification the couriers' inboxes hold (filtered per courier).
      const committed = new Map<string, Message>();
      for (const login of ['courier1', 'courier2']) {
        const session = await new HttpSession(url()).login(login, login);
        let after = 0;
        for (;;) {
          const page = (await session.get(`/api/notifications?after=${after}&limit=200`)).body as {
            messages: Message[];
            hasMore: boolean;
          };
          for (const message of page.messages) committed.set(message.id, message);
          if (!page.hasMore || page.messages.length === 0) break;
          after = page.messages.at(-1)!.seq;
        }
      }
      const all = [...committed.values()].sort((a, b) => a.seq - b.seq);
      // Every acknowledged posting has its notification, addressed to its courier.
      let lostPostings = 0;
      for (const order of acked) {
        const found = all.some(
          (m) =>
            (m.data as { order?: { id?: string } }).order?.id === order.id &&
            m.recipients.includes(collabUser.get(order.courier)!),
        );
        if (!found) lostPostings++;
      }
      const visible = (client: ReceivedBy) =>
        all.filter(
          (m) => m.seq > client.after && (m.recipients.length === 0 || m.recipients.includes(client.userId)),
        ).length;
      await waitUntil(
        () => clients.every((c) => c.received.length >= visible(c)),
        () => clients.map((c) => `${c.name}: ${c.received.length}/${visible(c)}`).join(', '),
        60_000,
      ).catch(() => {});
      await sleep(200);
      const verdict = checkDeliveries(all, [], clients);
      recordFigures({
        suite: 'kill -9 of the store (embedded SQLite) while orders are posted',
        trials: 1,
        faultsInjected: 1,
        postingsCommitted: acked.length,
        messagesInFlight: inFlight,
        deliveriesExpected: verdict.deliveriesExpected,
        deliveriesReceived: verdict.deliveriesReceived,
        lost: verdict.lost + lostPostings,
        duplicated: verdict.duplicated,
        outOfOrder: verdict.outOfOrder,
        wrongUser: verdict.wrongUser,
        phantom: verdict.phantom,
        crashes,
      });
      expect(lostPostings, 'acknowledged postings without their notification').toBe(0);
      assertClean(`store-kill-${i}`, verdict);
      expect(acked).toHaveLength(count);
      expect(crashes).toBe(0);
      for (const sdk of sdks) sdk.close();
    });
  }
});
