// The collaboration system as the store's users reach it over HTTP: a token for the WebSocket, and
// a courier's notifications (the inbox) read from the service conversation's history.

import type { FastifyInstance } from 'fastify';
import type { Static } from '@sinclair/typebox';
import { VestnikError } from '@vestnik/protocol';
import { issueClientToken } from '@vestnik/collab-server';
import {
  CollabTokenSchema,
  NoBody,
  NotificationPageSchema,
  NotificationQuerySchema,
} from '@vestnik/store-api';
import { authOf } from '../http/access.js';
import {
  ensureServiceConversation,
  serviceConversation,
} from '../modules/notifications/service-conversation.js';
import { syncMembership } from '../workflows/sync-membership.js';
import { collabUserIdOf } from '../workflows/user-view.js';
import type { RouteDeps } from './deps.js';
import { emptyBodyIfMissing, errors } from './schemas.js';

export function collabRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { ctx } = deps;

  /** The user's collaboration id, repairing a missing one (membership follows roles). */
  const collabUserOf = async (user: Parameters<typeof syncMembership>[1]) => {
    if (!(await ctx.collab.isRegistered())) {
      throw new VestnikError(
        'NOT_REGISTERED',
        'The collaboration system is not started; ask the administrator to start it.',
      );
    }
    const known = await collabUserIdOf(ctx, user.id);
    if (known) return known;
    await ensureServiceConversation(ctx.collab);
    return (await ctx.collab.transaction((tx) => syncMembership(tx, user))).collabUserId;
  };

  app.post(
    '/api/collab/token',
    {
      schema: {
        tags: ['collaboration'],
        summary: 'A short-lived token for the collaboration WebSocket',
        body: NoBody,
        response: { 200: CollabTokenSchema, ...errors(400, 401, 403, 409) },
      },
      config: { access: 'session' },
      preValidation: emptyBodyIfMissing,
    },
    async (request) => {
      const { user, session } = authOf(request);
      const userId = await collabUserOf(user);
      const { token, expiresAt } = issueClientToken(deps.tokenSecret, {
        userId,
        application: ctx.applicationName,
        // The token dies with the session: logging out refuses it at once on every node.
        session: session.handle,
      });
      const scheme = request.protocol === 'https' ? 'wss' : 'ws';
      return { token, expiresAt, userId, wsUrl: `${scheme}://${request.host}/collab/ws` };
    },
  );

  app.get<{ Querystring: Static<typeof NotificationQuerySchema> }>(
    '/api/notifications',
    {
      schema: {
        tags: ['collaboration'],
        summary: "A courier's notifications (history of the service conversation addressed to them)",
        querystring: NotificationQuerySchema,
        response: { 200: NotificationPageSchema, ...errors(400, 401, 403, 409) },
      },
      config: { access: ['Courier'] },
    },
    async (request) => {
      const asUser = await collabUserOf(authOf(request).user);
      return ctx.collab.readHistory({
        conversation: serviceConversation,
        asUser,
        after: request.query.after ?? 0,
        limit: request.query.limit ?? 50,
      });
    },
  );
}
