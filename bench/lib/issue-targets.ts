// The targets of issue 6, checked against the figures of one run. Quotes the measured figure
// and ratio; a target whose figures are missing is "not measured", never passed.

import type { BenchResults, TargetCheck } from './context.js';
import { ratio } from './report.js';

function find(
  results: BenchResults,
  scenario: string,
  metricStart: string,
): ReturnType<typeof results.figures.find> {
  return results.figures.find((f) => f.scenario === scenario && f.metric.startsWith(metricStart));
}

function ratioCheck(
  results: BenchResults,
  target: string,
  scenario: string,
  metricStart: string,
  peer: 'socketio' | 'ws',
  bound: number,
  atMost: boolean,
): TargetCheck {
  const figures = results.figures.filter((f) => f.scenario === scenario && f.metric.startsWith(metricStart));
  if (figures.length === 0) return { target, measured: 'not run', met: null };
  const parts: string[] = [];
  let met: boolean | null = true;
  for (const f of figures) {
    const r = ratio(f, peer);
    if (r === undefined) {
      parts.push(`${f.metric}: Vestnik ${f.gaps?.vestnik ? 'not measured (gap)' : 'missing'}`);
      met = null;
      continue;
    }
    parts.push(
      `${f.metric}: ${r.toFixed(2)}x (Vestnik ${fmt(f.values.vestnik)}, ${peer} ${fmt(f.values[peer])} ${f.unit})`,
    );
    if (met !== null && (atMost ? r > bound : r < bound)) met = false;
  }
  return { target, measured: parts.join('; '), met };
}

function fmt(value: number | undefined): string {
  if (value === undefined) return '—';
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(2);
}

export function checkTargets(results: BenchResults): TargetCheck[] {
  const checks: TargetCheck[] = [
    ratioCheck(
      results,
      'Fan-out: deliveries per server CPU-second >= 2x Socket.IO',
      'fan-out',
      'deliveries per server CPU-second',
      'socketio',
      2,
      false,
    ),
    ratioCheck(
      results,
      'Fan-out: deliveries per server CPU-second >= 1.5x naive ws',
      'fan-out',
      'deliveries per server CPU-second',
      'ws',
      1.5,
      false,
    ),
    ratioCheck(
      results,
      'Latency at fixed load: p99 <= 0.5x Socket.IO',
      'latency',
      'p99',
      'socketio',
      0.5,
      true,
    ),
    ratioCheck(
      results,
      'Idle memory per connection <= 0.5x Socket.IO',
      'idle',
      'server RSS per idle connection',
      'socketio',
      0.5,
      true,
    ),
  ];
  const storeP99 = find(results, 'store', 'post-to-notification p99');
  checks.push(
    storeP99?.values.vestnik !== undefined
      ? {
          target: 'Store: p99 post-to-notification < 20 ms at 100 orders/s, 10,000 couriers',
          measured: `${storeP99.values.vestnik.toFixed(2)} ms (${storeP99.metric})`,
          met: storeP99.values.vestnik < 20,
        }
      : {
          target: 'Store: p99 post-to-notification < 20 ms at 100 orders/s, 10,000 couriers',
          measured: storeP99?.gaps?.vestnik ?? 'not run',
          met: null,
        },
  );
  const storeRate = find(results, 'store', 'highest sustained rate');
  checks.push(
    storeRate?.values.vestnik !== undefined
      ? {
          target: 'Store: sustained >= 1,000 orders/s on SQLite',
          measured: `${Math.round(storeRate.values.vestnik)} orders/s`,
          met: storeRate.values.vestnik >= 1000,
        }
      : {
          target: 'Store: sustained >= 1,000 orders/s on SQLite',
          measured: storeRate?.gaps?.vestnik ?? 'not run',
          met: null,
        },
  );
  const storm = find(results, 'reconnect', 'time until all recovered');
  checks.push(
    storm?.values.vestnik !== undefined
      ? {
          target: 'Reconnect storm: 10,000 clients fully recovered within 5 s',
          measured: `${storm.values.vestnik.toFixed(2)} s (${storm.metric})`,
          met: storm.values.vestnik <= 5 && storm.metric.includes('10000 clients'),
        }
      : {
          target: 'Reconnect storm: 10,000 clients fully recovered within 5 s',
          measured: storm?.gaps?.vestnik ?? 'not run',
          met: null,
        },
  );
  return checks;
}
