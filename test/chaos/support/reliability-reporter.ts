// A Vitest reporter for the chaos run: at the end it stops whatever a crashed worker left running
// and writes docs/reliability.md from the figures the suites recorded.

import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { format, resolveConfig } from 'prettier';
import type { Reporter, TestModule } from 'vitest/node';
import { stopTracked } from './cleanup.js';
import type { Figures } from './figures.js';
import { renderReliability } from './reliability-report.js';

export class ReliabilityReporter implements Reporter {
  readonly #runDir: string;
  readonly #output: string;
  #startedAt = Date.now();

  constructor(runDir: string, output: string) {
    this.#runDir = runDir;
    this.#output = output;
  }

  onTestRunStart(): void {
    this.#startedAt = Date.now();
  }

  async onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    _errors: ReadonlyArray<unknown>,
    reason: string,
  ): Promise<void> {
    const leftovers = stopTracked(this.#runDir);
    if (leftovers > 0) console.warn(`chaos: stopped ${leftovers} process(es) a test left running`);
    let records: Figures[] = [];
    try {
      records = readFileSync(path.join(this.#runDir, 'figures.jsonl'), 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Figures);
    } catch {
      // No suite recorded anything.
    }
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
    }
    const markdown = renderReliability(records, {
      result: reason,
      testsPassed: passed,
      testsFailed: failed,
      testsSkipped: skipped,
      durationMs: Date.now() - this.#startedAt,
      finishedAt: new Date(),
    });
    // Formatted as the repository's format check wants it, so that a committed run passes it.
    const options = (await resolveConfig(this.#output)) ?? {};
    writeFileSync(this.#output, await format(markdown, { ...options, parser: 'markdown' }));
    console.log(`chaos: wrote ${path.relative(process.cwd(), this.#output)}`);
    rmSync(this.#runDir, { recursive: true, force: true });
  }
}
