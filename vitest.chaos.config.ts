import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';
import { ReliabilityReporter } from './test/chaos/support/reliability-reporter.js';

// The chaos run (`npm run test:chaos`): fault-injection trials, plus the bad-input and attack suites
// so that docs/reliability.md, written at the end, counts everything from one run. Files run one
// at a time: they kill and restart processes, and the machine has two cores.
const runDir = mkdtempSync(path.join(tmpdir(), 'vestnik-chaos-run-'));
process.env.VESTNIK_CHAOS_RUN_DIR = runDir;

export default defineConfig({
  test: {
    include: ['test/chaos/**/*.test.ts', 'test/bad-input/**/*.test.ts', 'test/attacks/**/*.test.ts'],
    reporters: ['default', new ReliabilityReporter(runDir, path.resolve('docs/reliability.md'))],
    env: { VESTNIK_CHAOS_RUN_DIR: runDir },
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
