// JSON schemas (TypeBox) of the server API's bodies and answers; they validate requests and
// describe the API in OpenAPI.

import { Type, type Static } from '@sinclair/typebox';

const Name = Type.String({ minLength: 1, maxLength: 256 });
const Id = Type.String({ minLength: 1, maxLength: 256 });

export const ErrorBody = Type.Object(
  {
    code: Type.String({ description: 'A code of the error catalogue (docs/protocol.md).' }),
    message: Type.String(),
    details: Type.Optional(Type.Unknown()),
  },
  { $id: 'ErrorBody' },
);

// `{ "$ref": "Order", "id": "..." }`. A property named `$ref` confuses JSON-schema reference
// resolvers (OpenAPI), so it is allowed as an additional property here and checked by collab.
export const RefSchema = Type.Object(
  { id: Name },
  {
    additionalProperties: Name,
    description: 'A reference to an application object: {"$ref": "Order", "id": "..."}',
  },
);

export const ConversationRefSchema = Type.Union([
  Type.Object({ key: Name }, { additionalProperties: false }),
  Type.Object({ id: Id }, { additionalProperties: false }),
]);

export const UserSchema = Type.Object({
  id: Type.String(),
  externalId: Type.String(),
  name: Type.String(),
  blocked: Type.Boolean(),
});

export const CreateUserBody = Type.Object(
  {
    externalId: Type.String({ minLength: 1, maxLength: 256, description: "The application's own user id." }),
    name: Name,
  },
  { additionalProperties: false },
);
export type CreateUserBody = Static<typeof CreateUserBody>;

export const ConversationSchema = Type.Object({
  id: Type.String(),
  key: Type.Union([Type.String(), Type.Null()]),
  title: Type.String(),
  displayed: Type.Boolean(),
  kind: Type.Union([Type.Literal('group'), Type.Literal('dialog')]),
  context: Type.Union([RefSchema, Type.Null()]),
  lastSeq: Type.Integer(),
  trimmedSeq: Type.Integer(),
});

export const CreateConversationBody = Type.Object(
  {
    key: Type.Optional(Name),
    title: Type.Optional(Type.String({ maxLength: 256 })),
    displayed: Type.Optional(Type.Boolean()),
    kind: Type.Optional(Type.Union([Type.Literal('group'), Type.Literal('dialog')])),
    context: Type.Optional(RefSchema),
    participants: Type.Optional(Type.Array(Id, { maxItems: 10_000 })),
  },
  { additionalProperties: false },
);
export type CreateConversationBody = Static<typeof CreateConversationBody>;

export const ParticipantsBody = Type.Object(
  { userIds: Type.Array(Id, { minItems: 1, maxItems: 10_000 }) },
  { additionalProperties: false },
);
export type ParticipantsBody = Static<typeof ParticipantsBody>;

const JsonData = Type.Unknown({ description: 'Any JSON; references are {"$ref": "Order", "id": "..."}.' });

export const MessageSchema = Type.Object({
  id: Type.String(),
  conversationId: Type.String(),
  seq: Type.Integer(),
  authorId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  text: Type.String(),
  data: JsonData,
  recipients: Type.Array(Type.String()),
});

export const CreateMessageBody = Type.Object(
  {
    conversation: ConversationRefSchema,
    text: Type.String(),
    data: Type.Optional(JsonData),
    authorId: Type.Optional(Id),
    recipients: Type.Optional(Type.Array(Id)),
    idempotencyKey: Type.Optional(Name),
  },
  { additionalProperties: false },
);
export type CreateMessageBody = Static<typeof CreateMessageBody>;

export const HistoryQuery = Type.Object(
  {
    asUser: Id,
    after: Type.Optional(Type.Integer({ minimum: 0 })),
    limit: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);
export type HistoryQuery = Static<typeof HistoryQuery>;

export const HistoryPageSchema = Type.Object({
  messages: Type.Array(MessageSchema),
  truncated: Type.Boolean(),
  lastSeq: Type.Integer(),
  hasMore: Type.Boolean(),
});

export const TokenBody = Type.Object(
  {
    userId: Id,
    ttlSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400 })),
  },
  { additionalProperties: false },
);
export type TokenBody = Static<typeof TokenBody>;

export const TokenSchema = Type.Object({
  token: Type.String(),
  expiresAt: Type.Integer({ description: 'Epoch milliseconds.' }),
});

export const IdParams = Type.Object({ id: Id });
export type IdParams = Static<typeof IdParams>;
export const KeyParams = Type.Object({ key: Name });
export type KeyParams = Static<typeof KeyParams>;
export const ParticipantParams = Type.Object({ id: Id, userId: Id });
export type ParticipantParams = Static<typeof ParticipantParams>;
