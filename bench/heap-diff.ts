// `npx tsx bench/heap-diff.ts [vestnik|socketio|ws] [connections]`: what one idle subscribed
// connection costs a server's heap, by object kind. Takes a heap snapshot of the server before and
// after connecting (`--heapsnapshot-signal`), and prints the difference per connection.

import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sleep } from './lib/context.js';
import { socketIoKind } from './targets/socketio-target.js';
import { connectMany, type TargetKind } from './targets/target.js';
import { vestnikKind } from './targets/vestnik-target.js';
import { wsKind } from './targets/ws-target.js';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
  nodes: number[];
  strings: string[];
}

const kinds: Record<string, TargetKind> = { vestnik: vestnikKind, socketio: socketIoKind, ws: wsKind };
const kind = kinds[process.argv[2] ?? 'vestnik'];
const connections = Number(process.argv[3] ?? 5000);
if (kind === undefined || !(connections > 0)) {
  console.error('usage: tsx bench/heap-diff.ts [vestnik|socketio|ws] [connections]');
  process.exit(2);
}

/** Self size and count by object kind (type and constructor name). */
function summarize(snapshot: Snapshot): Map<string, { count: number; bytes: number }> {
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const width = fields.length;
  const [type, name, size] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as [
    number,
    number,
    number,
  ];
  const result = new Map<string, { count: number; bytes: number }>();
  for (let i = 0; i < snapshot.nodes.length; i += width) {
    const t = types[snapshot.nodes[i + type]!]!;
    const n = t.includes('string')
      ? '(string)'
      : t === 'code'
        ? '(code)'
        : snapshot.strings[snapshot.nodes[i + name]!]!;
    const key = `${t}: ${n.slice(0, 60)}`;
    const entry = result.get(key) ?? { count: 0, bytes: 0 };
    entry.count++;
    entry.bytes += snapshot.nodes[i + size]!;
    result.set(key, entry);
  }
  return result;
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'vestnik-heap-'));
process.env.VESTNIK_BENCH_SERVER_FLAGS = `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${dir}`;
const target = await kind.start({ subscribers: connections });
const snapshotNow = async (): Promise<Snapshot> => {
  const before = new Set(await readdir(dir));
  await target.server.gc();
  process.kill(target.server.pid!, 'SIGUSR2');
  for (;;) {
    await sleep(500);
    const file = (await readdir(dir)).find((f) => !before.has(f) && f.endsWith('.heapsnapshot'));
    if (file === undefined) continue;
    try {
      return JSON.parse(await readFile(path.join(dir, file), 'utf8')) as Snapshot;
    } catch {
      // still being written
    }
  }
};
try {
  const empty = summarize(await snapshotNow());
  const subs = await connectMany(connections, 200, (i) => target.connectSubscriber(i, () => undefined));
  const loaded = summarize(await snapshotNow());
  for (const s of subs) s.destroy();
  const diff = [...loaded].map(([key, v]) => {
    const e = empty.get(key) ?? { count: 0, bytes: 0 };
    return { key, count: v.count - e.count, bytes: v.bytes - e.bytes };
  });
  const total = diff.reduce((sum, d) => sum + d.bytes, 0);
  console.log(
    `${kind.label}: heap grew ${(total / connections).toFixed(0)} B per connection (${connections} connections)`,
  );
  for (const d of diff.sort((a, b) => b.bytes - a.bytes).slice(0, 30)) {
    console.log(
      `${(d.bytes / connections).toFixed(0).padStart(6)} B ${(d.count / connections).toFixed(2).padStart(6)}x  ${d.key}`,
    );
  }
} finally {
  await target.stop();
  await rm(dir, { recursive: true, force: true });
}
