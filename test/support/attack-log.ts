// Counts the attacks a suite tried, for docs/reliability.md: every `attempt` is one hostile request
// (or connection) whose refusal the test then checks.

import { recordFigures } from '../chaos/support/figures.js';

export function attackCounter(suite: string) {
  let tried = 0;
  return {
    /** Runs one attack and counts it. */
    async attempt<T>(attack: () => Promise<T>): Promise<T> {
      tried++;
      return attack();
    },
    get tried() {
      return tried;
    },
    record(extra: { crashes?: number; inputsTried?: number } = {}) {
      recordFigures({ suite, attacksTried: tried, ...extra });
    },
  };
}
