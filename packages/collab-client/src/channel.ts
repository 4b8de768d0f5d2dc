// One attached handler: the conversation it follows, the last seq it was handed (so that a
// resubscription asks for what came after, and duplicates are dropped), and whether it is live on
// the current socket.

import type { ConversationRef, Message, VestnikError } from '@vestnik/protocol';

export interface AttachOptions {
  /** Also deliver the messages after this seq (e.g. the last one the application stored). */
  since?: number;
  /** The subscription failed for good (e.g. NOT_PARTICIPANT) or was ended by the server. */
  onError?: (error: VestnikError) => void;
  /** History no longer reached back to where this handler left off: older messages are gone. */
  onTruncated?: (info: { conversationId: string; since: number }) => void;
}

export class Channel {
  readonly conversation: ConversationRef;
  readonly handler: (message: Message) => void;
  readonly options: AttachOptions;
  conversationId: string | undefined;
  /** The newest seq handed to the handler, or where the subscription started. */
  lastSeq: number | undefined;
  /** The subscribe frame in flight on the current socket, if any. */
  pendingId: string | undefined;
  /** Receiving on the current socket (its `subscribed` came). */
  live = false;
  /** Asking where the conversation stands now, to share a subscription from there. */
  lookingUp = false;
  done = false;
  readonly ready: Promise<{ conversationId: string }>;
  resolveReady!: (value: { conversationId: string }) => void;
  rejectReady!: (error: VestnikError) => void;

  constructor(conversation: ConversationRef, handler: (message: Message) => void, options: AttachOptions) {
    this.conversation = conversation;
    this.handler = handler;
    this.options = options;
    this.lastSeq = options.since;
    this.ready = new Promise((resolve, reject) => {
      this.resolveReady = resolve;
      this.rejectReady = reject;
    });
    // Awaiting `ready` is optional: a failure also reaches onError and the client's error event.
    this.ready.catch(() => {});
  }

  /** Hands a message over once, in order; returns false for a duplicate. */
  deliver(message: Message): boolean {
    if (this.done || !this.live) return false;
    if (this.lastSeq !== undefined && message.seq <= this.lastSeq) return false;
    this.lastSeq = message.seq;
    this.handler(message);
    return true;
  }
}
