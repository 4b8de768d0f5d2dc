// The standalone collaboration server: `npm start -w apps/collab-standalone`, configured
// from the environment (see config.ts). Registers the application on first start; prints
// `{"msg":"listening","port":...}` once it takes connections.

import Fastify from 'fastify';
import { createRedisBroker } from '@vestnik/broker-redis';
import { createCollab, createMemoryBroker, type Broker } from '@vestnik/collab';
import type { Storage } from '@vestnik/storage';
import { createPostgresStorage } from '@vestnik/storage-postgres';
import { createSqliteStorage } from '@vestnik/storage-sqlite';
import { isVestnikError } from '@vestnik/protocol';
import { collabServer, ConfigError, frameworkErrors, installErrorHandling } from '@vestnik/collab-server';
import { readConfig, type ServeConfig } from './config.js';

async function main(config: ServeConfig): Promise<void> {
  const app = Fastify({ logger: { level: config.logLevel }, forceCloseConnections: true, frameworkErrors });
  const storage: Storage =
    config.storage.kind === 'sqlite'
      ? createSqliteStorage({ file: config.storage.file })
      : createPostgresStorage({ url: config.storage.url, schema: config.storage.schema });
  const broker: Broker = config.redis ? createRedisBroker(config.redis) : createMemoryBroker();
  if (config.storage.kind === 'postgres' && !config.redis) {
    app.log.warn('DATABASE_URL without REDIS_URL: only one node may run');
  }
  const collab = await createCollab({
    storage,
    broker,
    onError: (error) => app.log.error({ err: error }, 'collab'),
  });
  try {
    await collab.register({ applicationName: config.application });
  } catch (error) {
    if (!isVestnikError(error, 'ALREADY_REGISTERED')) throw error;
  }
  installErrorHandling(app);
  app.get('/healthz', async () => ({ ok: true }));
  await app.register(collabServer, {
    collab,
    tokenSecret: config.tokenSecret,
    application: config.application,
    applicationKey: config.applicationKey,
    prefix: config.prefix,
    limits: config.limits,
  });
  app.addHook('onClose', async () => collab.close());
  // Node's default backlog (511) is below the handshakes in flight when thousands of clients
  // reconnect at once; a dropped SYN costs its client a one-second retransmit. The kernel caps it
  // at net.core.somaxconn.
  await app.listen({ host: config.host, port: config.port, backlog: 4096 });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  // Printed whatever the log level: supervisors and tests wait for this line.
  process.stdout.write(`${JSON.stringify({ port, prefix: config.prefix, msg: 'listening' })}\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'stopping');
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

let config: ServeConfig;
try {
  config = readConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`vestnik collab server: ${error.message}`);
  process.exit(2);
}
main(config).catch((error: unknown) => {
  console.error('vestnik collab server failed to start:', error);
  process.exit(1);
});
