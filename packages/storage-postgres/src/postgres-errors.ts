// PostgreSQL's SQLSTATE codes and Node's socket errors, read for the caller: a duplicate key, or
// a server that is away, restarting or out of connections (worth a retry later).

import type { StorageErrorKind } from '@vestnik/storage';

/** SQLSTATE of a unique or primary-key violation. */
export const UNIQUE_VIOLATION = '23505';
const UNAVAILABLE = new Set([
  // The connection: refused, reset, timed out, or the pool's own timeout.
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  // admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections,
  // connection_exception and its kinds.
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '08000',
  '08001',
  '08003',
  '08006',
]);
/** What pg says when a pooled connection dies under a query (no code of its own). */
const TERMINATED =
  /^Connection terminated|^Client has encountered a connection error|timeout exceeded when trying to connect/;

export function classifyPostgresError(error: unknown): StorageErrorKind | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (code === UNIQUE_VIOLATION) return 'unique-violation';
  if (typeof code === 'string' && UNAVAILABLE.has(code)) return 'unavailable';
  if (code === undefined && typeof message === 'string' && TERMINATED.test(message)) return 'unavailable';
  // An aggregate of connection attempts (IPv4 and IPv6 both refused).
  const inner = (error as { errors?: unknown }).errors;
  if (
    Array.isArray(inner) &&
    inner.length > 0 &&
    inner.every((e) => classifyPostgresError(e) === 'unavailable')
  ) {
    return 'unavailable';
  }
  return undefined;
}
