// The store's configuration, read from environment variables and checked at start: every bad
// value gets its own plain message, and the server does not start until all are fixed.

import path from 'node:path';
import { ConfigError } from '@vestnik/collab-server';
import { isSchemaName } from '@vestnik/storage-postgres';

export interface StoreConfig {
  port: number;
  host: string;
  /** Where the embedded SQLite database (and a generated session secret) live. */
  dataDir: string;
  /** PostgreSQL connection string; when set, SQLite is not used. */
  databaseUrl: string | undefined;
  /** PostgreSQL schema for the tables (public by default). */
  databaseSchema: string | undefined;
  /** Redis connection string for the broker between several nodes. */
  redisUrl: string | undefined;
  /** Signs cookies and derives the collaboration token secret; generated in embedded mode if unset. */
  sessionSecret: string | undefined;
  sessionTtlHours: number;
  loginRateLimit: number;
  /** Create demo data on the first start (embedded mode only). */
  demo: boolean;
  adminLogin: string;
  adminPassword: string | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  applicationName: string;
  /** Behind a proxy or load balancer: trust its X-Forwarded-* headers (client address, https). */
  trustProxy: boolean;
}

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Reads the configuration from `env`; throws a ConfigError listing every bad value.
 *
 * @example
 * const config = loadConfig({ PORT: '8080', DATA_DIR: '/var/lib/vestnik' });
 */
export function loadConfig(env: Record<string, string | undefined>, cwd = process.cwd()): StoreConfig {
  const problems: string[] = [];
  const value = (name: string) => {
    const raw = env[name];
    return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = value(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min || n > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}; it is "${raw}".`);
      return fallback;
    }
    return n;
  };
  const url = (name: string, protocols: string[]): string | undefined => {
    const raw = value(name);
    if (raw === undefined) return undefined;
    try {
      const parsed = new URL(raw);
      if (!protocols.includes(parsed.protocol)) throw new Error('protocol');
      return raw;
    } catch {
      const example = `${protocols[0]}//host:port/...`;
      problems.push(`${name} must be a URL starting with ${protocols.join(' or ')} (like ${example}).`);
      return undefined;
    }
  };
  const flag = (name: string): boolean | undefined => {
    const raw = value(name)?.toLowerCase();
    if (raw === undefined) return undefined;
    if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
    if (['0', 'false', 'no', 'off'].includes(raw)) return false;
    problems.push(`${name} must be 1 or 0 (true or false); it is "${value(name)}".`);
    return undefined;
  };

  const port = integer('PORT', 3000, 0, 65535);
  const databaseUrl = url('DATABASE_URL', ['postgres:', 'postgresql:']);
  const redisUrl = url('REDIS_URL', ['redis:', 'rediss:']);
  if (value('REDIS_URL') !== undefined && value('DATABASE_URL') === undefined) {
    problems.push('REDIS_URL is set without DATABASE_URL: several nodes need a shared PostgreSQL database.');
  }
  const databaseSchema = value('DATABASE_SCHEMA');
  if (databaseSchema !== undefined && !isSchemaName(databaseSchema)) {
    problems.push('DATABASE_SCHEMA must be a plain lower-case identifier (letters, digits, _).');
  }
  const sessionSecret = value('SESSION_SECRET');
  if (sessionSecret !== undefined && sessionSecret.length < 32) {
    problems.push('SESSION_SECRET must be at least 32 characters long (use a long random string).');
  }
  if (sessionSecret === undefined && value('DATABASE_URL') !== undefined) {
    problems.push(
      'SESSION_SECRET is required with DATABASE_URL: every node must sign sessions with the same secret.',
    );
  }
  const demoFlag = flag('DEMO');
  const embedded = value('DATABASE_URL') === undefined;
  if (demoFlag === true && !embedded) {
    problems.push('DEMO=1 works only in the embedded (SQLite) mode; unset DATABASE_URL or DEMO.');
  }
  const adminLogin = (value('ADMIN_LOGIN') ?? 'admin').toLowerCase();
  if (!/^[a-z0-9._-]{1,50}$/.test(adminLogin)) {
    problems.push('ADMIN_LOGIN may have only letters, digits, ".", "_" and "-" (up to 50).');
  }
  const adminPassword = value('ADMIN_PASSWORD');
  if (adminPassword !== undefined && adminPassword.length < 8) {
    problems.push('ADMIN_PASSWORD must be at least 8 characters long.');
  }
  const logLevel = (value('LOG_LEVEL') ?? 'info') as StoreConfig['logLevel'];
  if (!logLevels.includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of ${logLevels.join(', ')}; it is "${logLevel}".`);
  }
  const config: StoreConfig = {
    port,
    host: value('HOST') ?? 'localhost',
    dataDir: path.resolve(cwd, value('DATA_DIR') ?? './data'),
    databaseUrl,
    databaseSchema,
    redisUrl,
    sessionSecret,
    sessionTtlHours: integer('SESSION_TTL_HOURS', 12, 1, 24 * 30),
    loginRateLimit: integer('LOGIN_RATE_LIMIT', 10, 1, 10_000),
    demo: demoFlag ?? embedded,
    adminLogin,
    adminPassword,
    logLevel,
    applicationName: value('APPLICATION_NAME') ?? 'vestnik-store',
    trustProxy: flag('TRUST_PROXY') ?? false,
  };
  if (problems.length > 0) {
    throw new ConfigError(problems, `The configuration has ${problems.length} problem(s):`);
  }
  return config;
}
