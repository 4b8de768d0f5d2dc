// Turns the figures of a run into the comparison table (with Vestnik/peer ratios), the check of
// every target of the issue, and the `peers` section of BENCHMARKS.md.

import type { BenchResults, Figure, TargetCheck } from './context.js';
import type { Machine } from './machine.js';

export const SECTION = 'peers';

export function ratio(figure: Figure, peer: 'socketio' | 'ws'): number | undefined {
  const v = figure.values.vestnik;
  const p = figure.values[peer];
  if (v === undefined || p === undefined || p === 0) return undefined;
  return v / p;
}

function number(value: number | undefined, unit: string): string {
  if (value === undefined || Number.isNaN(value)) return '—';
  if (unit === 'ms' || unit === 'KB' || unit === 's') return value < 10 ? value.toFixed(2) : value.toFixed(1);
  if (unit === 'MB') return value.toFixed(0);
  return Math.round(value).toLocaleString('en-US');
}

function ratioText(value: number | undefined): string {
  return value === undefined ? '—' : `${value.toFixed(2)}x`;
}

/** The comparison table, in Markdown (it reads well in a terminal too). */
export function table(results: BenchResults): string {
  const lines = [
    '| scenario | figure | unit | Vestnik | Socket.IO | naive ws | Vestnik/Socket.IO | Vestnik/ws |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const f of results.figures) {
    const cell = (name: 'vestnik' | 'socketio' | 'ws'): string =>
      f.values[name] !== undefined
        ? number(f.values[name], f.unit)
        : f.gaps?.[name] !== undefined
          ? 'gap'
          : '—';
    lines.push(
      `| ${f.scenario} | ${f.metric} (${f.better} is better) | ${f.unit} | ${cell('vestnik')} | ${cell('socketio')} | ${cell('ws')} | ${ratioText(ratio(f, 'socketio'))} | ${ratioText(ratio(f, 'ws'))} |`,
    );
  }
  return lines.join('\n');
}

export function targetsTable(targets: TargetCheck[]): string {
  const lines = ['| target | measured | met |', '| --- | --- | --- |'];
  for (const t of targets)
    lines.push(
      `| ${t.target} | ${t.measured} | ${t.met === null ? 'not measured' : t.met ? 'yes' : '**no**'} |`,
    );
  return lines.join('\n');
}

function machineText(machine: Machine): string {
  return (
    `${machine.cpuModel}, ${machine.cores} cores, ${machine.ramGb} GB RAM, Node ${machine.node}, ${machine.platform}; ` +
    `run ${machine.date}, load average at start ${machine.loadAverageAtStart.join(' / ')}`
  );
}

export function section(results: BenchResults, machine: Machine): string {
  return [
    `## Vestnik against Socket.IO and a naive ws server`,
    '',
    `Machine: ${machine ? machineText(machine) : ''}. Each server runs alone in its own process pinned to core 0; ` +
      'one load generator (raw WebSocket frames) runs pinned to core 1. Produced by `npm run bench`; ' +
      'how to read it: `bench/README.md`; every figure: `bench/results/latest.json`.',
    '',
    table(results),
    '',
    '### Targets',
    '',
    targetsTable(results.targets),
    ...(results.notes.length > 0 ? ['', '### Notes', '', ...results.notes.map((n) => `- ${n}`)] : []),
  ].join('\n');
}
