// Server-side sessions: the cookie carries only a signed random id; the row says whose session it
// is, its CSRF token and when it expires, so logging out or blocking a user ends it at once.

import { randomBytes } from 'node:crypto';
import { compiledQuery } from '@vestnik/storage';
import type { StoreDb } from '../../database/schema.js';
import { userOfRoleRows, type StoreUser } from './users-service.js';

export interface Session {
  id: string;
  userId: string;
  csrf: string;
  /** Public handle for collaboration tokens (see `isSessionOpen`); not a secret. */
  handle: string;
  expiresAt: number;
}

const token = () => randomBytes(32).toString('base64url');

export async function openSession(db: StoreDb, userId: string, ttlMs: number): Promise<Session> {
  const now = Date.now();
  const session = { id: token(), userId, csrf: token(), handle: token(), expiresAt: now + ttlMs };
  // Expired sessions are swept at each login, so the table does not grow without bound.
  await db.deleteFrom('store_sessions').where('expires_at', '<', now).execute();
  await db
    .insertInto('store_sessions')
    .values({
      id: session.id,
      user_id: userId,
      csrf: session.csrf,
      handle: session.handle,
      created_at: now,
      expires_at: session.expiresAt,
    })
    .execute();
  return session;
}

const sessionUser = compiledQuery((db: StoreDb, sessionId: string, now: number) =>
  db
    .selectFrom('store_sessions as s')
    .innerJoin('store_users as u', 'u.id', 's.user_id')
    .leftJoin('store_user_roles as r', 'r.user_id', 'u.id')
    .select(['s.id as session_id', 's.csrf', 's.handle', 's.expires_at'])
    .select(['u.id', 'u.login', 'u.name', 'u.blocked', 'r.role'])
    .where('s.id', '=', sessionId)
    .where('s.expires_at', '>', now),
);

/**
 * The live session with this id and its user (roles included), in one statement: every request
 * reads them. Undefined when there is no such session or it has expired; the user may be blocked
 * (the caller decides what that means).
 */
export async function findSessionUser(
  db: StoreDb,
  id: string,
): Promise<{ session: Session; user: StoreUser } | undefined> {
  const { rows } = await sessionUser.run(db, id, Date.now());
  const row = rows[0];
  const user = userOfRoleRows(rows);
  if (row === undefined || user === undefined) return undefined;
  return {
    session: {
      id: row.session_id,
      userId: row.id,
      csrf: row.csrf,
      handle: row.handle ?? '',
      expiresAt: row.expires_at,
    },
    user,
  };
}

/** Whether the session with this public handle is still open (not logged out, not expired). */
export async function isSessionOpen(db: StoreDb, handle: string): Promise<boolean> {
  const row = await db
    .selectFrom('store_sessions')
    .select('id')
    .where('handle', '=', handle)
    .where('expires_at', '>', Date.now())
    .executeTakeFirst();
  return row !== undefined;
}

export async function closeSession(db: StoreDb, id: string): Promise<void> {
  await db.deleteFrom('store_sessions').where('id', '=', id).execute();
}

export async function closeUserSessions(db: StoreDb, userId: string): Promise<void> {
  await db.deleteFrom('store_sessions').where('user_id', '=', userId).execute();
}
