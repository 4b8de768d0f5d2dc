// The `peers` benchmark: Vestnik side by side with Socket.IO and a naive ws server (and Vestnik
// alone where they have nothing to compare). Runs its scenarios (all, or those named), prints the
// table with ratios, writes bench/results/latest.json and the `peers` section of BENCHMARKS.md.
// VESTNIK_BENCH_SCALE (e.g. 0.2) gives a quicker run with smaller counts; the figures say which.
import { execSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import type { BenchContext, BenchResults, Scenario } from './lib/context.js';
import { checkTargets } from './lib/issue-targets.js';
import { describeMachine } from './lib/machine.js';
import { section, SECTION, table, targetsTable } from './lib/report.js';
import { resultsDir, writeResults, writeSection } from './report.js';
import { fanout } from './scenarios/fanout.js';
import { idle } from './scenarios/idle.js';
import { latency } from './scenarios/latency.js';
import { reconnect } from './scenarios/reconnect.js';
import { store } from './scenarios/store.js';
import { KINDS } from './targets/kinds.js';

export const SCENARIOS: Scenario[] = [fanout, latency, idle, store, reconnect];

/** Runs the named scenarios (all when none are named); `--profile` writes CPU profiles of the servers. */
export default async function peers(args: string[] = []): Promise<void> {
  const profile = args.includes('--profile');
  const names = args.filter((a) => !a.startsWith('--'));
  const unknown = names.filter((n) => !SCENARIOS.some((s) => s.name === n));
  if (unknown.length > 0) {
    console.error(
      `unknown scenario ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`,
    );
    process.exit(2);
  }
  const selected = names.length === 0 ? SCENARIOS : SCENARIOS.filter((s) => names.includes(s.name));
  const scale = Number(process.env.VESTNIK_BENCH_SCALE ?? '1');
  if (!(scale > 0)) throw new Error('VESTNIK_BENCH_SCALE must be a positive number');
  const machine = describeMachine(execSync('ulimit -n', { shell: '/bin/bash' }).toString().trim());
  const results: BenchResults = { figures: [], targets: [], scenarios: {}, notes: [] };
  const profileDir = profile ? resultsDir() : undefined;
  if (profileDir !== undefined) await mkdir(profileDir, { recursive: true });
  const context: BenchContext = {
    kinds: KINDS,
    results,
    scale,
    profileDir,
    log: (line) => console.log(line),
  };
  console.log(
    `machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.ramGb} GB, Node ${machine.node}, scale ${scale}`,
  );
  for (const kind of KINDS) {
    const gap = await kind.unavailable();
    if (gap !== null) {
      console.log(`note: ${kind.label} is not measured: ${gap}`);
      results.notes.push(`${kind.label} is not measured in this run: ${gap}`);
    }
  }
  const started = Date.now();
  for (const scenario of selected) {
    console.log(`\n${scenario.title}`);
    const t0 = Date.now();
    await scenario.run(context);
    console.log(`  (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  }
  results.targets = checkTargets(results);
  if (scale !== 1)
    results.notes.push(
      `Counts scaled by ${scale} (VESTNIK_BENCH_SCALE); the figures name the actual counts.`,
    );
  console.log(`\n${table(results)}\n\n${targetsTable(results.targets)}\n`);
  // Only a full run at the default counts stands for the table in BENCHMARKS.md.
  const full = selected.length === SCENARIOS.length && scale === 1;
  const file = writeResults(full ? 'latest' : `partial-${selected.map((s) => s.name).join('-')}`, {
    machine,
    scale,
    ran: selected.map((s) => s.name),
    seconds: (Date.now() - started) / 1000,
    ...results,
  });
  console.log(`wrote ${file}`);
  if (full) {
    await writeSection(SECTION, section(results, machine));
    console.log('updated BENCHMARKS.md (section "peers")');
  } else console.log('a partial or scaled run leaves BENCHMARKS.md alone');
  console.log(`total ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
