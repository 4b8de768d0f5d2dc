// The collaboration system's tables, as the query layer (Kysely) sees them. Booleans are integers
// (0/1) and times are epoch milliseconds so that one set of queries serves SQLite and PostgreSQL.

import type { Generated } from 'kysely';

export interface RegistrationTable {
  id: number;
  application_name: string;
  registered_at: number;
}

export interface UserTable {
  id: string;
  external_id: string;
  name: string;
  blocked: number;
  created_at: number;
}

export interface ConversationTable {
  id: string;
  key: string | null;
  title: string;
  displayed: number;
  kind: 'group' | 'dialog';
  context_type: string | null;
  context_id: string | null;
  /** The seq of the newest message; bumped under the row's lock, so seq follows commit order. */
  last_seq: Generated<number>;
  /** Messages up to this seq were removed by retention. */
  trimmed_seq: Generated<number>;
  created_at: number;
}

export interface ParticipantTable {
  conversation_id: string;
  user_id: string;
  joined_at: number;
}

export interface MessageTable {
  conversation_id: string;
  seq: number;
  id: string;
  author_id: string | null;
  created_at: number;
  text: string;
  /** JSON text. */
  data: string;
  /** JSON array of user ids, or null for every participant. */
  recipients: string | null;
  idempotency_key: string | null;
}

export interface MessageRecipientTable {
  user_id: string;
  conversation_id: string;
  seq: number;
}

// A type, not an interface: `withTables` wants a record type.
export type CollabDatabase = {
  collab_registration: RegistrationTable;
  collab_users: UserTable;
  collab_conversations: ConversationTable;
  collab_participants: ParticipantTable;
  collab_messages: MessageTable;
  collab_message_recipients: MessageRecipientTable;
};
