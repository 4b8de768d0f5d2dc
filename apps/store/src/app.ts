// Builds the store: the collaboration system embedded in the same process and database, the
// store's tables beside it, and the HTTP API. Tests build it in-process and listen on port 0.

import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import { VestnikError } from '@vestnik/protocol';
import {
  collabServer,
  drainRefusedBody,
  frameworkErrors,
  installErrorHandling,
  type GatewayStats,
} from '@vestnik/collab-server';
import { isSessionOpen } from './modules/users/sessions-service.js';
import { createRedisBroker } from '@vestnik/broker-redis';
import { createCollab, createMemoryBroker, type Broker } from '@vestnik/collab';
import type { Storage } from '@vestnik/storage';
import { createPostgresStorage } from '@vestnik/storage-postgres';
import { createSqliteStorage } from '@vestnik/storage-sqlite';
import type { StoreConfig } from './config.js';
import { migrateStore } from './database/migrations.js';
import type { StoreDatabase } from './database/schema.js';
import { installAccess, type RouteAccess } from './http/access.js';
import { createMetrics, installMetrics } from './http/metrics.js';
import { installSecurityHeaders } from './http/security-headers.js';
import { installRejectNul } from './http/reject-nul.js';
import { installWebClient } from './http/web-client.js';
import { adminRoutes } from './api/admin-routes.js';
import { catalogRoutes } from './api/catalog-routes.js';
import { collabRoutes } from './api/collab-routes.js';
import type { RouteDeps } from './api/deps.js';
import { orderRoutes } from './api/order-routes.js';
import { ErrorBodySchema } from './api/schemas.js';
import { serviceRoutes } from './api/service-routes.js';
import { sessionRoutes } from './api/session-routes.js';
import { stockRoutes } from './api/stock-routes.js';
import { userRoutes } from './api/user-routes.js';
import type { StoreContext } from './workflows/context.js';
import { firstStart, type FirstStart } from './workflows/first-start.js';

export const storeVersion = '0.1.0';

export interface StoreOverrides {
  /** A storage to use instead of the configured one (tests pass their fixtures). */
  storage?: Storage;
  broker?: Broker;
  /** false: no request logs (tests). */
  logger?: boolean;
}

export interface StoreApp {
  app: FastifyInstance;
  ctx: StoreContext;
  /** What the first start did: nothing (existing data), demo data, the first admin, or nothing to do. */
  started: FirstStart;
  storageKind: string;
  /** Secret of the collaboration WebSocket's client tokens (for the gateway). */
  tokenSecret: string;
  /** Every route with who may call it. */
  routes: RouteAccess[];
}

/** In embedded mode without SESSION_SECRET, a random secret is made once and kept beside the database. */
function sessionSecretOf(config: StoreConfig, embedded: boolean): string {
  if (config.sessionSecret) return config.sessionSecret;
  if (!embedded) return randomBytes(32).toString('base64url');
  const file = path.join(config.dataDir, 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

function openStorage(config: StoreConfig): Storage {
  if (config.databaseUrl)
    return createPostgresStorage({ url: config.databaseUrl, schema: config.databaseSchema });
  mkdirSync(config.dataDir, { recursive: true });
  return createSqliteStorage({ file: path.join(config.dataDir, 'vestnik.db') });
}

/**
 * Builds the store app: storage, collaboration system, migrations, first-start data, routes.
 *
 * @example
 * const { app } = await buildStoreApp(loadConfig(process.env));
 * await app.listen({ port: 3000 });
 */
export async function buildStoreApp(config: StoreConfig, overrides: StoreOverrides = {}): Promise<StoreApp> {
  const storage = overrides.storage ?? openStorage(config);
  // One writer at a time is one process: the embedded mode (files under DATA_DIR, demo data).
  const embedded = !storage.capabilities.concurrentWriters;
  if (embedded) mkdirSync(config.dataDir, { recursive: true });
  const broker =
    overrides.broker ??
    (config.redisUrl ? createRedisBroker({ url: config.redisUrl }) : createMemoryBroker());
  const app = Fastify({
    logger:
      overrides.logger === false
        ? false
        : {
            level: config.logLevel,
            redact: ['req.headers.cookie', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'],
          },
    bodyLimit: 1024 * 1024,
    trustProxy: config.trustProxy,
    // Unknown fields are refused, not silently dropped.
    ajv: { customOptions: { removeAdditional: false } },
    frameworkErrors,
  });
  // A body over the limit gets its 413 read by the client, not a reset (first, so every route has it).
  app.addHook('onSend', drainRefusedBody());
  const collab = await createCollab({
    storage,
    broker,
    onError: (error) => app.log.error({ err: error }, 'collaboration system'),
  });
  app.addHook('onClose', async () => collab.close());
  try {
    await migrateStore(storage);
  } catch (error) {
    await collab.close();
    throw error;
  }
  const metrics = createMetrics();
  const ctx: StoreContext = {
    collab,
    storage,
    db: storage.db.withTables<StoreDatabase>(),
    applicationName: config.applicationName,
    counters: metrics.counters,
  };
  const sessionSecret = sessionSecretOf(config, embedded && overrides.storage === undefined);
  const tokenSecret = createHmac('sha256', sessionSecret)
    .update('vestnik collab client tokens')
    .digest('base64url');
  let gateway: GatewayStats | undefined;
  const deps: RouteDeps = {
    ctx,
    sessionTtlMs: config.sessionTtlHours * 3600_000,
    loginRateLimit: config.loginRateLimit,
    tokenSecret,
    storageKind: storage.kind,
    brokerKind: config.redisUrl ? 'redis' : 'memory',
    version: storeVersion,
    connectedClients: () => gateway?.connections ?? 0,
  };

  await app.register(fastifyCookie, { secret: sessionSecret });
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: () =>
      new VestnikError('RATE_LIMITED', 'Too many login attempts; wait a minute and try again.'),
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Vestnik store API', version: storeVersion, description: 'See docs/store-api.md.' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'vestnik_session' },
          csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
        },
      },
    },
  });
  app.addSchema(ErrorBodySchema);
  installErrorHandling(app);
  installSecurityHeaders(app);
  installRejectNul(app);
  const routes = installAccess(app, ctx.db);
  installMetrics(app, metrics);
  serviceRoutes(app, ctx.db);
  sessionRoutes(app, deps);
  collabRoutes(app, deps);
  catalogRoutes(app, deps);
  orderRoutes(app, deps);
  stockRoutes(app, deps);
  userRoutes(app, deps);
  adminRoutes(app, deps);
  // The collaboration WebSocket on the same port: /collab/ws, tokens from POST /api/collab/token.
  await app.register(collabServer, {
    collab,
    tokenSecret,
    application: config.applicationName,
    prefix: '/collab',
    isSessionActive: (handle) => isSessionOpen(ctx.db, handle),
    onGateway: (stats) => {
      gateway = stats;
    },
  });
  await installWebClient(app);

  let started: FirstStart;
  try {
    started = await firstStart(ctx, {
      demo: config.demo && embedded,
      adminLogin: config.adminLogin,
      adminPassword: config.adminPassword,
    });
  } catch (error) {
    await app.close();
    throw error;
  }
  return { app, ctx, started, storageKind: storage.kind, tokenSecret, routes };
}
