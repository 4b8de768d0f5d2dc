// The message as every party sees it: stored, published between nodes and sent to clients.

/** A JSON value, as carried by a message's data. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface Message {
  id: string;
  conversationId: string;
  /** Position in the conversation; grows strictly in commit order, starting at 1. */
  seq: number;
  /** The author's user id, or null for a message written by the system. */
  authorId: string | null;
  /** ISO 8601 time of writing. */
  createdAt: string;
  text: string;
  data: Json;
  /** The only users who may see the message; empty means every participant. */
  recipients: string[];
}
