// `npm start`: reads the configuration, builds the store and listens. A bad configuration is
// reported value by value and the process exits without starting.

import { buildStoreApp } from './app.js';
import { ConfigError } from '@vestnik/collab-server';
import { loadConfig, type StoreConfig } from './config.js';
import { demoLogins } from './demo/demo-data.js';

// `npm start` at the root runs this in apps/store; relative paths are meant from where it was typed.
const cwd = process.env.INIT_CWD ?? process.cwd();

let config: StoreConfig;
try {
  config = loadConfig(process.env, cwd);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

const store = await buildStoreApp(config);
const { app, started } = store;
await app.listen({ port: config.port, host: config.host });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : config.port;
const url = `http://localhost:${port}`;

if (started === 'demo') {
  console.log(`\nVestnik store: demo data created in ${config.dataDir}. Open ${url} and log in as:`);
  for (const user of demoLogins)
    console.log(`  ${user.login.padEnd(9)} / ${user.password.padEnd(9)} (${user.roles.join(', ')})`);
  console.log('');
} else if (started === 'admin') {
  console.log(
    `\nVestnik store at ${url}: created the administrator "${config.adminLogin}" (password from ADMIN_PASSWORD).\n`,
  );
} else if (started === 'empty') {
  console.log(
    `\nVestnik store at ${url} has no users. Restart with ADMIN_PASSWORD=... to create the administrator "${config.adminLogin}".\n`,
  );
} else {
  console.log(`\nVestnik store at ${url}\n`);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    app.log.info({ signal }, 'shutting down');
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
