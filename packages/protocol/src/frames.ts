// The WebSocket protocol between the gateway (collab-server) and the client SDK: every frame is
// one JSON object with an `op`. docs/protocol.md describes each frame with examples.

import type { ErrorCode } from './errors.js';
import type { Message } from './message.js';

/** A conversation named by its application-defined key or by its id. */
export type ConversationRef = { key: string } | { id: string };

// Client -> server ---------------------------------------------------------------------------

/** Authenticates the socket (first frame) or renews its token later without dropping anything. */
export interface AuthFrame {
  op: 'auth';
  id?: string;
  token: string;
}

export interface SubscribeFrame {
  op: 'subscribe';
  id: string;
  conversation: ConversationRef;
  /** Deliver the messages after this seq first; omitted: only messages written from now on. */
  since?: number;
}

export interface UnsubscribeFrame {
  op: 'unsubscribe';
  id?: string;
  conversationId: string;
}

export interface HistoryFrame {
  op: 'history';
  id: string;
  conversation: ConversationRef;
  after?: number;
  limit?: number;
}

export interface PingFrame {
  op: 'ping';
  id?: string;
}

export type ClientFrame = AuthFrame | SubscribeFrame | UnsubscribeFrame | HistoryFrame | PingFrame;

// Server -> client ---------------------------------------------------------------------------

/** Sent once the socket is authenticated. */
export interface WelcomeFrame {
  op: 'welcome';
  userId: string;
  /** Milliseconds until the token expires; renew it before then with an `auth` frame. */
  expiresIn: number;
  limits: GatewayLimitsInfo;
}

/** The reply to a renewing `auth` frame. */
export interface AuthenticatedFrame {
  op: 'authenticated';
  id?: string;
  expiresIn: number;
}

export interface SubscribedFrame {
  op: 'subscribed';
  id: string;
  conversationId: string;
  /** True when `since` lay before what retention kept: older messages are gone. */
  truncated: boolean;
  /** Messages after this seq follow; resubscribe with `since: <last seq seen>` after a reconnect. */
  cursor: number;
  /**
   * The conversation's newest seq as the subscription opened (never below `cursor`): the messages
   * up to it that the user may see are the catch-up, every later one is new. A client without
   * `since` starts from here, so it needs no request to learn where the conversation stands.
   */
  lastSeq: number;
}

/** The reply to `unsubscribe`, or the server ended a subscription (then with an error code). */
export interface UnsubscribedFrame {
  op: 'unsubscribed';
  id?: string;
  conversationId: string;
  code?: ErrorCode;
  message?: string;
}

export interface MessageFrame {
  op: 'message';
  conversationId: string;
  message: Message;
}

export interface HistoryPageFrame {
  op: 'history-page';
  id: string;
  messages: Message[];
  truncated: boolean;
  lastSeq: number;
  hasMore: boolean;
}

export interface PongFrame {
  op: 'pong';
  id?: string;
}

export interface ErrorFrame {
  op: 'error';
  /** The id of the frame this answers, when it had one. */
  id?: string;
  code: ErrorCode;
  message: string;
  details?: unknown;
}

export type ServerFrame =
  | WelcomeFrame
  | AuthenticatedFrame
  | SubscribedFrame
  | UnsubscribedFrame
  | MessageFrame
  | HistoryPageFrame
  | PongFrame
  | ErrorFrame;

/** The limits a gateway enforces, told to the client in its welcome. */
export interface GatewayLimitsInfo {
  maxFrameBytes: number;
  maxSubscriptions: number;
}
