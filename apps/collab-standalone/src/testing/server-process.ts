// Starts the standalone server (src/serve.ts) as a real child process for tests, and talks to its
// server API. The child is plain `node --import tsx`, so its pid is the server itself (kill -9).

import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const TEST_SECRET = 'test-secret-0123456789-0123456789-abcdef';
export const TEST_APP_KEY = 'test-application-key-0123456789';
export const TEST_APPLICATION = 'test-app';

const serveFile = fileURLToPath(new URL('../serve.ts', import.meta.url));

export interface ServerProcess {
  readonly port: number;
  readonly pid: number;
  readonly httpUrl: string;
  readonly wsUrl: string;
  readonly exited: Promise<number | null>;
  /** Sends the signal (SIGKILL for a crash) and waits for the process to end. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Resident memory of the server process, in bytes (Linux). */
  rss(): number;
  output(): string;
  /** Calls the server API with the application key; answers the status and the parsed body. */
  api<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
}

export async function startServer(env: Record<string, string>): Promise<ServerProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', serveFile], {
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: '0',
      VESTNIK_TOKEN_SECRET: TEST_SECRET,
      VESTNIK_APPLICATION_KEY: TEST_APP_KEY,
      VESTNIK_APPLICATION: TEST_APPLICATION,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 25_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"port":(\d+)[^\n]*"msg":"listening"/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening:\n${output}`));
    });
  });
  const httpUrl = `http://127.0.0.1:${port}`;
  const prefix = env.VESTNIK_PREFIX ?? '/collab';
  return {
    port,
    pid: child.pid!,
    httpUrl,
    wsUrl: `ws://127.0.0.1:${port}${prefix}/ws`,
    exited,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
    rss() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
    },
    output: () => output,
    async api<T>(method: string, path: string, body?: unknown) {
      const response = await fetch(`${httpUrl}${prefix}/api${path}`, {
        method,
        headers: {
          authorization: `Bearer ${TEST_APP_KEY}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
    },
  };
}
