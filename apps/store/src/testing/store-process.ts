// The store as a real separate process (`apps/store/src/main.ts` through tsx), the way `npm start`
// runs it: a free port, a data directory of its own with the demo data, its log kept. What the
// web client's end-to-end tests drive, the hostile suites attack and the chaos suite kills; it can
// be killed and started again on the same port and data directory.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface StoreProcess {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  readonly dataDir: string;
  /** Every line it wrote to stdout and stderr so far, across restarts. */
  readonly log: string[];
  /** Whether it is running. */
  alive(): boolean;
  /** How the last run ended, if it did. */
  readonly exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** Stops it with `signal` (SIGTERM: a clean stop; SIGKILL: a crash) and waits; the data stay. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port and data directory (after `kill`). */
  restart(): Promise<void>;
  /** Stops it, and removes the data directory if it made it. */
  dispose(): Promise<void>;
}

export interface StoreProcessOptions {
  /** More environment (LOG_LEVEL, LOGIN_RATE_LIMIT, DATABASE_URL, ...). */
  env?: Record<string, string>;
  /** Reuse a data directory (the caller's to remove); a new temporary one otherwise. */
  dataDir?: string;
  /** A fixed port (a restart on the same address); a free one otherwise. */
  port?: number;
}

const mainFile = fileURLToPath(new URL('../main.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

interface Run {
  child: ChildProcess;
  port: number;
  exited: Promise<void>;
}

/** Starts the store and resolves once it listens. */
export async function startStoreProcess(options: StoreProcessOptions = {}): Promise<StoreProcess> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'vestnik-store-proc-'));
  const ownDir = options.dataDir === undefined;
  const log: string[] = [];
  let exit: StoreProcess['exit'];

  const launch = (port: number): Promise<Run> => {
    exit = undefined;
    // Plain `node --import tsx`, not the tsx CLI (which runs the program in a child of its own):
    // the pid is the store itself, so that kill -9 really kills it and frees its port.
    const child = spawn(process.execPath, ['--import', 'tsx', mainFile], {
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
        HOST: '127.0.0.1',
        PORT: String(port),
        DATA_DIR: dataDir,
        DEMO: '1',
        LOG_LEVEL: 'info',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let listening = 0;
    let onListening: ((port: number) => void) | undefined;
    const collect = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (line === '') continue;
        log.push(line);
        // Pino's line at level info, or the banner main.ts prints at any log level.
        const match =
          /listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(line) ??
          /^(?:Vestnik store|Open).* http:\/\/localhost:(\d+)/.exec(line);
        if (match && listening === 0) {
          listening = Number(match[1]);
          onListening?.(listening);
        }
      }
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    const exited = new Promise<void>((resolve) =>
      child.on('exit', (code, signal) => {
        exit = { code, signal };
        resolve();
      }),
    );
    return new Promise<Run>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`the store did not start:\n${log.join('\n')}`));
      }, 60_000);
      onListening = (port) => {
        clearTimeout(timer);
        resolve({ child, port, exited });
      };
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`the store exited at start (${JSON.stringify(exit)}):\n${log.join('\n')}`));
      });
    });
  };

  let run: Run;
  try {
    run = await launch(options.port ?? 0);
  } catch (error) {
    if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  // A test runner that exits without cleaning up must not leave a store running.
  const killOnExit = () => run.child.kill('SIGKILL');
  process.on('exit', killOnExit);

  const kill = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (exit === undefined) run.child.kill(signal);
    await run.exited;
  };
  return {
    get url() {
      return `http://127.0.0.1:${run.port}`;
    },
    get port() {
      return run.port;
    },
    get pid() {
      return run.child.pid ?? 0;
    },
    dataDir,
    log,
    alive: () => exit === undefined,
    get exit() {
      return exit;
    },
    kill,
    async restart() {
      await kill('SIGKILL');
      log.push('--- restart ---');
      run = await launch(run.port);
    },
    async dispose() {
      await kill('SIGTERM');
      process.off('exit', killOnExit);
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
