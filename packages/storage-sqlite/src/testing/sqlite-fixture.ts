// Fresh SQLite storages for tests: each a file in a temporary folder of its own, removed by dispose.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { StorageFixture } from '@vestnik/storage/testing';
import { createSqliteStorage } from '../sqlite-storage.js';

export function sqliteFixture(): StorageFixture {
  const dirs: string[] = [];
  return {
    name: 'sqlite',
    async create() {
      const dir = mkdtempSync(path.join(tmpdir(), 'vestnik-test-'));
      dirs.push(dir);
      const file = path.join(dir, 'collab.db');
      return { storage: createSqliteStorage({ file }), share: () => createSqliteStorage({ file }) };
    },
    async dispose() {
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}
