// The socket's one server subscription to a conversation, shared by every subscription of the
// client that follows it. The gateway holds at most one per conversation and socket, and its frames
// do not say which subscribe they answer, so two started from different seqs would interleave.

import type { ConversationRef } from '@vestnik/protocol';
import type { Backoff } from './backoff.js';
import type { SubscriptionControl } from './subscription.js';

/** Where the server subscription stands on the current socket. */
export type LinkPhase =
  /** None on the server: not connected yet, waiting to retry, or nothing asked yet. */
  | { readonly name: 'idle' }
  /** A subscribe frame is on its way; messages of the conversation are dropped until its answer. */
  | { readonly name: 'subscribing'; readonly frameId: string; readonly since: number | undefined }
  /**
   * Answered: messages flow. `since` is what it was asked from (undefined: from now, no catch-up);
   * every message after `delivered` that the user may see is still to come; `lastSeq` is the
   * conversation's newest seq as it was answered.
   */
  | {
      readonly name: 'live';
      readonly since: number | undefined;
      delivered: number;
      readonly lastSeq: number;
    };

export class ConversationLink {
  /** How a subscribe names the conversation: its id once known, else the key the application gave. */
  ref: ConversationRef;
  /** Subscriptions that follow the conversation. */
  readonly members = new Set<SubscriptionControl>();
  /** The members the server subscription serves (the one in flight, or live); the others wait. */
  included = new Set<SubscriptionControl>();
  phase: LinkPhase = { name: 'idle' };
  /** Set while waiting to subscribe again after a transient failure. */
  retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** Retry delays for this conversation; reset once it is served. */
  readonly backoff: Backoff;

  constructor(ref: ConversationRef, backoff: Backoff) {
    this.ref = ref;
    this.backoff = backoff;
  }

  get conversationId(): string | undefined {
    return 'id' in this.ref ? this.ref.id : undefined;
  }

  /** The `since` a subscribe must ask for so that every member gets what it still needs. */
  earliestSince(): number | undefined {
    let since: number | undefined;
    for (const member of this.members) {
      const position = member.position;
      if (position !== undefined && (since === undefined || position < since)) since = position;
    }
    return since;
  }

  /**
   * Whether a member can share the subscribe in flight: it reaches back far enough (members
   * without a position start wherever the answer says the conversation stands).
   */
  reachesFor(member: SubscriptionControl): boolean {
    if (this.phase.name !== 'subscribing') return false;
    const { since } = this.phase;
    return member.position === undefined || (since !== undefined && since <= member.position);
  }

  /** Whether a member can join the live subscription: nothing it needs has gone by. */
  servesLiveFor(member: SubscriptionControl): boolean {
    if (this.phase.name !== 'live') return false;
    return member.position === undefined || member.position >= this.phase.delivered;
  }

  stopRetry(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }
}
