// What every scenario gets: the servers to compare, the shared results, and small helpers.

import type { ServerName, TargetKind } from '../targets/target.js';

export type Better = 'higher' | 'lower';

/** One line of the comparison table: a figure measured on each server. */
export interface Figure {
  scenario: string;
  metric: string;
  unit: string;
  better: Better;
  values: Partial<Record<ServerName, number>>;
  /** Why a server has no value here (e.g. the Vestnik slot is not wired yet). */
  gaps?: Partial<Record<ServerName, string>>;
}

/** A target of the issue and what this run measured for it. */
export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean | null;
}

export interface BenchResults {
  figures: Figure[];
  targets: TargetCheck[];
  /** Every raw figure, by scenario. */
  scenarios: Record<string, unknown>;
  notes: string[];
}

export interface BenchContext {
  kinds: readonly TargetKind[];
  results: BenchResults;
  /** Directory for `--cpu-prof` output, when profiling was asked for. */
  profileDir?: string;
  /** Multiplies the default counts (VESTNIK_BENCH_SCALE), for a quicker or a longer run. */
  scale: number;
  log(line: string): void;
}

export interface Scenario {
  name: string;
  title: string;
  run(context: BenchContext): Promise<void>;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function scaled(context: BenchContext, count: number, minimum = 1): number {
  return Math.max(minimum, Math.round(count * context.scale));
}
