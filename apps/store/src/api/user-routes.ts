// Users and roles over HTTP, for administrators. Membership in the service conversation follows
// the roles through the users workflow.

import type { FastifyInstance } from 'fastify';
import type { Static } from '@sinclair/typebox';
import {
  IdParams,
  NewUserSchema,
  UserChangeSchema,
  UserListQuerySchema,
  UserPageSchema,
  UserSchema,
} from '@vestnik/store-api';
import { authOf } from '../http/access.js';
import { getUser, listUsers } from '../modules/users/users-service.js';
import { createUserWorkflow, updateUserWorkflow } from '../workflows/manage-users.js';
import { userView } from '../workflows/user-view.js';
import type { RouteDeps } from './deps.js';
import { errors } from './schemas.js';

const admins = ['Administrator'] as const;

export function userRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { ctx } = deps;
  const { db } = ctx;

  app.get<{ Querystring: Static<typeof UserListQuerySchema> }>(
    '/api/users',
    {
      schema: {
        tags: ['users'],
        summary: 'List users',
        querystring: UserListQuerySchema,
        response: { 200: UserPageSchema, ...errors(400, 401, 403) },
      },
      config: { access: admins },
    },
    async (request) => {
      const { items, total } = await listUsers(db, {
        search: request.query.search?.trim(),
        limit: request.query.limit ?? 50,
        offset: request.query.offset ?? 0,
      });
      return { items: await Promise.all(items.map((u) => userView(ctx, db, u))), total };
    },
  );

  app.get<{ Params: Static<typeof IdParams> }>(
    '/api/users/:id',
    {
      schema: {
        tags: ['users'],
        summary: 'One user',
        params: IdParams,
        response: { 200: UserSchema, ...errors(400, 401, 403, 404) },
      },
      config: { access: admins },
    },
    async (request) => userView(ctx, db, await getUser(db, request.params.id)),
  );

  app.post<{ Body: Static<typeof NewUserSchema> }>(
    '/api/users',
    {
      schema: {
        tags: ['users'],
        summary: 'Create a user',
        body: NewUserSchema,
        response: { 201: UserSchema, ...errors(400, 401, 403, 409, 422) },
      },
      config: { access: admins },
    },
    async (request, reply) => {
      const user = await createUserWorkflow(ctx, request.body);
      return reply.status(201).send(await userView(ctx, db, user));
    },
  );

  app.put<{ Params: Static<typeof IdParams>; Body: Static<typeof UserChangeSchema> }>(
    '/api/users/:id',
    {
      schema: {
        tags: ['users'],
        summary: 'Change a user: name, password, roles, blocked',
        params: IdParams,
        body: UserChangeSchema,
        response: { 200: UserSchema, ...errors(400, 401, 403, 404, 422) },
      },
      config: { access: admins },
    },
    async (request) => {
      const user = await updateUserWorkflow(ctx, authOf(request).user, request.params.id, request.body);
      return userView(ctx, db, user);
    },
  );
}
