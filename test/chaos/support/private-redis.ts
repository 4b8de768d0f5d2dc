// A private Redis for one chaos test: its own redis-server on a free port, no persistence, in a
// temporary directory, that the test may stop and start at will. The shared Redis on 6379 is
// never touched.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { onExit, trackProcess } from './cleanup.js';
import { freePort, waitForPort } from '@vestnik/testing';
import { waitForExit } from './run-command.js';

export interface PrivateRedis {
  readonly port: number;
  readonly url: string;
  readonly running: boolean;
  /** Starts it again on the same port (empty: nothing was persisted). */
  start(): Promise<void>;
  /** Stops it: `kill` sends SIGKILL, otherwise SIGTERM. */
  stop(mode?: 'kill' | 'term'): Promise<void>;
  /** Stops it for good and removes its directory. */
  dispose(): Promise<void>;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'vestnik-chaos-redis-'));
  let child: ChildProcess | undefined;
  let untrack = () => {};
  const unregister = onExit(() => {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(): Promise<void> {
    if (child) return;
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    args.push('--dir', dir, '--logfile', path.join(dir, 'redis.log'));
    child = spawn('redis-server', args, { stdio: 'ignore' });
    const started = child;
    started.on('exit', () => {
      if (child === started) child = undefined;
    });
    if (started.pid !== undefined) untrack = trackProcess(started.pid, 'SIGKILL');
    await waitForPort(port);
  }

  async function stop(mode: 'kill' | 'term' = 'kill'): Promise<void> {
    const running = child;
    if (!running?.pid) return;
    running.kill(mode === 'kill' ? 'SIGKILL' : 'SIGTERM');
    await waitForExit(running.pid);
    child = undefined;
    untrack();
  }

  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get running() {
      return child !== undefined;
    },
    start,
    stop,
    async dispose() {
      await stop('kill');
      rmSync(dir, { recursive: true, force: true });
      unregister();
    },
  };
}
