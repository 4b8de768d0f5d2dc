// The standalone server's configuration, read from environment variables and checked at start:
// every bad or missing value is named in one error, with what it should be.

import { isSchemaName } from '@vestnik/storage-postgres';
import { ConfigError, defaultGatewayLimits, type GatewayLimits } from '@vestnik/collab-server';

export interface ServeConfig {
  host: string;
  port: number;
  storage: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; schema?: string };
  redis?: { url: string; prefix?: string };
  tokenSecret: string;
  applicationKey: string;
  application: string;
  prefix: string;
  limits: GatewayLimits;
  logLevel: string;
}

/** The variables, for the docs and for the error message. */
export const configVariables = {
  HOST: 'address to listen on (127.0.0.1)',
  PORT: 'port to listen on (8080; 0 picks a free one)',
  VESTNIK_SQLITE_FILE: 'SQLite database file (one node); or set DATABASE_URL',
  DATABASE_URL: 'postgres://... (several nodes); or set VESTNIK_SQLITE_FILE',
  DATABASE_SCHEMA: 'PostgreSQL schema for the tables (public)',
  REDIS_URL: 'redis://... the broker between nodes (needed with several nodes)',
  REDIS_PREFIX: 'prefix of the Redis channels (vestnik)',
  VESTNIK_TOKEN_SECRET: 'secret that client tokens are signed with (at least 32 characters)',
  VESTNIK_APPLICATION_KEY: 'key applications present to the server API (at least 16 characters)',
  VESTNIK_APPLICATION: 'application name that tokens are bound to (vestnik)',
  VESTNIK_PREFIX: 'path prefix of the endpoints (/collab)',
  VESTNIK_MAX_FRAME_BYTES: `largest client frame (${defaultGatewayLimits.maxFrameBytes})`,
  VESTNIK_MAX_SUBSCRIPTIONS: `subscriptions per socket (${defaultGatewayLimits.maxSubscriptions})`,
  VESTNIK_MAX_CONNECTIONS_PER_USER: `sockets per user per node (${defaultGatewayLimits.maxConnectionsPerUser})`,
  VESTNIK_MAX_BUFFERED_BYTES: `send buffer bound per socket (${defaultGatewayLimits.maxBufferedBytes})`,
  VESTNIK_HEARTBEAT_MS: `ping interval (${defaultGatewayLimits.heartbeatMs})`,
  VESTNIK_AUTH_TIMEOUT_MS: `time allowed for the auth frame (${defaultGatewayLimits.authTimeoutMs})`,
  LOG_LEVEL: 'pino level (info)',
} as const;

export function readConfig(env: Record<string, string | undefined>): ServeConfig {
  const problems: string[] = [];
  const text = (name: keyof typeof configVariables) => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };
  const integer = (name: keyof typeof configVariables, fallback: number, min: number, max: number) => {
    const value = text(name);
    if (value === undefined) return fallback;
    const number = Number(value);
    if (!/^\d+$/.test(value) || number < min || number > max) {
      problems.push(
        `${name} must be an integer from ${min} to ${max} (${configVariables[name]}); got "${value}".`,
      );
      return fallback;
    }
    return number;
  };

  const sqlite = text('VESTNIK_SQLITE_FILE');
  const databaseUrl = text('DATABASE_URL');
  let storage: ServeConfig['storage'] = { kind: 'sqlite', file: '' };
  if ((sqlite === undefined) === (databaseUrl === undefined)) {
    problems.push('Set exactly one of VESTNIK_SQLITE_FILE (one node) and DATABASE_URL (PostgreSQL).');
  } else if (databaseUrl !== undefined) {
    if (!/^postgres(ql)?:\/\//.test(databaseUrl)) problems.push('DATABASE_URL must start with postgres://.');
    const schema = text('DATABASE_SCHEMA');
    if (schema !== undefined && !isSchemaName(schema)) {
      problems.push('DATABASE_SCHEMA must be a lower-case identifier.');
    }
    storage = { kind: 'postgres', url: databaseUrl, ...(schema ? { schema } : {}) };
  } else {
    storage = { kind: 'sqlite', file: sqlite! };
  }

  const redisUrl = text('REDIS_URL');
  if (redisUrl !== undefined && !/^rediss?:\/\//.test(redisUrl))
    problems.push('REDIS_URL must start with redis://.');
  if (redisUrl !== undefined && storage.kind === 'sqlite') {
    problems.push('REDIS_URL needs DATABASE_URL: a SQLite file belongs to one node.');
  }
  const redisPrefix = text('REDIS_PREFIX');

  const tokenSecret = text('VESTNIK_TOKEN_SECRET') ?? '';
  if (tokenSecret.length < 32) problems.push('VESTNIK_TOKEN_SECRET must be set, at least 32 characters.');
  const applicationKey = text('VESTNIK_APPLICATION_KEY') ?? '';
  if (applicationKey.length < 16)
    problems.push('VESTNIK_APPLICATION_KEY must be set, at least 16 characters.');
  const prefix = text('VESTNIK_PREFIX') ?? '/collab';
  if (!/^(\/[A-Za-z0-9._~-]+)*$/.test(prefix)) problems.push('VESTNIK_PREFIX must be a path like /collab.');

  const d = defaultGatewayLimits;
  const limits: GatewayLimits = {
    maxFrameBytes: integer('VESTNIK_MAX_FRAME_BYTES', d.maxFrameBytes, 1024, 16 * 1024 * 1024),
    maxSubscriptions: integer('VESTNIK_MAX_SUBSCRIPTIONS', d.maxSubscriptions, 1, 100_000),
    maxConnectionsPerUser: integer('VESTNIK_MAX_CONNECTIONS_PER_USER', d.maxConnectionsPerUser, 1, 100_000),
    maxBufferedBytes: integer('VESTNIK_MAX_BUFFERED_BYTES', d.maxBufferedBytes, 16 * 1024, 1024 ** 3),
    heartbeatMs: integer('VESTNIK_HEARTBEAT_MS', d.heartbeatMs, 100, 3_600_000),
    authTimeoutMs: integer('VESTNIK_AUTH_TIMEOUT_MS', d.authTimeoutMs, 100, 600_000),
  };
  const config: ServeConfig = {
    host: text('HOST') ?? '127.0.0.1',
    port: integer('PORT', 8080, 0, 65_535),
    storage,
    ...(redisUrl ? { redis: { url: redisUrl, ...(redisPrefix ? { prefix: redisPrefix } : {}) } } : {}),
    tokenSecret,
    applicationKey,
    application: text('VESTNIK_APPLICATION') ?? 'vestnik',
    prefix,
    limits,
    logLevel: text('LOG_LEVEL') ?? 'info',
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
