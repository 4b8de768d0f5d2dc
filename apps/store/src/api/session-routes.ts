// Logging in and out, and who is logged in (with the session's CSRF token).

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { VestnikError } from '@vestnik/protocol';
import { LoginBodySchema, NoBody, SessionSchema } from '@vestnik/store-api';
import { sessionCookie, authOf } from '../http/access.js';
import { closeSession, openSession } from '../modules/users/sessions-service.js';
import { checkCredentials } from '../modules/users/users-service.js';
import { serviceConversationKey } from '../modules/notifications/service-conversation.js';
import { userView } from '../workflows/user-view.js';
import type { RouteDeps } from './deps.js';
import { emptyBodyIfMissing, errors } from './schemas.js';

export function sessionRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { ctx } = deps;
  const describe = async (request: FastifyRequest, auth = request.auth) => {
    const registered = await ctx.collab.isRegistered();
    const view = auth ? await userView(ctx, ctx.db, auth.user) : null;
    return {
      user: view && {
        id: view.id,
        login: view.login,
        name: view.name,
        roles: view.roles,
        courierId: view.courierId,
        collabUserId: view.collabUserId,
      },
      csrf: auth?.session.csrf ?? null,
      collab: { registered, serviceConversationKey },
    };
  };

  app.get(
    '/api/session',
    {
      schema: {
        tags: ['session'],
        summary: 'Who is logged in, and the CSRF token',
        response: { 200: SessionSchema },
      },
      config: { access: 'public' },
    },
    async (request) => describe(request),
  );

  app.post<{ Body: Static<typeof LoginBodySchema> }>(
    '/api/session',
    {
      schema: {
        tags: ['session'],
        summary: 'Log in',
        body: LoginBodySchema,
        response: { 200: SessionSchema, ...errors(400, 401, 403, 429) },
      },
      config: {
        access: 'public',
        csrfExempt: true,
        rateLimit: { max: deps.loginRateLimit, timeWindow: 60_000 },
      },
    },
    async (request, reply: FastifyReply) => {
      const user = await checkCredentials(ctx.db, request.body.login, request.body.password);
      if (!user) throw new VestnikError('UNAUTHENTICATED', 'Wrong login or password.');
      if (user.blocked)
        throw new VestnikError('USER_BLOCKED', 'This user is blocked; ask the administrator.');
      const session = await openSession(ctx.db, user.id, deps.sessionTtlMs);
      reply.setCookie(sessionCookie, session.id, {
        signed: true,
        httpOnly: true,
        sameSite: 'strict',
        path: '/',
        secure: request.protocol === 'https',
        expires: new Date(session.expiresAt),
      });
      request.log.info({ userId: user.id }, 'logged in');
      return describe(request, { session, user });
    },
  );

  app.delete(
    '/api/session',
    {
      schema: {
        tags: ['session'],
        summary: 'Log out',
        body: NoBody,
        response: { 204: Type.Null(), ...errors(400, 401, 403) },
      },
      config: { access: 'session' },
      preValidation: emptyBodyIfMissing,
    },
    async (request, reply) => {
      await closeSession(ctx.db, authOf(request).session.id);
      reply.clearCookie(sessionCookie, { path: '/' });
      return reply.status(204).send();
    },
  );
}
