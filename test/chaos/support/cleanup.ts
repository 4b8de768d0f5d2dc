// Last-resort cleanup of what a chaos test started: private services and nodes are stopped when the
// test process exits for any reason, and are also listed in the run's directory so that the
// runner's teardown can stop whatever a crashed worker left behind.

import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

type Cleanup = () => void;

const cleanups = new Set<Cleanup>();
let installed = false;

function runAll(): void {
  for (const cleanup of [...cleanups]) {
    try {
      cleanup();
    } catch {
      // Cleaning up must go on for the others.
    }
  }
  cleanups.clear();
}

/** Registers a synchronous cleanup for process exit; returns a function that unregisters it. */
export function onExit(cleanup: Cleanup): () => void {
  if (!installed) {
    installed = true;
    process.on('exit', runAll);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        runAll();
        process.exit(1);
      });
    }
  }
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/** Where the runner's global setup lists started processes (unset outside the chaos runner). */
const runDir = process.env.VESTNIK_CHAOS_RUN_DIR;

/** Records a started process so that the runner's teardown can stop it if nobody else does. */
export function trackProcess(
  pid: number,
  signal: NodeJS.Signals = 'SIGKILL',
  directory?: string,
): () => void {
  if (runDir === undefined) return () => {};
  const dir = path.join(runDir, 'pids');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${pid}.json`);
  writeFileSync(file, JSON.stringify({ pid, signal, directory }));
  return () => rmSync(file, { force: true });
}

/** Stops every process still listed in a run directory and removes what they left (teardown). */
export function stopTracked(dir: string): number {
  let stopped = 0;
  const pids = path.join(dir, 'pids');
  let files: string[] = [];
  try {
    files = readdirSync(pids);
  } catch {
    return 0;
  }
  for (const name of files) {
    try {
      const entry = JSON.parse(readFileSync(path.join(pids, name), 'utf8')) as {
        pid: number;
        signal: NodeJS.Signals;
        directory?: string;
      };
      try {
        process.kill(entry.pid, entry.signal);
        stopped++;
      } catch {
        // Already gone.
      }
      if (entry.directory) rmSync(entry.directory, { recursive: true, force: true });
    } catch {
      // A half-written entry: nothing to do.
    }
  }
  return stopped;
}
