// The collaboration system as the store's users reach it over HTTP: a token for the WebSocket
// (/api/collab/token) and a courier's notifications, the inbox (/api/notifications).

import { Type, type Static } from '@sinclair/typebox';

export const CollabTokenSchema = Type.Object({
  token: Type.String(),
  expiresAt: Type.Number(),
  userId: Type.String(),
  wsUrl: Type.String(),
});
export type CollabToken = Static<typeof CollabTokenSchema>;

export const NotificationQuerySchema = Type.Object(
  {
    after: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);
export type NotificationQuery = Static<typeof NotificationQuerySchema>;
