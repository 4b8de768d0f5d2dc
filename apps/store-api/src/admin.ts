// The administrator's page: /api/admin/status and the command "Start working with the
// collaboration system" (/api/admin/collab/start).

import { Type, type Static } from '@sinclair/typebox';
import { Nullable } from './common.js';

const UserRefs = Type.Array(Type.Object({ userId: Type.String(), login: Type.String() }));

/** What "Start working with the collaboration system" did. Empty lists: nothing to fix. */
export const StartReportSchema = Type.Object({
  registered: Type.Boolean(),
  usersCreated: Type.Array(
    Type.Object({ userId: Type.String(), login: Type.String(), collabUserId: Type.String() }),
  ),
  conversationCreated: Type.Boolean(),
  participantsAdded: UserRefs,
  participantsRemoved: UserRefs,
  changed: Type.Boolean(),
});
export type StartReport = Static<typeof StartReportSchema>;

export const AdminStatusSchema = Type.Object({
  registered: Type.Boolean(),
  applicationName: Nullable(Type.String()),
  storage: Type.String(),
  broker: Type.String(),
  serviceConversation: Type.Object({
    key: Type.String(),
    exists: Type.Boolean(),
    participants: Type.Integer(),
    lastSeq: Type.Integer(),
  }),
  users: Type.Integer(),
  couriers: Type.Integer(),
  needsRepair: Type.Boolean(),
  version: Type.String(),
  connectedClients: Type.Integer({ description: 'Collaboration sockets open on this node now' }),
});
export type AdminStatus = Static<typeof AdminStatusSchema>;
