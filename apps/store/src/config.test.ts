// Configuration from the environment: defaults, and one plain message per bad value.

import { describe, expect, it } from 'vitest';
import { ConfigError } from '@vestnik/collab-server';
import { loadConfig } from './config.js';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env, '/srv/store');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('has defaults for the embedded mode, with demo data on', () => {
    const config = loadConfig({}, '/srv/store');
    expect(config).toMatchObject({
      port: 3000,
      dataDir: '/srv/store/data',
      databaseUrl: undefined,
      redisUrl: undefined,
      demo: true,
      sessionTtlHours: 12,
      loginRateLimit: 10,
      logLevel: 'info',
      adminLogin: 'admin',
    });
    expect(loadConfig({ DATA_DIR: 'var/db', PORT: '8080' }, '/srv/store')).toMatchObject({
      dataDir: '/srv/store/var/db',
      port: 8080,
    });
  });

  it('turns demo data off outside the embedded mode', () => {
    const config = loadConfig(
      {
        DATABASE_URL: 'postgres://db:5432/vestnik',
        REDIS_URL: 'redis://cache:6379',
        SESSION_SECRET: 'x'.repeat(40),
        ADMIN_PASSWORD: 'first-admin-password',
      },
      '/',
    );
    expect(config).toMatchObject({
      demo: false,
      redisUrl: 'redis://cache:6379',
      adminPassword: 'first-admin-password',
    });
  });

  it('gives one clear message per bad value, all at once', () => {
    expect(
      problems({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://db',
        SESSION_SECRET: 'short',
        DEMO: 'maybe',
        LOG_LEVEL: 'loud',
        ADMIN_PASSWORD: 'abc',
        SESSION_TTL_HOURS: '0',
      }),
    ).toEqual([
      'PORT must be a whole number from 0 to 65535; it is "eighty".',
      'DATABASE_URL must be a URL starting with postgres: or postgresql: (like postgres://host:port/...).',
      'SESSION_SECRET must be at least 32 characters long (use a long random string).',
      'DEMO must be 1 or 0 (true or false); it is "maybe".',
      'ADMIN_PASSWORD must be at least 8 characters long.',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent; it is "loud".',
      'SESSION_TTL_HOURS must be a whole number from 1 to 720; it is "0".',
    ]);
  });

  it('refuses combinations that cannot work', () => {
    expect(problems({ REDIS_URL: 'redis://cache:6379' })).toEqual([
      'REDIS_URL is set without DATABASE_URL: several nodes need a shared PostgreSQL database.',
    ]);
    expect(problems({ DATABASE_URL: 'postgres://db/v' })).toEqual([
      'SESSION_SECRET is required with DATABASE_URL: every node must sign sessions with the same secret.',
    ]);
    expect(problems({ DATABASE_URL: 'postgres://db/v', SESSION_SECRET: 'y'.repeat(32), DEMO: '1' })).toEqual([
      'DEMO=1 works only in the embedded (SQLite) mode; unset DATABASE_URL or DEMO.',
    ]);
    expect(problems({ PORT: '70000', DATABASE_SCHEMA: 'Bad-Name' })).toHaveLength(2);
  });

  it('names every problem in the error message', () => {
    expect(() => loadConfig({ PORT: '-1' })).toThrow(/PORT must be a whole number/);
    expect(() => loadConfig({ PORT: '-1', LOG_LEVEL: 'loud' })).toThrow(
      new ConfigError(
        [
          'PORT must be a whole number from 0 to 65535; it is "-1".',
          'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent; it is "loud".',
        ],
        'The configuration has 2 problem(s):',
      ),
    );
  });
});
