// The store server as a real process, the way `npm start` runs it: a temp DATA_DIR with the demo
// data, port 0 at first; it can be killed and started again on the same port and data directory.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const mainFile = path.join(repoRoot, 'apps/store/src/main.ts');

export interface StoreProcess {
  url: string;
  port: number;
  dataDir: string;
  /** The log so far (stdout and stderr), for failure messages. */
  log(): string;
  /** Kills the process at once (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  /** Starts the store again on the same port and data directory. */
  restart(): Promise<void>;
  /** Stops the process and removes the data directory. */
  dispose(): Promise<void>;
}

function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

function launch(
  port: number,
  dataDir: string,
  output: string[],
): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', mainFile], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      // Each test file has its own server and address; keep the login limit out of the way.
      LOGIN_RATE_LIMIT: '1000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`The store did not start in time:\n${output.join('')}`));
    }, 60_000);
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString());
      const found = /http:\/\/localhost:(\d+)/.exec(output.join(''));
      if (found) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stdout?.on('data', (c: Buffer) => output.push(c.toString()));
        resolve({ child, port: Number(found[1]) });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`The store exited (${code ?? signal}) before it listened:\n${output.join('')}`));
    });
  });
}

export async function startStore(): Promise<StoreProcess> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'vestnik-e2e-'));
  const output: string[] = [];
  let { child, port } = await launch(0, dataDir, output);
  return {
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    dataDir,
    log: () => output.join(''),
    async kill() {
      child.kill('SIGKILL');
      await waitForExit(child);
    },
    async restart() {
      output.push('--- restart ---\n');
      ({ child, port } = await launch(port, dataDir, output));
    },
    async dispose() {
      child.kill('SIGTERM');
      await waitForExit(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
