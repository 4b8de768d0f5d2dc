// Users and roles, for administrators: /api/users.

import { Type, type Static } from '@sinclair/typebox';
import { Nullable, PageSchema, Paging, Search } from './common.js';
import { RoleSchema } from './session.js';

export const UserSchema = Type.Object({
  id: Type.String(),
  login: Type.String(),
  name: Type.String(),
  roles: Type.Array(RoleSchema),
  blocked: Type.Boolean(),
  courierId: Nullable(Type.String()),
  collabUserId: Nullable(Type.String()),
});
export type User = Static<typeof UserSchema>;

export const UserPageSchema = PageSchema(UserSchema);
export type UserPage = Static<typeof UserPageSchema>;

export const UserListQuerySchema = Type.Object(
  { search: Search, ...Paging },
  { additionalProperties: false },
);
export type UserListQuery = Static<typeof UserListQuerySchema>;

const Login = Type.String({ minLength: 1, maxLength: 50, pattern: '^[A-Za-z0-9._-]+$' });
const Password = Type.String({ minLength: 8, maxLength: 200 });
const Roles = Type.Array(RoleSchema, { maxItems: 3, uniqueItems: true });

export const NewUserSchema = Type.Object(
  { login: Login, name: Type.String({ minLength: 1, maxLength: 200 }), password: Password, roles: Roles },
  { additionalProperties: false },
);
export type NewUser = Static<typeof NewUserSchema>;

export const UserChangeSchema = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    password: Type.Optional(Password),
    roles: Type.Optional(Roles),
    blocked: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type UserChange = Static<typeof UserChangeSchema>;
