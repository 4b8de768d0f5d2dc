// Checks a client's frame: JSON, an object, a known op, fields of the right types. Anything else
// is an INVALID_ARGUMENT that names the problem (and the frame's id, when it had a usable one).

import { VestnikError, type ClientFrame, type ConversationRef } from '@vestnik/protocol';

const MAX_ID = 128;
const MAX_NAME = 256;

export class FrameError extends VestnikError {
  readonly frameId: string | undefined;
  constructor(message: string, frameId: string | undefined) {
    super('INVALID_ARGUMENT', message);
    this.frameId = frameId;
  }
}

export function parseFrame(text: string): ClientFrame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new FrameError('The frame is not valid JSON.', undefined);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FrameError('A frame must be a JSON object with an "op".', undefined);
  }
  const frame = value as Record<string, unknown>;
  const id = typeof frame.id === 'string' && frame.id.length <= MAX_ID ? frame.id : undefined;
  const fail = (message: string): never => {
    throw new FrameError(message, id);
  };
  if (frame.id !== undefined && id === undefined)
    fail(`id must be a string of at most ${MAX_ID} characters.`);
  const needId = () => id ?? fail(`A "${String(frame.op)}" frame needs an id.`);
  switch (frame.op) {
    case 'auth':
      if (typeof frame.token !== 'string' || frame.token === '') fail('token must be a non-empty string.');
      return { op: 'auth', id, token: frame.token as string };
    case 'subscribe':
      return {
        op: 'subscribe',
        id: needId(),
        conversation: conversationRef(frame.conversation, fail),
        since: optionalSeq(frame.since, 'since', fail),
      };
    case 'unsubscribe':
      if (typeof frame.conversationId !== 'string' || frame.conversationId === '') {
        fail('conversationId must be a non-empty string.');
      }
      return { op: 'unsubscribe', id, conversationId: frame.conversationId as string };
    case 'history': {
      const limit = frame.limit;
      if (limit !== undefined && (!Number.isSafeInteger(limit) || (limit as number) < 1)) {
        fail('limit must be a positive integer.');
      }
      return {
        op: 'history',
        id: needId(),
        conversation: conversationRef(frame.conversation, fail),
        after: optionalSeq(frame.after, 'after', fail),
        limit: limit as number | undefined,
      };
    }
    case 'ping':
      return { op: 'ping', id };
    default:
      return fail(
        typeof frame.op === 'string'
          ? `Unknown op "${frame.op.slice(0, 64)}".`
          : 'A frame needs an "op" string.',
      );
  }
}

function conversationRef(value: unknown, fail: (message: string) => never): ConversationRef {
  if (typeof value !== 'object' || value === null)
    return fail('conversation must be {"key": ...} or {"id": ...}.');
  const ref = value as Record<string, unknown>;
  for (const field of ['id', 'key'] as const) {
    const name = ref[field];
    if (name === undefined) continue;
    if (typeof name !== 'string' || name === '' || name.length > MAX_NAME) {
      return fail(`conversation.${field} must be a non-empty string of at most ${MAX_NAME} characters.`);
    }
    return field === 'id' ? { id: name } : { key: name };
  }
  return fail('conversation must be {"key": ...} or {"id": ...}.');
}

function optionalSeq(value: unknown, name: string, fail: (message: string) => never): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || (value as number) < 0) return fail(`${name} must be an integer >= 0.`);
  return value as number;
}
