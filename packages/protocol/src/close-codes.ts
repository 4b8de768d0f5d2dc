// The close codes the gateway ends a WebSocket with, and what a client should do after each.
// docs/protocol.md lists the same table; a test keeps the two equal.

import type { ErrorCode } from './errors.js';

export interface CloseCodeInfo {
  code: number;
  /** The catalogue's error code a client reports for it, if it is an error. */
  error?: ErrorCode;
  /** Whether a client should reconnect by itself (with backoff). */
  reconnect: boolean;
  description: string;
}

export const closeCodes = {
  NORMAL: { code: 1000, reconnect: false, description: 'The client asked to close.' },
  GOING_AWAY: {
    code: 1001,
    error: 'UNAVAILABLE',
    reconnect: true,
    description: 'The server is shutting down; reconnect (to another node).',
  },
  PROTOCOL_ERROR: {
    code: 1002,
    error: 'INVALID_ARGUMENT',
    reconnect: true,
    description:
      'The client broke the WebSocket protocol itself (RFC 6455), e.g. an unmasked or malformed frame.',
  },
  INVALID_PAYLOAD: {
    code: 1007,
    error: 'INVALID_ARGUMENT',
    reconnect: true,
    description: 'A text frame was not valid UTF-8.',
  },
  FRAME_TOO_LARGE: {
    code: 1009,
    error: 'PAYLOAD_TOO_LARGE',
    reconnect: true,
    description: 'A frame was larger than maxFrameBytes.',
  },
  INTERNAL: {
    code: 1011,
    error: 'INTERNAL',
    reconnect: true,
    description: 'The server met an unexpected condition.',
  },
  UNAUTHENTICATED: {
    code: 4401,
    error: 'UNAUTHENTICATED',
    reconnect: true,
    description:
      'The token is missing, forged, expired, or for another application; or no auth frame came in time. Reconnect with a fresh token.',
  },
  FORBIDDEN: {
    code: 4403,
    error: 'FORBIDDEN',
    reconnect: false,
    description: "The token's user is unknown or blocked.",
  },
  SLOW_CONSUMER: {
    code: 4408,
    error: 'LIMIT_EXCEEDED',
    reconnect: true,
    description: "The client read too slowly: the socket's send buffer passed maxBufferedBytes.",
  },
  TOO_MANY_CONNECTIONS: {
    code: 4429,
    error: 'LIMIT_EXCEEDED',
    reconnect: true,
    description: 'The user already has maxConnectionsPerUser sockets open on this node.',
  },
  NOT_REGISTERED: {
    code: 4503,
    error: 'NOT_REGISTERED',
    reconnect: true,
    description: 'The application is not registered with the collaboration system (yet).',
  },
} as const satisfies Record<string, CloseCodeInfo>;

export type CloseReason = keyof typeof closeCodes;

/** The entry of a close code, if it is one of ours. */
export function closeCodeInfo(code: number): (CloseCodeInfo & { name: CloseReason }) | undefined {
  for (const [name, info] of Object.entries(closeCodes)) {
    if (info.code === code) return { ...info, name: name as CloseReason };
  }
  return undefined;
}
