// The one place the web client meets the collaboration client SDK: a connection that asks the
// store for a fresh token on every (re)connect, reports its state, and hands over new messages.
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline';

export interface WireMessage {
  id: string;
  seq: number;
  createdAt: string;
  text: string;
  data: unknown;
}

export interface LiveFeed {
  readonly state: ConnectionState;
  onState(listener: (state: ConnectionState) => void): () => void;
  /** Subscribes to the conversation with this key; messages after `since` come to `handler` once, in order. */
  attach(key: string, since: number, handler: (message: WireMessage) => void): () => void;
  close(): void;
}
