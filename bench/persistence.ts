// Messages created per second with a live in-process subscriber attached, on SQLite and on
// PostgreSQL, one message per transaction and 100 per transaction. Checks its own correctness:
// the subscriber must receive every message, in seq order, once, or the benchmark fails.

import { createCollab, type Collab } from '@vestnik/collab';
import type { Storage } from '@vestnik/storage';
import { postgresFixture } from '@vestnik/storage-postgres/testing';
import { sqliteFixture } from '@vestnik/storage-sqlite/testing';
import type { StorageFixture } from '@vestnik/storage/testing';
import { postgresUrl, serviceAvailable } from '@vestnik/testing';
import { describeMachine } from './machine.js';
import { table, writeResults, writeSection } from './report.js';

interface Scenario {
  storage: 'sqlite' | 'postgres';
  /** Messages per `collab.transaction`. */
  batch: number;
  /** Concurrent writers. */
  writers: number;
  messages: number;
}

interface Result extends Scenario {
  seconds: number;
  perSecond: number;
  /** Messages per second of this process's CPU time: less hurt by others sharing the machine. */
  perCpuSecond: number;
}

const scenarios: Scenario[] = [
  { storage: 'sqlite', batch: 1, writers: 1, messages: 20_000 },
  { storage: 'sqlite', batch: 100, writers: 1, messages: 100_000 },
  { storage: 'postgres', batch: 1, writers: 1, messages: 2_000 },
  { storage: 'postgres', batch: 1, writers: 8, messages: 4_000 },
  { storage: 'postgres', batch: 100, writers: 1, messages: 20_000 },
];

/** A subscriber that fails the run unless seqs arrive as 1, 2, 3, ... with nothing else. */
function strictSubscriber() {
  let next = 1;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  return {
    get received() {
      return next - 1;
    },
    onMessage(message: { seq: number }) {
      if (message.seq !== next) failure ??= new Error(`subscriber got seq ${message.seq}, expected ${next}`);
      next++;
      wake?.();
    },
    async waitFor(count: number): Promise<void> {
      const deadline = Date.now() + 60_000;
      while (next - 1 < count && failure === undefined) {
        if (Date.now() > deadline) throw new Error(`subscriber received ${next - 1} of ${count}`);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 50).unref();
        });
      }
      if (failure) throw failure;
      if (next - 1 !== count) throw new Error(`subscriber received ${next - 1}, expected ${count}`);
    },
  };
}

async function write(collab: Collab, scenario: Scenario, count: number, from: number): Promise<void> {
  const conversation = { key: 'bench' };
  const perWriter = count / scenario.writers;
  await Promise.all(
    Array.from({ length: scenario.writers }, async (_, w) => {
      for (let done = 0; done < perWriter; done += scenario.batch) {
        if (scenario.batch === 1) {
          await collab.createMessage({ conversation, text: `m${from + done}`, data: { w, n: done } });
          continue;
        }
        await collab.transaction(async (tx) => {
          for (let i = 0; i < scenario.batch; i++) {
            await tx.createMessage({ conversation, text: `m${from + done + i}`, data: { w, n: done + i } });
          }
        });
      }
    }),
  );
}

async function measure(storage: Storage, scenario: Scenario): Promise<Result> {
  const collab = await createCollab({ storage });
  try {
    await collab.register({ applicationName: 'bench' });
    const reader = await collab.createUser({ externalId: 'reader', name: 'Reader' });
    await collab.createConversation({ key: 'bench', participants: [reader.id] });
    const subscriber = strictSubscriber();
    await collab.subscribe({ conversation: { key: 'bench' }, asUser: reader.id, since: 0, ...subscriber });
    const warmup = Math.min(1000, scenario.messages / 10);
    await write(collab, scenario, warmup, 0);
    await subscriber.waitFor(warmup);
    const started = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    await write(collab, scenario, scenario.messages, warmup);
    await subscriber.waitFor(warmup + scenario.messages);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6;
    const history = await collab.readHistory({
      conversation: { key: 'bench' },
      asUser: reader.id,
      after: warmup + scenario.messages - 1,
    });
    if (history.lastSeq !== warmup + scenario.messages || history.messages.length !== 1) {
      throw new Error(`storage holds ${history.lastSeq} messages, expected ${warmup + scenario.messages}`);
    }
    return {
      ...scenario,
      seconds,
      perSecond: Math.round(scenario.messages / seconds),
      perCpuSecond: Math.round(scenario.messages / cpuSeconds),
    };
  } finally {
    await collab.close();
  }
}

export default async function persistence(): Promise<void> {
  const machine = describeMachine();
  const pgAvailable = await serviceAvailable('postgres');
  const fixtures: Record<Scenario['storage'], StorageFixture> = {
    sqlite: sqliteFixture(),
    postgres: postgresFixture(postgresUrl),
  };
  const results: Result[] = [];
  try {
    for (const scenario of scenarios) {
      if (scenario.storage === 'postgres' && !pgAvailable) continue;
      const { storage } = await fixtures[scenario.storage].create();
      const result = await measure(storage, scenario);
      results.push(result);
      console.log(
        `${scenario.storage.padEnd(8)} batch ${String(scenario.batch).padStart(3)} writers ${scenario.writers}: ` +
          `${result.perSecond.toLocaleString('en-US')} messages/s, ` +
          `${result.perCpuSecond.toLocaleString('en-US')} per CPU second ` +
          `(${result.messages} in ${result.seconds.toFixed(2)} s)`,
      );
    }
  } finally {
    await fixtures.sqlite.dispose();
    await fixtures.postgres.dispose();
  }

  const rows = results.map((r) => [
    r.storage === 'sqlite' ? 'SQLite (WAL, synchronous NORMAL)' : 'PostgreSQL',
    r.batch === 1 ? 'single (1 per transaction)' : `batched (${r.batch} per transaction)`,
    r.writers,
    r.messages.toLocaleString('en-US'),
    r.perSecond.toLocaleString('en-US'),
    r.perCpuSecond.toLocaleString('en-US'),
  ]);
  const header = ['storage', 'mode', 'writers', 'messages', 'messages/s', 'per CPU second (this process)'];
  console.log('\n' + table(header, rows));
  const file = writeResults('persistence', { machine, results });
  await writeSection(
    'persistence',
    [
      '## Persistence: messages created per second with a live subscriber',
      '',
      '`npm run bench persistence`: one conversation, one in-process subscriber attached since seq 0',
      'that must receive every message in order (the run fails otherwise); time from the first write',
      'until the subscriber has the last message. Local PostgreSQL over loopback.',
      '',
      table(header, rows),
      '',
      `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node},`,
      `${machine.platform}; ${machine.date}; load average ${machine.loadAverage} when the run started.`,
      `Raw results: \`${file}\`.`,
      'The machine is shared with other engineers running tests and builds at the same time, so',
      'wall-clock numbers are noisy (they moved by a factor of two between runs while others',
      'were busy); the last column divides by the CPU time this process used, which is steadier',
      "but leaves out PostgreSQL's own work.",
    ].join('\n'),
  );
}
