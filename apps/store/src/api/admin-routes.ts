// The administrator's page: the state of the collaboration system, and the command "Start
// working with the collaboration system".

import type { FastifyInstance } from 'fastify';
import { isVestnikError } from '@vestnik/protocol';
import { AdminStatusSchema, NoBody, StartReportSchema } from '@vestnik/store-api';
import { allUsers } from '../modules/users/users-service.js';
import {
  serviceConversation,
  serviceConversationKey,
} from '../modules/notifications/service-conversation.js';
import { startCollaboration } from '../workflows/start-collab.js';
import { belongsToServiceConversation } from '../workflows/sync-membership.js';
import type { RouteDeps } from './deps.js';
import { emptyBodyIfMissing, errors } from './schemas.js';

const admins = ['Administrator'] as const;

export function adminRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { ctx } = deps;

  app.get(
    '/api/admin/status',
    {
      schema: {
        tags: ['admin'],
        summary: 'The state of the collaboration system',
        response: { 200: AdminStatusSchema, ...errors(401, 403) },
      },
      config: { access: admins },
    },
    async () => {
      const users = await allUsers(ctx.db);
      const couriers = users.filter((u) => u.roles.includes('Courier')).length;
      const registered = await ctx.collab.isRegistered();
      let conversation = { key: serviceConversationKey, exists: false, participants: 0, lastSeq: 0 };
      let needsRepair = !registered;
      if (registered) {
        try {
          const found = await ctx.collab.getConversation(serviceConversation);
          const participants = new Set(await ctx.collab.getParticipants(serviceConversation));
          conversation = {
            key: serviceConversationKey,
            exists: true,
            participants: participants.size,
            lastSeq: found.lastSeq,
          };
          for (const user of users) {
            const collabId = await ctx.collab.getUserIdByExternalId(user.id).catch(() => null);
            if (collabId === null || belongsToServiceConversation(user) !== participants.has(collabId)) {
              needsRepair = true;
            }
          }
        } catch (error) {
          if (!isVestnikError(error, 'CONVERSATION_NOT_FOUND')) throw error;
          needsRepair = true;
        }
      }
      return {
        registered,
        applicationName: registered ? ctx.applicationName : null,
        storage: deps.storageKind,
        broker: deps.brokerKind,
        serviceConversation: conversation,
        users: users.length,
        couriers,
        needsRepair,
        version: deps.version,
        connectedClients: deps.connectedClients(),
      };
    },
  );

  app.post(
    '/api/admin/collab/start',
    {
      schema: {
        tags: ['admin'],
        summary: 'Start working with the collaboration system (idempotent repair)',
        body: NoBody,
        response: { 200: StartReportSchema, ...errors(400, 401, 403) },
      },
      config: { access: admins },
      preValidation: emptyBodyIfMissing,
    },
    async (request) => {
      const report = await startCollaboration(ctx);
      request.log.info({ report }, 'collaboration system start-up command');
      return report;
    },
  );
}
