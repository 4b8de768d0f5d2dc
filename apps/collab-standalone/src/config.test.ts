import { describe, expect, it } from 'vitest';
import { ConfigError } from '@vestnik/collab-server';
import { readConfig } from './config.js';

const base = {
  VESTNIK_SQLITE_FILE: '/tmp/x.db',
  VESTNIK_TOKEN_SECRET: 's'.repeat(32),
  VESTNIK_APPLICATION_KEY: 'k'.repeat(16),
};

function problems(env: Record<string, string>): string[] {
  try {
    readConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('readConfig', () => {
  it('reads a SQLite node and a PostgreSQL + Redis node', () => {
    expect(readConfig({ ...base, PORT: '0' })).toMatchObject({ port: 0, storage: { kind: 'sqlite' } });
    const cluster = readConfig({
      ...base,
      VESTNIK_SQLITE_FILE: '',
      DATABASE_URL: 'postgres://u@h/db',
      DATABASE_SCHEMA: 'node_schema',
      REDIS_URL: 'redis://h:6379',
      VESTNIK_MAX_BUFFERED_BYTES: '1048576',
    });
    expect(cluster.storage).toEqual({ kind: 'postgres', url: 'postgres://u@h/db', schema: 'node_schema' });
    expect(cluster.redis).toEqual({ url: 'redis://h:6379' });
    expect(cluster.limits.maxBufferedBytes).toBe(1048576);
  });

  it('names every bad value at once', () => {
    const found = problems({
      VESTNIK_SQLITE_FILE: 'a.db',
      DATABASE_URL: 'mysql://x',
      VESTNIK_TOKEN_SECRET: 'short',
      PORT: 'eighty',
      VESTNIK_MAX_SUBSCRIPTIONS: '-1',
    });
    expect(found.join('\n')).toMatch(/exactly one of VESTNIK_SQLITE_FILE/);
    expect(found.join('\n')).toMatch(/VESTNIK_TOKEN_SECRET/);
    expect(found.join('\n')).toMatch(/VESTNIK_APPLICATION_KEY/);
    expect(found.join('\n')).toMatch(/PORT must be an integer/);
    expect(found.join('\n')).toMatch(/VESTNIK_MAX_SUBSCRIPTIONS/);
    expect(problems({ ...base, REDIS_URL: 'redis://h' })).toEqual([
      'REDIS_URL needs DATABASE_URL: a SQLite file belongs to one node.',
    ]);
  });

  it('says them one a line under its heading', () => {
    expect(() => readConfig({ ...base, REDIS_URL: 'redis://h', VESTNIK_PREFIX: 'x' })).toThrow(
      'Invalid configuration:\n' +
        '  - REDIS_URL needs DATABASE_URL: a SQLite file belongs to one node.\n' +
        '  - VESTNIK_PREFIX must be a path like /collab.',
    );
  });
});
