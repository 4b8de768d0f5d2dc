// Scenario 4, the store: N couriers connected to the store server (subscribed to the service
// conversation); a manager posts orders through the store's HTTP API at a fixed rate, then at
// rising rates. Post-to-notification latency, every courier gets exactly its own orders, and the
// highest rate the store sustains. Vestnik only: the peers have no store.

import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { issueClientToken } from '@vestnik/collab-server';
import { percentile } from '../lib/delivery-ledger.js';
import { scaled, sleep, type BenchContext, type Figure, type Scenario } from '../lib/context.js';
import { RawWebSocket } from '../lib/raw-websocket.js';
import { freePort } from '@vestnik/testing';
import { REPO_ROOT, ServerProcess } from '../lib/server-process.js';
import { connectMany, HOST, waitFor } from '../targets/target.js';
import { MANAGER, seedStore, type StoreWorld } from './store-seed.js';

const MAIN = path.join(REPO_ROOT, 'apps/store/src/main.ts');
const SESSION_SECRET = 'bench-session-secret-0123456789abcdefghij';
const APPLICATION = 'vestnik-store';
const SERVICE_KEY = 'Служебное обсуждение для курьеров';
const FIXED_RATE = 100;
const FIXED_SECONDS = 5;
const RAMP = [250, 500, 1000, 1500, 2000];
const RAMP_SECONDS = 3;
const MAX_IN_FLIGHT = 256;
/** The ramp step whose server CPU per order is the figure: below saturation, so comparable. */
const CPU_RATE = 500;

interface Notification {
  data?: { order?: { id?: string }; courier?: { id?: string }; kind?: string };
}

/** Post-to-notification bookkeeping for every order and every courier. */
class OrderLedger {
  readonly postedAt = new Map<string, number>();
  readonly courierOf = new Map<string, number>();
  readonly received = new Map<string, number>();
  readonly latencies: number[] = [];
  readonly errors: string[] = [];
  notifications = 0;

  notify(courier: number, catalogId: string, frame: Buffer): void {
    const now = performance.now();
    const text = frame.toString();
    const message = (JSON.parse(text) as { message?: Notification }).message;
    const orderId = message?.data?.order?.id;
    this.notifications++;
    if (
      orderId === undefined ||
      message?.data?.courier?.id !== catalogId ||
      message.data.kind !== 'assigned'
    ) {
      this.#error(`courier ${courier} got a notification not meant for it: ${text.slice(0, 300)}`);
      return;
    }
    if (this.courierOf.has(orderId) && this.courierOf.get(orderId) !== courier) {
      this.#error(`courier ${courier} got order ${orderId} of courier ${this.courierOf.get(orderId)}`);
      return;
    }
    if (this.received.has(orderId)) {
      this.#error(`order ${orderId} notified twice`);
      return;
    }
    this.received.set(orderId, courier);
    const postedAt = this.postedAt.get(orderId);
    if (postedAt !== undefined) this.latencies.push(now - postedAt);
    else this.#error(`courier ${courier} got order ${orderId} before it was posted`);
  }

  /** Throws unless each posted order reached its courier, once, and nothing else came. */
  assertComplete(): void {
    const missing = [...this.postedAt.keys()].filter(
      (id) => this.received.get(id) !== this.courierOf.get(id),
    );
    if (this.errors.length > 0 || missing.length > 0 || this.notifications !== this.postedAt.size) {
      throw new Error(
        `store: notification check failed: ${this.postedAt.size} posted, ${this.notifications} notifications, ` +
          `${missing.length} missing; ${this.errors.slice(0, 5).join('; ')}`,
      );
    }
  }

  #error(text: string): void {
    if (this.errors.length < 100) this.errors.push(text);
  }
}

/** The manager's HTTP session: cookie and CSRF token on every state-changing call. */
class ManagerClient {
  readonly #port: number;
  readonly #agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  #cookie = '';
  #csrf = '';

