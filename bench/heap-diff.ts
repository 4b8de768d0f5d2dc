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
  snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[] } };
  nodes: number[];
  edges: number[];
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

/**
 * Who holds the dictionary-mode property stores (`(object properties)`): objects that went slow
 * (a `delete`, or many properties added after construction) cost several hundred bytes each.
 */
function dictionaryOwners(snapshot: Snapshot): Map<string, number> {
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const width = fields.length;
  const edgeWidth = snapshot.snapshot.meta.edge_fields.length;
  const [type, name, edgeCount] = ['type', 'name', 'edge_count'].map((f) => fields.indexOf(f)) as [
    number,
    number,
    number,
  ];
  const toNode = snapshot.snapshot.meta.edge_fields.indexOf('to_node');
  const owners = new Map<string, number>();
  let edge = 0;
  for (let i = 0; i < snapshot.nodes.length; i += width) {
    const count = snapshot.nodes[i + edgeCount]!;
    for (let e = 0; e < count; e++, edge += edgeWidth) {
      const to = snapshot.edges[edge + toNode]!;
      if (snapshot.strings[snapshot.nodes[to + name]!] !== '(object properties)') continue;
      if (types[snapshot.nodes[to + type]!] !== 'array') continue;
      const key = `${types[snapshot.nodes[i + type]!]}: ${snapshot.strings[snapshot.nodes[i + name]!]!.slice(0, 60)}`;
      owners.set(key, (owners.get(key) ?? 0) + 1);
    }
  }
  return owners;
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
  const emptySnapshot = await snapshotNow();
  const empty = summarize(emptySnapshot);
  const emptyOwners = dictionaryOwners(emptySnapshot);
  const subs = await connectMany(connections, 200, (i) => target.connectSubscriber(i, () => undefined));
  const loadedSnapshot = await snapshotNow();
  const loaded = summarize(loadedSnapshot);
  const owners = [...dictionaryOwners(loadedSnapshot)]
    .map(([key, n]) => [key, n - (emptyOwners.get(key) ?? 0)] as const)
    .filter(([, n]) => n >= connections / 2)
    .sort((a, b) => b[1] - a[1]);
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
  console.log('\nobjects in dictionary mode, per connection:');
  for (const [key, n] of owners) console.log(`${(n / connections).toFixed(2).padStart(6)}x  ${key}`);
} finally {
  await target.stop();
  await rm(dir, { recursive: true, force: true });
}
