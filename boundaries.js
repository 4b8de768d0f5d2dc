// Which workspace package may import which: the layering of docs/architecture.md, as data. The
// lint config turns it into `no-restricted-imports` rules (an import across a forbidden boundary
// fails `npm run lint`), and test/boundaries.test.ts checks every package's imports against its
// package.json and this table, and that the table has no cycle, tests included.

/**
 * `uses`: what the package's own code may import. `testUses`: what its tests (and `testing/`
 * helpers) may import besides.
 * @type {Record<string, { dir: string; uses: string[]; testUses?: string[] }>}
 */
export const packages = {
  '@vestnik/protocol': { dir: 'packages/protocol', uses: [] },
  '@vestnik/storage': { dir: 'packages/storage', uses: ['@vestnik/protocol'] },
  '@vestnik/storage-sqlite': {
    dir: 'packages/storage-sqlite',
    uses: ['@vestnik/storage'],
    testUses: ['@vestnik/collab', '@vestnik/testing'],
  },
  '@vestnik/storage-postgres': {
    dir: 'packages/storage-postgres',
    uses: ['@vestnik/storage'],
    testUses: ['@vestnik/collab', '@vestnik/testing'],
  },
  '@vestnik/collab': { dir: 'packages/collab', uses: ['@vestnik/protocol', '@vestnik/storage'] },
  '@vestnik/broker-redis': {
    dir: 'packages/broker-redis',
    uses: ['@vestnik/collab'],
    testUses: [
      '@vestnik/storage',
      '@vestnik/storage-sqlite',
      '@vestnik/storage-postgres',
      '@vestnik/testing',
    ],
  },
  '@vestnik/collab-server': {
    dir: 'packages/collab-server',
    // The storage port only, to read what a storage error means (storageErrorKind).
    uses: ['@vestnik/protocol', '@vestnik/storage', '@vestnik/collab'],
    testUses: ['@vestnik/storage-sqlite', '@vestnik/testing'],
  },
  '@vestnik/collab-client': {
    dir: 'packages/collab-client',
    uses: ['@vestnik/protocol'],
    testUses: [
      '@vestnik/collab',
      '@vestnik/collab-server',
      '@vestnik/storage',
      '@vestnik/storage-sqlite',
      '@vestnik/testing',
    ],
  },
  '@vestnik/collab-standalone': {
    dir: 'apps/collab-standalone',
    uses: [
      '@vestnik/protocol',
      '@vestnik/storage',
      '@vestnik/storage-sqlite',
      '@vestnik/storage-postgres',
      '@vestnik/broker-redis',
      '@vestnik/collab',
      '@vestnik/collab-server',
    ],
    testUses: ['@vestnik/collab-client', '@vestnik/testing'],
  },
  '@vestnik/testing': { dir: 'packages/testing', uses: [] },
  '@vestnik/store-api': { dir: 'apps/store-api', uses: [] },
  '@vestnik/store': {
    dir: 'apps/store',
    uses: [
      '@vestnik/protocol',
      '@vestnik/storage',
      '@vestnik/storage-sqlite',
      '@vestnik/storage-postgres',
      '@vestnik/broker-redis',
      '@vestnik/collab',
      '@vestnik/collab-server',
      '@vestnik/store-api',
    ],
    testUses: ['@vestnik/collab-client', '@vestnik/testing'],
  },
  '@vestnik/store-web': {
    dir: 'apps/store-web',
    uses: ['@vestnik/protocol', '@vestnik/collab-client', '@vestnik/store-api'],
    // The end-to-end tests run the store as a process (its ./testing harness).
    testUses: ['@vestnik/store', '@vestnik/testing'],
  },
};

/** Files of a package that are its tests or test helpers (they may use `testUses`). */
export const testFiles = ['**/*.test.ts', '**/testing/**', '**/e2e/**', '**/scripts/**', '**/*.config.ts'];

const all = Object.keys(packages);

function restriction(allowed, message) {
  const forbidden = all.filter((name) => !allowed.includes(name));
  return {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ...(forbidden.length > 0
            ? [{ group: forbidden.flatMap((name) => [name, `${name}/*`]), message }]
            : []),
          // Another package's files are reached through its exports, never by path.
          {
            group: ['@vestnik/*/src', '@vestnik/*/src/*'],
            message: 'Import a package by its name and exports.',
          },
        ],
      },
    ],
  };
}

/** ESLint flat-config blocks, one per package and kind of file (code, tests). */
export function boundaryConfigs() {
  return Object.entries(packages).flatMap(([name, rule]) => {
    const self = [name];
    const code = [...self, ...rule.uses];
    const tests = [...code, ...(rule.testUses ?? [])];
    const where = `${name} (${rule.dir}) may import only ${rule.uses.join(', ') || 'nothing of ours'}; see boundaries.js`;
    return [
      { files: [`${rule.dir}/**/*.{ts,tsx}`], rules: restriction(code, where) },
      {
        files: testFiles.map((glob) => `${rule.dir}/${glob}`),
        rules: restriction(tests, `${name}'s tests may import ${tests.join(', ')}; see boundaries.js`),
      },
    ];
  });
}