  constructor(port: number) {
    this.#port = port;
  }

  async login(): Promise<void> {
    const response = await this.call('POST', '/api/session', MANAGER, true);
    const session = response.body as { csrf: string };
    this.#csrf = session.csrf;
    this.#cookie = response.cookie;
  }

  call(
    method: string,
    url: string,
    body: unknown,
    login = false,
  ): Promise<{ status: number; body: unknown; cookie: string }> {
    const payload = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const request = http.request(
        {
          host: HOST,
          port: this.#port,
          path: url,
          method,
          agent: this.#agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
            ...(login ? {} : { cookie: this.#cookie, 'x-csrf-token': this.#csrf }),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (c: Buffer) => chunks.push(c));
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            const status = response.statusCode ?? 0;
            if (status >= 300) {
              reject(new Error(`store ${method} ${url}: ${status} ${text.slice(0, 300)}`));
              return;
            }
            const setCookie = (response.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
            resolve({ status, body: text === '' ? null : (JSON.parse(text) as unknown), cookie: setCookie });
          });
        },
      );
      request.on('error', reject);
      request.end(payload);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}

interface PhaseResult {
  rate: number;
  orders: number;
  seconds: number;
  achievedRate: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  sustained: boolean;
  /** The store server's CPU time (user + system) per order posted in the step. */
  serverCpuMsPerOrder: number;
}

async function runPhase(
  server: ServerProcess,
  manager: ManagerClient,
  world: StoreWorld,
  ledger: OrderLedger,
  rate: number,
  seconds: number,
  firstOrder: number,
): Promise<PhaseResult> {
  const orders = Math.max(1, Math.round(rate * seconds));
  const latencyFrom = ledger.latencies.length;
  const before = ledger.postedAt.size;
  let inFlight = 0;
  let behind = false;
  let failure: Error | undefined;
  const cpuBefore = await server.stats();
  const postOne = async (k: number): Promise<void> => {
    const index = k % world.couriers.length;
    const courier = world.couriers[index]!;
    const created = await manager.call('POST', '/api/orders', {
      customerId: world.customerId,
      address: 'Somewhere 1',
      warehouseId: world.warehouseId,
      courierId: courier.catalogId,
      status: 'InWork',
      items: [{ productId: world.productId, colorId: world.colorId, sizeId: world.sizeId, quantity: 1 }],
    });
    const orderId = (created.body as { id: string }).id;
    ledger.courierOf.set(orderId, index);
    ledger.postedAt.set(orderId, performance.now());
    await manager.call('POST', `/api/orders/${orderId}/post`, {});
  };
  const t0 = performance.now();
  await new Promise<void>((resolve) => {
    let started = 0;
    let finished = 0;
    const timer = setInterval(() => {
      const due = Math.min(orders, Math.floor(((performance.now() - t0) / 1000) * rate) + 1);
      while (started < due) {
        if (inFlight >= MAX_IN_FLIGHT) {
          behind = true;
          break;
        }
        inFlight++;
        const k = firstOrder + started++;
        postOne(k)
          .catch((error: unknown) => {
            failure ??= error instanceof Error ? error : new Error(String(error));
          })
          .finally(() => {
            inFlight--;
            if (++finished === orders) resolve();
          });
      }
      if (started === orders) clearInterval(timer);
    }, 2);
  });
  if (failure !== undefined) throw failure;
  const posted = ledger.postedAt.size - before;
  const deadline = performance.now() + 10_000;
  while (ledger.received.size < ledger.postedAt.size && performance.now() < deadline) await sleep(5);
  const elapsed = (performance.now() - t0) / 1000;
  const cpuAfter = await server.stats();
  const cpuUs = cpuAfter.cpuUserUs - cpuBefore.cpuUserUs + cpuAfter.cpuSystemUs - cpuBefore.cpuSystemUs;
  const latencies = ledger.latencies.slice(latencyFrom).sort((a, b) => a - b);
  const complete = ledger.received.size === ledger.postedAt.size;
  const achievedRate = posted / elapsed;
  const p99 = percentile(latencies, 99);
  return {
    rate,
    orders: posted,
    seconds: elapsed,
    achievedRate,
    p50Ms: percentile(latencies, 50),
    p99Ms: p99,
    maxMs: latencies[latencies.length - 1] ?? Number.NaN,
    serverCpuMsPerOrder: cpuUs / 1000 / Math.max(1, posted),
    // Sustained: the posts kept pace (no queue past the in-flight bound, 90% of the rate) and
    // every notification arrived, its p99 within a second.
    sustained: complete && !behind && achievedRate >= rate * 0.9 && p99 < 1000,
  };
}

export const store: Scenario = {
  name: 'store',
  title: 'The store: orders posted over HTTP, couriers notified over WebSocket',
  async run(context: BenchContext): Promise<void> {
    const couriers = scaled(context, 10_000, 10);
    const p99Figure: Figure = {
      scenario: 'store',
      metric: `post-to-notification p99 at ${FIXED_RATE} orders/s, ${couriers} couriers connected`,
      unit: 'ms',
      better: 'lower',
      values: {},
      gaps: { socketio: 'no store', ws: 'no store' },
    };
    const p50Figure: Figure = { ...p99Figure, metric: p99Figure.metric.replace('p99', 'p50'), values: {} };
    const rateFigure: Figure = {
      scenario: 'store',
      metric: `highest sustained rate (orders/s, SQLite), ${couriers} couriers connected`,
      unit: 'orders/s',
      better: 'higher',
      values: {},
      gaps: { socketio: 'no store', ws: 'no store' },
    };
    const achievedFigure: Figure = {
      ...rateFigure,
      metric: `most orders/s achieved in any step, ${couriers} couriers connected`,
      values: {},
    };
    const cpuFigure: Figure = {
      ...rateFigure,
      metric: `server CPU per order (create and post) at ${CPU_RATE} orders/s, ${couriers} couriers connected`,
      unit: 'ms',
      better: 'lower',
      values: {},
    };
    context.results.figures.push(p50Figure, p99Figure, rateFigure, achievedFigure, cpuFigure);
    if (!existsSync(MAIN)) {
      const gap = 'the store (apps/store/src/main.ts) is not merged yet';
      for (const f of [p50Figure, p99Figure, rateFigure, achievedFigure, cpuFigure])
        f.gaps = { ...f.gaps, vestnik: gap };
      context.results.scenarios.store = { gap };
      return;
    }
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vestnik-bench-store-'));
    const env = { DATA_DIR: dir, SESSION_SECRET, DEMO: '0', LOG_LEVEL: 'warn' };
    const seedStart = Date.now();
    const world = await seedStore(env, couriers);
    context.log(
      `  store seeded with ${couriers} couriers in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`,
    );
    const server = await ServerProcess.start({
      name: 'store',
      script: MAIN,
      port: await freePort(),
      env,
      nodeFlags: context.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${context.profileDir}`] : [],
    });
    const manager = new ManagerClient(server.port);
    const ledger = new OrderLedger();
    let sockets: RawWebSocket[] = [];
    try {
      const tokenSecret = createHmac('sha256', SESSION_SECRET)
        .update('vestnik collab client tokens')
        .digest('base64url');
      sockets = await connectMany(couriers, 200, async (i) => {
        const courier = world.couriers[i]!;
        const { token } = issueClientToken(tokenSecret, {
          userId: courier.collabUserId,
          application: APPLICATION,
          ttlSeconds: 3600,
        });
        const subscribed = waitFor('store courier subscribe');
        const ws = await RawWebSocket.connect({
          host: HOST,
          port: server.port,
          path: `/collab/ws?token=${encodeURIComponent(token)}`,
          onFrame: (frame) => {
            if (frame.toString('latin1', 0, 15) === '{"op":"message"')
              ledger.notify(i, courier.catalogId, frame);
            else if (frame.toString('latin1', 0, 18) === '{"op":"subscribed"') subscribed.done();
            else if (frame.toString('latin1', 0, 15) !== '{"op":"welcome"') {
              subscribed.fail(new Error(`store courier ${i}: ${frame.toString().slice(0, 300)}`));
            }
          },
        });
        ws.sendText(JSON.stringify({ op: 'subscribe', id: 's', conversation: { key: SERVICE_KEY } }));
        await subscribed.promise;
        return ws;
      });
      await manager.login();
      // What the connected couriers cost with no orders at all (part of every step's CPU per order).
      await sleep(1000);
      const idleBefore = await server.stats();
      await sleep(2000);
      const idleAfter = await server.stats();
      const idleMsPerSecond =
        (idleAfter.cpuUserUs - idleBefore.cpuUserUs + idleAfter.cpuSystemUs - idleBefore.cpuSystemUs) /
        1000 /
        2;
      context.log(
        `  store idle with ${couriers} couriers connected: server CPU ${idleMsPerSecond.toFixed(0)} ms/s`,
      );
      // Warm-up: a few orders so that the first measured ones do not pay for JIT and caches.
      const warm = await runPhase(server, manager, world, ledger, 20, 1, 0);
      let next = warm.orders;
      ledger.latencies.length = 0;
      const fixed = await runPhase(
        server,
        manager,
        world,
        ledger,
        FIXED_RATE,
        FIXED_SECONDS * Math.min(1, context.scale * 2),
        next,
      );
      next += fixed.orders;
      p50Figure.values.vestnik = fixed.p50Ms;
      p99Figure.values.vestnik = fixed.p99Ms;
      context.log(
        `  store ${FIXED_RATE} orders/s, ${couriers} couriers: p50 ${fixed.p50Ms.toFixed(1)} ms, p99 ${fixed.p99Ms.toFixed(1)} ms, max ${fixed.maxMs.toFixed(1)} ms, server CPU ${fixed.serverCpuMsPerOrder.toFixed(2)} ms/order`,
      );
      const ramp: PhaseResult[] = [];
      let highest = fixed.sustained ? FIXED_RATE : 0;
      let mostAchieved = fixed.achievedRate;
      let broken = false;
      for (const rate of RAMP) {
        const phase = await runPhase(server, manager, world, ledger, rate, RAMP_SECONDS, next);
        next += phase.orders;
        ramp.push(phase);
        mostAchieved = Math.max(mostAchieved, phase.achievedRate);
        if (rate === CPU_RATE) cpuFigure.values.vestnik = phase.serverCpuMsPerOrder;
        context.log(
          `  store at ${rate} orders/s: achieved ${phase.achievedRate.toFixed(0)}/s, p50 ${phase.p50Ms.toFixed(1)} ms, ` +
            `p99 ${phase.p99Ms.toFixed(1)} ms, server CPU ${phase.serverCpuMsPerOrder.toFixed(2)} ms/order, ` +
            `${phase.sustained ? 'sustained' : 'NOT sustained'}`,
        );
        if (!phase.sustained) broken = true;
        else if (!broken) highest = rate;
        // The CPU figure's step runs even after a step the machine did not sustain (a busy
        // machine), so that the figure is always measured; the ramp stops at the first step
        // not sustained past it.
        if (broken && rate >= CPU_RATE) break;
      }
      rateFigure.values.vestnik = highest;
      achievedFigure.values.vestnik = mostAchieved;
      await sleep(300);
      ledger.assertComplete();
      context.results.scenarios.store = {
        couriers,
        fixed,
        ramp,
        highestSustained: highest,
        orders: ledger.postedAt.size,
      };
    } catch (error) {
      if (error instanceof Error) error.message += `\n  store output (tail): ${server.output.slice(-1500)}`;
      throw error;
    } finally {
      manager.close();
      for (const ws of sockets) ws.destroy();
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    }
  },
};
