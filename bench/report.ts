// Writing a benchmark's results: a JSON file under bench/results and one section of BENCHMARKS.md,
// between `<!-- name:start -->` and `<!-- name:end -->`, leaving the other sections as they are.

import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Where results go: bench/results, or VESTNIK_BENCH_RESULTS_DIR (the bench's own smoke test). */
export function resultsDir(): string {
  return path.resolve(root, process.env.VESTNIK_BENCH_RESULTS_DIR ?? path.join('bench', 'results'));
}

export function writeResults(name: string, results: unknown): string {
  const dir = resultsDir();
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  return path.relative(root, file);
}

export async function writeSection(name: string, markdown: string): Promise<void> {
  const file = path.join(root, 'BENCHMARKS.md');
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const block = `${start}\n${markdown.trim()}\n${end}`;
  let text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from >= 0 && to > from) text = text.slice(0, from) + block + text.slice(to + end.length);
  else text = `${text.trimEnd()}\n\n${block}\n`;
  // Formatted as `npm test` checks it, so that a benchmark run never breaks the format check.
  const options = (await prettier.resolveConfig(file)) ?? {};
  writeFileSync(file, await prettier.format(text, { ...options, filepath: file }));
}

/** A Markdown table from rows of cells. */
export function table(header: string[], rows: Array<Array<string | number>>): string {
  const line = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
