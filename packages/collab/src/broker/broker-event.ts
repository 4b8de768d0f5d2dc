// Checking an event that came over the wire: another node, another version, or a stranger may have
// published on our channel, and a bad event must be dropped, not crash the node.

import type { Message } from '@vestnik/protocol';
import type { BrokerEvent } from './broker.js';

const isString = (value: unknown): value is string => typeof value === 'string';
const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every(isString);

function isMessage(value: unknown): value is Message {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  return (
    isString(m.id) &&
    isString(m.conversationId) &&
    Number.isSafeInteger(m.seq) &&
    (m.seq as number) > 0 &&
    (m.authorId === null || isString(m.authorId)) &&
    isString(m.createdAt) &&
    isString(m.text) &&
    'data' in m &&
    isStringArray(m.recipients)
  );
}

/** The event a payload carries, or undefined when it is not a well-formed event of this conversation. */
export function parseBrokerEvent(payload: string, conversationId: string): BrokerEvent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const event = value as Record<string, unknown>;
  if (event.type === 'message') {
    if (!isMessage(event.message) || event.message.conversationId !== conversationId) return undefined;
    return { type: 'message', message: event.message };
  }
  if (event.type === 'participants-removed') {
    if (event.conversationId !== conversationId || !isStringArray(event.userIds)) return undefined;
    return { type: 'participants-removed', conversationId, userIds: event.userIds };
  }
  if (event.type === 'user-blocked') {
    if (event.conversationId !== conversationId || !isString(event.userId)) return undefined;
    return { type: 'user-blocked', conversationId, userId: event.userId };
  }
  return undefined;
}
