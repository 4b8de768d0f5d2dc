// The collaboration system as the store's users reach it over HTTP: a token for the WebSocket
// (/api/collab/token) and a courier's notifications, the inbox (/api/notifications).

import { Type, type Static } from '@sinclair/typebox';
import { Nullable } from './common.js';

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

/**
 * `{ "$ref": "Order", "id": "..." }`, a reference to a store object (packages/protocol's Ref). The
 * schema names only `id`: a property called `$ref` confuses JSON-schema reference resolvers
 * (OpenAPI, the serializer), so `$ref` passes as an additional property and the type says it.
 */
const RefTo = <Name extends string>(name: Name) =>
  Type.Unsafe<{ $ref: Name; id: string }>(
    Type.Object(
      { id: Type.String() },
      { additionalProperties: true, description: `{"$ref": "${name}", "id": "..."}` },
    ),
  );

/** The data of a courier notification. */
export const NotificationDataSchema = Type.Object({
  text: Type.String(),
  order: RefTo('Order'),
  courier: RefTo('Courier'),
  /** 'assigned': the order became In work for this courier; 'unassigned': it was taken off them. */
  kind: Type.Union([Type.Literal('assigned'), Type.Literal('unassigned')]),
  /** The order's number, for the pop-up. */
  number: Type.String(),
});
export type NotificationData = Static<typeof NotificationDataSchema>;

/** A message of the service conversation as the courier sees it: only those addressed to them. */
export const CourierNotificationSchema = Type.Object({
  id: Type.String(),
  conversationId: Type.String(),
  seq: Type.Integer(),
  /** Null: written by the system. */
  authorId: Nullable(Type.String()),
  createdAt: Type.String(),
  text: Type.String(),
  data: NotificationDataSchema,
  /** The courier's collaboration user. */
  recipients: Type.Array(Type.String()),
});
export type CourierNotification = Static<typeof CourierNotificationSchema>;

export const NotificationPageSchema = Type.Object({
  messages: Type.Array(CourierNotificationSchema),
  /** The conversation's newest seq when the page was read. */
  lastSeq: Type.Integer(),
  /** True when more messages follow the last one returned. */
  hasMore: Type.Boolean(),
  /** True when `after` lies before what retention kept: older messages are gone. */
  truncated: Type.Boolean(),
});
export type NotificationPage = Static<typeof NotificationPageSchema>;
