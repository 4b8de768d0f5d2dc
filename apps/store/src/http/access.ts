// Who may call what: every /api route declares its access (public, or the roles allowed), and a
// route that forgets to is refused at start. Sessions come from a signed cookie; state-changing
// requests also carry the session's CSRF token.

import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { VestnikError } from '@vestnik/protocol';
import type { Role, StoreDb } from '../database/schema.js';
import { storeErrors } from '../errors.js';
import { findSessionUser, type Session } from '../modules/users/sessions-service.js';
import type { StoreUser } from '../modules/users/users-service.js';

/** 'public': anyone; 'session': anyone logged in, whatever their roles; else the roles allowed. */
export type Access = 'public' | 'session' | readonly Role[];

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route: 'public', 'session', or the roles allowed (any one suffices). */
    access?: Access;
    /** Public routes that change state but need no CSRF token (the login). */
    csrfExempt?: boolean;
  }
  interface FastifyRequest {
    auth: { session: Session; user: StoreUser } | null;
  }
}

export const sessionCookie = 'vestnik_session';
const stateChanging = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

async function loadAuth(db: StoreDb, request: FastifyRequest): Promise<FastifyRequest['auth']> {
  const raw = request.cookies[sessionCookie];
  if (!raw) return null;
  const unsigned = request.unsignCookie(raw);
  if (!unsigned.valid || !unsigned.value) return null;
  const found = await findSessionUser(db, unsigned.value);
  if (!found || found.user.blocked) return null;
  return found;
}

/** The logged-in user of a route that is not public (the access hook has made sure there is one). */
export function authOf(request: FastifyRequest): { session: Session; user: StoreUser } {
  if (!request.auth) throw new VestnikError('UNAUTHENTICATED');
  return request.auth;
}

export function hasRole(user: StoreUser, ...wanted: Role[]): boolean {
  return wanted.some((role) => user.roles.includes(role));
}

export interface RouteAccess {
  method: string;
  url: string;
  access: Access;
}

/** Installs the access checks; returns the table of routes and their access, filled as routes are added. */
export function installAccess(app: FastifyInstance, db: StoreDb): RouteAccess[] {
  const table: RouteAccess[] = [];
  app.decorateRequest('auth', null);
  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    if (route.url.startsWith('/api/') && access === undefined) {
      throw new Error(`Route ${String(route.method)} ${route.url} does not declare its access`);
    }
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') table.push({ method, url: route.url, access: access ?? 'public' });
    }
  });
  app.addHook('onRequest', async (request: FastifyRequest, _reply: FastifyReply) => {
    const access = request.routeOptions.config?.access;
    // Routes outside the API (the web client's files, unknown URLs) need no session lookup.
    if (access === undefined) return;
    request.auth = await loadAuth(db, request);
    if (access === 'public') return;
    const auth = request.auth;
    if (!auth) throw new VestnikError('UNAUTHENTICATED', 'Log in first (no session, or it has expired).');
    if (access !== 'session' && !hasRole(auth.user, ...access)) {
      throw new VestnikError('FORBIDDEN', `This needs the role ${access.join(' or ')}.`, { roles: access });
    }
    if (stateChanging.has(request.method) && !request.routeOptions.config?.csrfExempt) {
      const header = request.headers['x-csrf-token'];
      if (typeof header !== 'string' || !sameToken(header, auth.session.csrf)) {
        throw storeErrors.error('CSRF_REJECTED');
      }
    }
  });
  return table;
}
