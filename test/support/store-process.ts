// The store as a real separate process (`apps/store/src/main.ts` through tsx), on a free port, with
// its own data directory: what the hostile suites attack and what the chaos suite kills. Its
// structured log (pino, stdout) is kept for the tests that read it.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface StoreProcess {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** Every line it wrote to stdout and stderr so far. */
  readonly log: string[];
  /** Whether it is still running. */
  alive(): boolean;
  /** How it ended, if it did. */
  readonly exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

const root = path.resolve(import.meta.dirname, '../..');

export interface StoreProcessOptions {
  env?: Record<string, string>;
  /** Reuse a data directory (a restart); a new temporary one otherwise. */
  dataDir?: string;
  /** A fixed port (a restart on the same address); a free one otherwise. */
  port?: number;
}

/** Starts the store and resolves once it listens. */
export async function startStoreProcess(options: StoreProcessOptions = {}): Promise<StoreProcess> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'vestnik-store-proc-'));
  const ownDir = options.dataDir === undefined;
  // Plain `node --import tsx`, not the tsx CLI (which runs the program in a child of its own): the
  // pid is the store itself, so that kill -9 really kills it and frees its port.
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(root, 'apps/store/src/main.ts')],
    {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        HOST: '127.0.0.1',
        PORT: String(options.port ?? 0),
        DATA_DIR: dataDir,
        DEMO: '1',
        LOG_LEVEL: 'info',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const log: string[] = [];
  let exit: StoreProcess['exit'];
  let port = 0;
  let onListening: (() => void) | undefined;
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (line === '') continue;
      log.push(line);
      // Pino's line at level info, or the banner main.ts prints at any log level.
      const match =
        /listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(line) ??
        /^(?:Vestnik store|Open).* http:\/\/localhost:(\d+)/.exec(line);
      if (match && port === 0) {
        port = Number(match[1]);
        onListening?.();
      }
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) =>
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
      resolve();
    }),
  );
  process.on('exit', () => child.kill('SIGKILL'));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the store did not start:\n${log.join('\n')}`)), 60_000);
    onListening = () => {
      clearTimeout(timer);
      resolve();
    };
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the store exited at start (${JSON.stringify(exit)}):\n${log.join('\n')}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid ?? 0,
    log,
    alive: () => exit === undefined,
    get exit() {
      return exit;
    },
    async kill(signal: NodeJS.Signals = 'SIGTERM') {
      if (exit !== undefined) return;
      child.kill(signal);
      await exited;
    },
  };
}
