// Logging in and out, and who is logged in: GET, POST and DELETE /api/session.

import { Type, type Static } from '@sinclair/typebox';
import { Nullable } from './common.js';

export const RoleSchema = Type.Union([
  Type.Literal('Administrator'),
  Type.Literal('Manager'),
  Type.Literal('Courier'),
]);
export type Role = Static<typeof RoleSchema>;

export const SessionUserSchema = Type.Object({
  id: Type.String(),
  login: Type.String(),
  name: Type.String(),
  roles: Type.Array(RoleSchema),
  courierId: Nullable(Type.String()),
  collabUserId: Nullable(Type.String()),
});
export type SessionUser = Static<typeof SessionUserSchema>;

export const SessionSchema = Type.Object({
  user: Nullable(SessionUserSchema),
  csrf: Nullable(Type.String()),
  collab: Type.Object({ registered: Type.Boolean(), serviceConversationKey: Type.String() }),
});
export type Session = Static<typeof SessionSchema>;

export const LoginBodySchema = Type.Object(
  {
    login: Type.String({ minLength: 1, maxLength: 100 }),
    password: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBodySchema>;
