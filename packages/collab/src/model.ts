// The collaboration system's model: users, conversations, messages, and the inputs that make them.

import type { Json, Message, Ref } from '@vestnik/protocol';

export type { Message, Json, Ref };

export interface User {
  id: string;
  /** The application's own id of this user (the seed's infobase user UUID). */
  externalId: string;
  name: string;
  blocked: boolean;
}

export type ConversationKind = 'group' | 'dialog';

export interface Conversation {
  id: string;
  /** An application-defined unique key, e.g. the seed's service conversation key. */
  key: string | null;
  title: string;
  /** False for a hidden service conversation that no UI lists. */
  displayed: boolean;
  kind: ConversationKind;
  /** The application object this conversation is about, if any. */
  context: Ref | null;
  /** Seq of the newest message, 0 when there is none. */
  lastSeq: number;
  /** Messages up to this seq were removed by retention; history does not reach back further. */
  trimmedSeq: number;
}

/** A conversation named by its key or by its id. */
export type ConversationSelector = { key: string } | { id: string };

export interface CreateUserInput {
  externalId: string;
  name: string;
}

export interface CreateConversationInput {
  key?: string;
  title?: string;
  displayed?: boolean;
  kind?: ConversationKind;
  context?: Ref;
  participants?: string[];
}

export interface ConversationFilter {
  displayed?: boolean;
  context?: Ref;
  /** Only conversations this user takes part in. */
  participant?: string;
  limit?: number;
}

export interface CreateMessageInput {
  conversation: ConversationSelector;
  text: string;
  data?: Json;
  /** The author; omitted for a message written by the system. */
  authorId?: string;
  /** The only users who may see the message; omitted or empty for every participant. */
  recipients?: string[];
  /** The same key never makes two messages: a repeat returns the first one. */
  idempotencyKey?: string;
}

export interface HistoryQuery {
  conversation: ConversationSelector;
  /** The user whose view this is: only what this user may see is returned. */
  asUser: string;
  /** Return messages with a seq greater than this (0 by default: from the start). */
  after?: number;
  limit?: number;
}

export interface HistoryPage {
  messages: Message[];
  /** True when `after` lies before what retention kept: older messages are gone. */
  truncated: boolean;
  /** The conversation's newest seq when the page was read. */
  lastSeq: number;
  /** True when more messages follow the last one returned. */
  hasMore: boolean;
}

/** Whether `userId` may see `message`: recipients filter it, and the author always sees it. */
export function isVisibleTo(message: Message, userId: string): boolean {
  return (
    message.recipients.length === 0 || message.authorId === userId || message.recipients.includes(userId)
  );
}
