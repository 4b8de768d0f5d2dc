// `npm run bench` must keep working from a fresh clone: every scenario at small counts, against all
// three servers, with the benchmark's own delivery checks (every message to every subscriber once,
// in order; every courier exactly its own orders). Figures are not asserted: this is not a timing test.

import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));

interface Results {
  ran: string[];
  scale: number;
  figures: Array<{
    scenario: string;
    metric: string;
    values: Record<string, number>;
    gaps?: Record<string, string>;
  }>;
}

function runBench(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', 'peers'], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('npm run bench (small counts)', () => {
  let dir = '';
  afterAll(async () => {
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  it('runs every scenario on every server, its delivery checks pass, and BENCHMARKS.md is left alone', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'vestnik-bench-smoke-'));
    const before = await readFile(path.join(ROOT, 'BENCHMARKS.md'), 'utf8');
    const { code, output } = await runBench({ VESTNIK_BENCH_SCALE: '0.01', VESTNIK_BENCH_RESULTS_DIR: dir });
    expect(code, output.slice(-3000)).toBe(0);
    expect(await readFile(path.join(ROOT, 'BENCHMARKS.md'), 'utf8')).toBe(before);
    const files = await readdir(dir);
    expect(files).toHaveLength(1);
    const results = JSON.parse(await readFile(path.join(dir, files[0]!), 'utf8')) as Results;
    expect(results.scale).toBe(0.01);
    expect(results.ran).toEqual(['fanout', 'latency', 'idle', 'store', 'reconnect']);
    for (const figure of results.figures) {
      // The peers have no store and no resubscribe with `since`; everything else is measured on all three.
      const servers =
        figure.scenario === 'store' || figure.scenario === 'reconnect'
          ? ['vestnik']
          : ['vestnik', 'socketio', 'ws'];
      for (const server of servers) {
        // Measured, not a gap; at these counts a memory difference may even come out negative.
        expect(
          Number.isFinite(figure.values[server]),
          `${figure.metric} on ${server}: ${figure.gaps?.[server] ?? 'missing'}`,
        ).toBe(true);
      }
    }
  }, 300_000);
});
