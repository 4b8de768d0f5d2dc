// The server API under `{prefix}/api`: what an application in another process or language needs
// to use the collaboration system (users, conversations, participants, messages, history, client
// tokens), authenticated by the application key and described by OpenAPI.

import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import { Type } from '@sinclair/typebox';
import { VestnikError } from '@vestnik/protocol';
import type { CreateConversationInput } from '@vestnik/collab';
import { issueClientToken } from '../auth/client-token.js';
import type { ResolvedOptions } from '../options.js';
import { installErrorHandling } from './error-handler.js';
import * as s from './schemas.js';
import { typeboxValidator } from './typebox-validator.js';

const errors = { 400: s.ErrorBody, 401: s.ErrorBody, 403: s.ErrorBody, 404: s.ErrorBody, 409: s.ErrorBody };

export async function serverApi(app: FastifyInstance, options: ResolvedOptions): Promise<void> {
  const { collab } = options;
  const key = Buffer.from(options.applicationKey ?? '');

  app.setValidatorCompiler(typeboxValidator);
  // Its own, so that the API answers alike in any host application, whatever the host's handler.
  installErrorHandling(app);

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Vestnik collaboration server API',
        version: '1',
        description:
          'For applications in other processes or languages. Every call needs `authorization: Bearer <application key>`. Errors are `{ code, message, details }` (docs/protocol.md).',
      },
      components: {
        securitySchemes: { applicationKey: { type: 'http', scheme: 'bearer' } },
      },
      security: [{ applicationKey: [] }],
    },
  });

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.url?.endsWith('/openapi.json')) return;
    const header = request.headers.authorization ?? '';
    const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
    if (given.length !== key.length || !timingSafeEqual(given, key)) {
      throw new VestnikError('UNAUTHENTICATED', 'The application key is missing or wrong.');
    }
  });

  app.post<{ Body: s.CreateUserBody }>(
    '/users',
    {
      schema: {
        summary: 'Create a user',
        body: s.CreateUserBody,
        response: { 201: s.UserSchema, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await collab.createUser(request.body)),
  );

  app.get<{ Params: s.IdParams }>(
    '/users/:id',
    { schema: { summary: 'Get a user', params: s.IdParams, response: { 200: s.UserSchema, ...errors } } },
    async (request) => collab.getUser(request.params.id),
  );

  app.post<{ Body: s.CreateConversationBody }>(
    '/conversations',
    {
      schema: {
        summary: 'Create a conversation',
        body: s.CreateConversationBody,
        response: { 201: s.ConversationSchema, ...errors },
      },
    },
    async (request, reply) =>
      // context's `$ref` is checked by collab (see RefSchema).
      reply.status(201).send(await collab.createConversation(request.body as CreateConversationInput)),
  );

  app.get<{ Params: s.IdParams }>(
    '/conversations/:id',
    {
      schema: {
        summary: 'Get a conversation by id',
        params: s.IdParams,
        response: { 200: s.ConversationSchema, ...errors },
      },
    },
    async (request) => collab.getConversation({ id: request.params.id }),
  );

  app.get<{ Params: s.KeyParams }>(
    '/conversations/by-key/:key',
    {
      schema: {
        summary: 'Get a conversation by key',
        params: s.KeyParams,
        response: { 200: s.ConversationSchema, ...errors },
      },
    },
    async (request) => collab.getConversation({ key: request.params.key }),
  );

  app.post<{ Params: s.IdParams; Body: s.ParticipantsBody }>(
    '/conversations/:id/participants',
    {
      schema: {
        summary: 'Add participants (those already in stay)',
        params: s.IdParams,
        body: s.ParticipantsBody,
        response: { 200: Type.Object({ added: Type.Integer() }), ...errors },
      },
    },
    async (request) => ({
      added: await collab.addParticipants({ id: request.params.id }, request.body.userIds),
    }),
  );

  app.delete<{ Params: s.ParticipantParams }>(
    '/conversations/:id/participants/:userId',
    {
      schema: {
        summary: 'Remove a participant; their live subscriptions end',
        params: s.ParticipantParams,
        response: { 200: Type.Object({ removed: Type.Boolean() }), ...errors },
      },
    },
    async (request) => ({
      removed:
        (await collab.removeParticipants({ id: request.params.id }, [request.params.userId])).length > 0,
    }),
  );

  app.get<{ Params: s.IdParams; Querystring: s.HistoryQuery }>(
    '/conversations/:id/messages',
    {
      schema: {
        summary: 'Read history as a user (only what that user may see)',
        params: s.IdParams,
        querystring: s.HistoryQuery,
        response: { 200: s.HistoryPageSchema, ...errors },
      },
    },
    async (request) =>
      collab.readHistory({
        conversation: { id: request.params.id },
        asUser: request.query.asUser,
        after: request.query.after,
        limit: request.query.limit,
      }),
  );

  app.post<{ Body: s.CreateMessageBody }>(
    '/messages',
    {
      schema: {
        summary: 'Write a message (stored, then pushed to its recipients)',
        body: s.CreateMessageBody,
        response: { 201: s.MessageSchema, ...errors, 413: s.ErrorBody },
      },
    },
    // The body was checked against the schema; data is any JSON, which collab checks again.
    async (request, reply) =>
      reply
        .status(201)
        .send(await collab.createMessage(request.body as Parameters<typeof collab.createMessage>[0])),
  );

  app.post<{ Body: s.TokenBody }>(
    '/tokens',
    {
      schema: {
        summary: 'Issue a client token for a user (for the WebSocket endpoint)',
        body: s.TokenBody,
        response: { 201: s.TokenSchema, ...errors },
      },
    },
    async (request, reply) => {
      const user = await collab.getUser(request.body.userId);
      if (user.blocked) throw new VestnikError('USER_BLOCKED', `User ${user.id} is blocked.`);
      const token = issueClientToken(options.tokenSecret, {
        userId: user.id,
        application: options.application,
        ttlSeconds: request.body.ttlSeconds ?? options.tokenTtlSeconds,
      });
      return reply.status(201).send(token);
    },
  );
}
