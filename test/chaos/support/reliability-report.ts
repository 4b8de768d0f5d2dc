// Adds up the figures a chaos run recorded and renders docs/reliability.md from them: nothing in
// that page is typed in by hand.

import type { Figures } from './figures.js';

type Totals = Required<Omit<Figures, 'suite'>>;

const zero = (): Totals => ({
  trials: 0,
  faultsInjected: 0,
  messagesAcked: 0,
  messagesInFlight: 0,
  postingsCommitted: 0,
  deliveriesExpected: 0,
  deliveriesReceived: 0,
  lost: 0,
  duplicated: 0,
  outOfOrder: 0,
  wrongUser: 0,
  phantom: 0,
  crashes: 0,
  peakMemoryGrowth: 0,
  inputsTried: 0,
  attacksTried: 0,
});

export function addUp(records: Figures[]): { bySuite: Map<string, Totals>; all: Totals } {
  const bySuite = new Map<string, Totals>();
  const all = zero();
  for (const record of records) {
    let totals = bySuite.get(record.suite);
    if (totals === undefined) bySuite.set(record.suite, (totals = zero()));
    for (const key of Object.keys(all) as Array<keyof Totals>) {
      const value = record[key] ?? 0;
      if (key === 'peakMemoryGrowth') {
        totals[key] = Math.max(totals[key], value);
        all[key] = Math.max(all[key], value);
      } else {
        totals[key] += value;
        all[key] += value;
      }
    }
  }
  return { bySuite, all };
}

export interface RunOutcome {
  /** `passed`, `failed` or `interrupted`, as the test runner said. */
  result: string;
  testsPassed: number;
  testsFailed: number;
  testsSkipped: number;
  durationMs: number;
  finishedAt: Date;
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

export function renderReliability(records: Figures[], outcome: RunOutcome): string {
  const { bySuite, all } = addUp(records);
  const faults = [...bySuite.entries()].filter(([, t]) => t.trials > 0);
  const lines: string[] = [];
  lines.push('# Reliability: the figures of the last chaos run');
  lines.push('');
  lines.push(
    'Written by `npm run test:chaos` at the end of every run (`test/chaos/support/reliability-reporter.ts`);',
    'every number below was counted by the run, none is typed in. How the trials work and what they',
    'check is in the last section.',
  );
  lines.push('');
  lines.push(
    `- Finished: ${outcome.finishedAt.toISOString()}, in ${Math.round(outcome.durationMs / 1000)} s`,
  );
  lines.push(
    `- Result: **${outcome.result}** (${outcome.testsPassed} tests passed, ${outcome.testsFailed} failed, ${outcome.testsSkipped} skipped)`,
  );
  lines.push('');
  lines.push('## Totals');
  lines.push('');
  lines.push(
    `- **messages lost: ${all.lost}, messages delivered to the wrong user: ${all.wrongUser}, crashes: ${all.crashes}**`,
  );
  lines.push(
    `- duplicates delivered: ${all.duplicated}, out of order: ${all.outOfOrder}, never-committed messages delivered: ${all.phantom}`,
  );
  lines.push(`- trials: ${all.trials}, faults injected: ${all.faultsInjected}`);
  lines.push(
    `- messages acknowledged during the trials: ${all.messagesAcked}, of which in flight (not yet acknowledged) when a fault struck: ${all.messagesInFlight}`,
  );
  lines.push(`- postings committed during the trials: ${all.postingsCommitted}`);
  lines.push(`- deliveries expected: ${all.deliveriesExpected}, received: ${all.deliveriesReceived}`);
  lines.push(`- bad inputs tried: ${all.inputsTried}, attacks tried: ${all.attacksTried}`);
  lines.push('');
  lines.push('## Faults');
  lines.push('');
  lines.push(
    '| fault | trials | faults injected | messages acked | in flight at fault | postings committed | deliveries expected | received | lost | wrong user | duplicates | out of order | crashes |',
  );
  lines.push('| --- | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: |');
  for (const [suite, t] of faults) {
    lines.push(
      `| ${suite} | ${t.trials} | ${t.faultsInjected} | ${t.messagesAcked} | ${t.messagesInFlight} | ${t.postingsCommitted} | ${t.deliveriesExpected} | ${t.deliveriesReceived} | ${t.lost} | ${t.wrongUser} | ${t.duplicated} | ${t.outOfOrder} | ${t.crashes} |`,
    );
  }
  if (faults.length === 0) lines.push('| (no fault trial ran) | | | | | | | | | | | | |');
  const memory = faults.filter(([, t]) => t.peakMemoryGrowth > 0);
  if (memory.length > 0) {
    lines.push('');
    for (const [suite, t] of memory) {
      lines.push(`Peak server memory growth in "${suite}": ${mib(t.peakMemoryGrowth)}.`);
    }
  }
  lines.push('');
  lines.push('## Bad input and attacks');
  lines.push('');
  lines.push('| suite | inputs tried | attacks tried | crashes |');
  lines.push('| --- | --: | --: | --: |');
  const hostile = [...bySuite.entries()].filter(([, t]) => t.trials === 0);
  for (const [suite, t] of hostile) {
    lines.push(`| ${suite} | ${t.inputsTried} | ${t.attacksTried} | ${t.crashes} |`);
  }
  if (hostile.length === 0) lines.push('| (none ran) | | | |');
  lines.push('');
  lines.push(...methodNotes);
  lines.push('');
  return lines.join('\n');
}

const methodNotes = [
  '## How it is measured',
  '',
  '- Server nodes (`apps/collab-standalone/src/serve.ts`) and the store (`apps/store/src/main.ts`)',
  '  run as separate processes; the two "core:" rows run two collaboration nodes inside the test',
  '  process. PostgreSQL and Redis are a private cluster and a private redis-server on free ports in',
  '  a temporary directory (the shared ones on 5432 and 6379 are never touched); the trials kill and',
  '  restart them at will and remove them at the end, also when a trial fails.',
  '- Writers stream messages (through the server API, or the manager posts orders in the store)',
  '  while the fault is injected after a set number of acknowledged writes, and retry a failed write',
  '  with the same idempotency key (a posting is idempotent by itself), so that a write whose answer',
  '  was lost is neither lost nor doubled. Two of every three messages are addressed to one',
  '  recipient only; texts include Cyrillic, emoji and SQL-looking strings.',
  '- Clients are the real SDK (`packages/collab-client`) over WebSockets; after a node dies they',
  '  reconnect to a node that is up and resubscribe from the last seq they saw.',
  '- After the trial the committed history is read from storage. For every client the expected',
  '  sequence is every committed message it may see, in seq order. **lost** counts expected',
  '  messages it never got (and acknowledged writes or postings missing from storage), **duplicates**',
  '  the ones it got twice, **out of order** the ones after a later seq, **wrong user** the ones it',
  '  got but may not see, **never-committed** the ones absent from storage. Any non-zero count fails',
  '  the run.',
  '- The slow consumer stops reading mid-stream; it must be closed with 4408, get everything on',
  "  reconnect, and the node's peak memory growth (shown above) must stay below that of the same",
  '  traffic with every client reading plus half of what the slow consumer left unread.',
  '- **crashes** counts node and store processes that exited without being killed by the trial,',
  '  and, for bad input, answers with status 500 or above and servers that died.',
];
