// Turning rows into the model and back: the one place that knows 0/1 booleans and JSON text.

import type { Selectable } from 'kysely';
import type { Message } from '@vestnik/protocol';
import type { Conversation, User } from '../model.js';
import type { ConversationTable, MessageTable, UserTable } from './schema.js';

export function toUser(row: Selectable<UserTable>): User {
  return { id: row.id, externalId: row.external_id, name: row.name, blocked: row.blocked === 1 };
}

export function toConversation(row: Selectable<ConversationTable>): Conversation {
  return {
    id: row.id,
    key: row.key,
    title: row.title,
    displayed: row.displayed === 1,
    kind: row.kind,
    context:
      row.context_type !== null && row.context_id !== null
        ? { $ref: row.context_type, id: row.context_id }
        : null,
    lastSeq: Number(row.last_seq),
    trimmedSeq: Number(row.trimmed_seq),
  };
}

export function toMessage(row: Selectable<MessageTable>): Message {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    seq: Number(row.seq),
    authorId: row.author_id,
    createdAt: new Date(Number(row.created_at)).toISOString(),
    text: row.text,
    data: JSON.parse(row.data) as Message['data'],
    recipients: row.recipients === null ? [] : (JSON.parse(row.recipients) as string[]),
  };
}
