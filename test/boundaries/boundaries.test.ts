// The package boundaries hold: the lint rule refuses an import across a forbidden boundary, every
// package declares what it imports, no file reaches into another package by path, and the
// packages, tests included, form no cycle.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { boundaryConfigs, packages } from '../../boundaries.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

interface PackageJson {
  name: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const readJson = (file: string) => JSON.parse(readFileSync(path.join(root, file), 'utf8')) as PackageJson;

function sourceFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'dist') found.push(...sourceFiles(relative));
    } else if (/\.(ts|tsx)$/.test(entry.name)) {
      found.push(relative);
    }
  }
  return found;
}

const importPattern =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g;

function importsOf(file: string): string[] {
  const text = readFileSync(path.join(root, file), 'utf8');
  return [...text.matchAll(importPattern)].map((m) => (m[1] ?? m[2] ?? m[3])!);
}

const packageName = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

/** The same files as `testFiles` in boundaries.js, which the lint config takes as globs. */
const isTestFile = (file: string) => /\.test\.ts$|\/testing\/|\/e2e\/|\/scripts\/|\.config\.ts$/.test(file);

describe('package boundaries', () => {
  it('lint refuses an import across a forbidden boundary, and allows a declared one', async () => {
    const eslint = new ESLint({
      cwd: root,
      overrideConfigFile: true,
      overrideConfig: [
        { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },
        ...boundaryConfigs(),
      ],
    });
    const lint = async (filePath: string, code: string) =>
      (await eslint.lintText(code, { filePath: path.join(root, filePath) }))[0]!.messages.map(
        (m) => m.ruleId,
      );

    expect(
      await lint('packages/protocol/src/wrong.ts', "import { createCollab } from '@vestnik/collab';\n"),
    ).toEqual(['no-restricted-imports']);
    expect(
      await lint(
        'packages/collab/src/wrong.ts',
        "import { createSqliteStorage } from '@vestnik/storage-sqlite';\n",
      ),
    ).toEqual(['no-restricted-imports']);
    expect(
      await lint(
        'packages/collab-client/src/wrong.ts',
        "import { collabServer } from '@vestnik/collab-server';\n",
      ),
    ).toEqual(['no-restricted-imports']);
    expect(
      await lint('apps/store/src/wrong.ts', "import { x } from '@vestnik/collab/src/service/collab.js';\n"),
    ).toEqual(['no-restricted-imports']);
    expect(
      await lint('apps/store-web/src/wrong.ts', "import { buildStoreApp } from '@vestnik/store';\n"),
    ).toEqual(['no-restricted-imports']);
    expect(
      await lint('packages/collab/src/right.ts', "import { compiledQuery } from '@vestnik/storage';\n"),
    ).toEqual([]);
    expect(
      await lint(
        'apps/collab-standalone/src/right.ts',
        "import { createSqliteStorage } from '@vestnik/storage-sqlite';\n",
      ),
    ).toEqual([]);
    expect(
      await lint(
        'packages/collab-server/src/ws/wrong.ts',
        "import { createSqliteStorage } from '@vestnik/storage-sqlite';\n",
      ),
    ).toEqual(['no-restricted-imports']);
  });

  const rootJson = readJson('package.json');
  const tooling = new Set(Object.keys(rootJson.devDependencies ?? {}));

  for (const [name, rule] of Object.entries(packages)) {
    it(`${name} declares every package it imports, and reaches no other package by path`, () => {
      const json = readJson(path.join(rule.dir, 'package.json'));
      expect(json.name).toBe(name);
      const dependencies = new Set(Object.keys(json.dependencies ?? {}));
      const devDependencies = new Set(Object.keys(json.devDependencies ?? {}));
      const problems: string[] = [];
      for (const file of sourceFiles(rule.dir)) {
        const test = isTestFile(file);
        for (const specifier of importsOf(file)) {
          if (specifier.startsWith('node:')) continue;
          if (specifier.startsWith('.')) {
            const target = path.join(path.dirname(file), specifier);
            if (!target.startsWith(`${rule.dir}/`)) problems.push(`${file} reaches ${specifier} by path`);
            continue;
          }
          const imported = packageName(specifier);
          if (imported === name) continue;
          const declared =
            dependencies.has(imported) || (test && (devDependencies.has(imported) || tooling.has(imported)));
          if (!declared)
            problems.push(`${file} imports ${imported}, not declared in ${rule.dir}/package.json`);
        }
      }
      expect(problems).toEqual([]);
    });
  }

  it('has no cycle between packages, tests included', () => {
    const edges = new Map(
      Object.entries(packages).map(([name, rule]) => [name, [...rule.uses, ...(rule.testUses ?? [])]]),
    );
    const cycles: string[] = [];
    const visit = (name: string, trail: string[]) => {
      if (trail.includes(name)) {
        cycles.push([...trail.slice(trail.indexOf(name)), name].join(' -> '));
        return;
      }
      for (const next of edges.get(name) ?? []) visit(next, [...trail, name]);
    };
    for (const name of edges.keys()) visit(name, []);
    expect(cycles).toEqual([]);
  });

  it('is the table docs/architecture.md shows', () => {
    const doc = readFileSync(path.join(root, 'docs/architecture.md'), 'utf8');
    const names = (cell: string) =>
      cell
        .replace(/\(\+[^)]*\)/, '')
        .split(',')
        .map((name) => name.trim())
        .filter((name) => name !== '' && name !== 'nothing of ours')
        .map((name) => `@vestnik/${name}`);
    const rows = new Map(
      [...doc.matchAll(/^\| `(@vestnik\/[a-z-]+)` +\|([^|]*)\|([^|]*)\|$/gm)].map((m) => [
        m[1]!,
        { uses: names(m[2]!), testUses: names(m[3]!) },
      ]),
    );
    expect(rows).toEqual(
      new Map(
        Object.entries(packages).map(([name, rule]) => [
          name,
          { uses: rule.uses, testUses: rule.testUses ?? [] },
        ]),
      ),
    );
  });

  it('names every workspace in the table', () => {
    const workspaces = (
      JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { workspaces: string[] }
    ).workspaces;
    expect(workspaces.sort()).toEqual(
      Object.values(packages)
        .map((rule) => rule.dir)
        .sort(),
    );
  });
});
