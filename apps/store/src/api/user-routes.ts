// Users and roles over HTTP, for administrators. Membership in the service conversation follows
// the roles through the users workflow.

import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { authOf } from '../http/access.js';
import { getUser, listUsers } from '../modules/users/users-service.js';
import { createUserWorkflow, updateUserWorkflow } from '../workflows/manage-users.js';
import { userView } from '../workflows/user-view.js';
import type { RouteDeps } from './deps.js';
import { IdParams, Paging, RoleSchema, Search, UserSchema, errors } from './schemas.js';

const Login = Type.String({ minLength: 1, maxLength: 50, pattern: '^[A-Za-z0-9._-]+$' });
const Password = Type.String({ minLength: 8, maxLength: 200 });
const Roles = Type.Array(RoleSchema, { maxItems: 3, uniqueItems: true });

const NewUserBody = Type.Object(
  { login: Login, name: Type.String({ minLength: 1, maxLength: 200 }), password: Password, roles: Roles },
  { additionalProperties: false },
);
const UserChangeBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    password: Type.Optional(Password),
    roles: Type.Optional(Roles),
    blocked: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const ListQuery = Type.Object({ search: Search, ...Paging }, { additionalProperties: false });

const admins = ['Administrator'] as const;

export function userRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { ctx } = deps;
  const { db } = ctx;

  app.get<{ Querystring: Static<typeof ListQuery> }>(
    '/api/users',
    {
      schema: {
        tags: ['users'],
        summary: 'List users',
        querystring: ListQuery,
        response: {
          200: Type.Object({ items: Type.Array(UserSchema), total: Type.Integer() }),
          ...errors(400, 401, 403),
        },
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

  app.post<{ Body: Static<typeof NewUserBody> }>(
    '/api/users',
    {
      schema: {
        tags: ['users'],
        summary: 'Create a user',
        body: NewUserBody,
        response: { 201: UserSchema, ...errors(400, 401, 403, 409, 422) },
      },
      config: { access: admins },
    },
    async (request, reply) => {
      const user = await createUserWorkflow(ctx, request.body);
      return reply.status(201).send(await userView(ctx, db, user));
    },
  );

  app.put<{ Params: Static<typeof IdParams>; Body: Static<typeof UserChangeBody> }>(
    '/api/users/:id',
    {
      schema: {
        tags: ['users'],
        summary: 'Change a user: name, password, roles, blocked',
        params: IdParams,
        body: UserChangeBody,
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
