// The figures a run reports in docs/reliability.md. Each suite records what it actually did and
// found; the runner's teardown adds them up. Outside the chaos runner recording does nothing.

import { appendFileSync } from 'node:fs';
import path from 'node:path';

export interface Figures {
  /** Which table row: a fault's name, or `bad input` / `attacks`. */
  suite: string;
  trials?: number;
  faultsInjected?: number;
  /** Messages acknowledged to their writer during the trials. */
  messagesAcked?: number;
  /** Writes not yet acknowledged when the fault struck. */
  messagesInFlight?: number;
  /** Store postings that committed (each one a courier notification). */
  postingsCommitted?: number;
  /** Deliveries checked: one per message per subscriber meant to get it. */
  deliveriesExpected?: number;
  deliveriesReceived?: number;
  lost?: number;
  duplicated?: number;
  outOfOrder?: number;
  wrongUser?: number;
  /** Messages a subscriber got that were never committed. */
  phantom?: number;
  crashes?: number;
  /** Peak server memory growth seen by the slow-consumer trial, in bytes. */
  peakMemoryGrowth?: number;
  inputsTried?: number;
  attacksTried?: number;
}

/** Appends a suite's figures to the run's record (a no-op outside `npm run test:chaos`). */
export function recordFigures(figures: Figures): void {
  const runDir = process.env.VESTNIK_CHAOS_RUN_DIR;
  if (runDir === undefined) return;
  appendFileSync(path.join(runDir, 'figures.jsonl'), `${JSON.stringify(figures)}\n`);
}
