// Puts the client's subscriptions on the socket: one server subscription per conversation, shared
// by every subscription that follows it (conversation-link.ts), started early enough for all of
// them, put back after a reconnect from the earliest position, and dropped once none is left.
//
// Two rules keep the gateway's one subscription per conversation and socket unambiguous:
// - never two subscribes for one conversation at once, and no unsubscribe while a subscribe for it
//   is on its way: the gateway could put the subscribe in place after the unsubscribe was handled;
// - a subscribe by a key not seen yet may name any conversation known only by its id, so frames
//   for either wait while a subscribe for the other is on its way (a conversation has one key: an
//   id that a key was seen to name is safe from every other key).

import {
  VestnikError,
  type ClientFrame,
  type ConversationRef,
  type ErrorCode,
  type MessageFrame,
  type SubscribedFrame,
  type UnsubscribedFrame,
} from '@vestnik/protocol';
import { Backoff, type BackoffOptions } from './backoff.js';
import { ConversationLink } from './conversation-link.js';
import type { SubscriptionControl, SubscriptionHost, UnsubscribedEvent } from './subscription.js';

/** Codes after which a subscribe is tried again later instead of failing for good. */
const TRANSIENT: ReadonlySet<ErrorCode> = new Set(['UNAVAILABLE', 'INTERNAL', 'RATE_LIMITED']);

export interface RegistryContext {
  /** Sends a frame on the current socket (dropped when there is none). */
  send(frame: ClientFrame): void;
  /** A frame id unique for the client's life. */
  nextId(): string;
  /** An error that a subscription met, for the client's `error` event. */
  reportError(error: VestnikError): void;
  /** Retry delays for a conversation that the server could not serve for now. */
  retry?: BackoffOptions;
}

export class SubscriptionRegistry implements SubscriptionHost {
  readonly #context: RegistryContext;
  /** By `id:<conversation id>`, or `key:<key>` while the key's conversation is not known. */
  readonly #links = new Map<string, ConversationLink>();
  readonly #linkOf = new Map<SubscriptionControl, ConversationLink>();
  /** Subscribe frames on their way, by frame id. */
  readonly #inFlight = new Map<string, ConversationLink>();
  /** Conversation ids learned from `subscribed`, by key (a key names one conversation for good). */
  readonly #idsByKey = new Map<string, string>();
  readonly #keyedIds = new Set<string>();
  #connected = false;
  #closed: UnsubscribedEvent | undefined;
  #syncScheduled = false;

  constructor(context: RegistryContext) {
    this.#context = context;
  }

  // Subscriptions (SubscriptionHost) -----------------------------------------------------------

  start(control: SubscriptionControl): void {
    if (this.#closed !== undefined) {
      const event = this.#closed;
      // Later, as every other answer: the application's listeners are not in place yet.
      queueMicrotask(() => control.end(event));
      return;
    }
    const link = this.#linkFor(control.conversation);
    link.members.add(control);
    this.#linkOf.set(control, link);
    this.#scheduleSync();
  }

  stop(control: SubscriptionControl): void {
    const link = this.#linkOf.get(control);
    if (link === undefined) return;
    this.#linkOf.delete(control);
    link.members.delete(control);
    link.included.delete(control);
    this.#scheduleSync();
  }

  // The connection -----------------------------------------------------------------------------

  /** The socket is authenticated: put every subscription on it. */
  connected(): void {
    this.#connected = true;
    this.#syncAll();
  }

  /** The socket is gone, and every server subscription with it. */
  disconnected(): void {
    this.#connected = false;
    this.#inFlight.clear();
    for (const link of [...this.#links.values()]) {
      link.stopRetry();
      link.phase = { name: 'idle' };
      link.included = new Set();
      for (const member of [...link.members]) member.lose();
      if (link.members.size === 0) this.#forget(link);
    }
  }

  /** The client closed (with the error that stopped it, if any): every subscription ends. */
  close(error: VestnikError | undefined): void {
    if (this.#closed !== undefined) return;
    this.#connected = false;
    this.#closed = error === undefined ? { reason: 'closed' } : { reason: 'error', error };
    const members = [...this.#linkOf.keys()];
    for (const link of this.#links.values()) link.stopRetry();
    this.#links.clear();
    this.#linkOf.clear();
    this.#inFlight.clear();
    for (const member of members) member.end(this.#closed);
  }

  // Frames -------------------------------------------------------------------------------------

  subscribed(frame: SubscribedFrame): void {
    let link = this.#inFlight.get(frame.id);
    if (link === undefined || link.phase.name !== 'subscribing') return;
    this.#inFlight.delete(frame.id);
    const asked = link.phase.since;
    let restart = false;
    if (link.conversationId === undefined)
      ({ link, restart } = this.#settle(link, frame.conversationId, asked));
    if (restart) {
      // This subscribe and an earlier one by id are both on the server, and their frames may
      // interleave: end both, then start one again from the earliest position any member needs.
      this.#context.send({ op: 'unsubscribe', conversationId: frame.conversationId });
      link.phase = { name: 'idle' };
      link.included = new Set();
      this.#syncAll();
      return;
    }
    link.backoff.reset();
    // A gateway older than the `lastSeq` field sends none: its cursor is the best there is then.
    const lastSeq = Math.max(frame.lastSeq ?? frame.cursor, frame.cursor);
    link.phase = { name: 'live', since: asked, delivered: frame.cursor, lastSeq };
    for (const member of [...link.included]) {
      member.serve({
        conversationId: frame.conversationId,
        from: lastSeq,
        lastSeq,
        truncated: frame.truncated && member.position !== undefined,
      });
    }
    // Members that waited for this answer, or left meanwhile; conversations held back by it.
    this.#syncAll();
  }

  /** A coded error answering a frame; false when it was not for a subscribe. */
  refused(id: string, error: VestnikError): boolean {
    const link = this.#inFlight.get(id);
    if (link === undefined) return false;
    this.#inFlight.delete(id);
    this.#lost(link, error);
    return true;
  }

  message(frame: MessageFrame): void {
    const link = this.#links.get(`id:${frame.conversationId}`);
    if (link === undefined || link.phase.name !== 'live') return;
    link.phase.delivered = Math.max(link.phase.delivered, frame.message.seq);
    for (const member of [...link.included]) member.deliver(frame.message);
  }

  /** The server ended a subscription (an `unsubscribed` with a code). */
  ended(frame: UnsubscribedFrame & { code: ErrorCode }): void {
    const link = this.#links.get(`id:${frame.conversationId}`);
    // While a subscribe is on its way, an end is the earlier subscription's: its answer will tell.
    if (link === undefined || link.phase.name !== 'live') return;
    this.#lost(link, new VestnikError(frame.code, frame.message));
  }

  // Putting subscriptions on the socket ------------------------------------------------------------

  #linkFor(ref: ConversationRef): ConversationLink {
    const id = 'id' in ref ? ref.id : this.#idsByKey.get(ref.key);
    const known: ConversationRef = id !== undefined ? { id } : ref;
    let link = this.#links.get(nameOf(known));
    if (link === undefined) {
      link = new ConversationLink(known, new Backoff(this.#context.retry));
      this.#links.set(nameOf(known), link);
    }
    return link;
  }

  #forget(link: ConversationLink): void {
    link.stopRetry();
    if (this.#links.get(nameOf(link.ref)) === link) this.#links.delete(nameOf(link.ref));
  }

  /** After the application's calls: once, when its listeners are in place and its calls are done. */
  #scheduleSync(): void {
    if (this.#syncScheduled) return;
    this.#syncScheduled = true;
    queueMicrotask(() => {
      this.#syncScheduled = false;
      this.#syncAll();
    });
  }

  #syncAll(): void {
    for (const link of [...this.#links.values()]) this.#sync(link);
  }

  /** Takes the next step for one conversation, if its state allows one now. */
  #sync(link: ConversationLink): void {
    if (!this.#connected || link.retryTimer !== undefined) return;
    if (this.#links.get(nameOf(link.ref)) !== link) return; // merged into another by #settle
    const phase = link.phase;
    if (phase.name === 'subscribing') {
      // Its answer comes first; meanwhile the subscribe takes whoever it reaches back far enough for.
      for (const member of link.members) if (link.reachesFor(member)) link.included.add(member);
      return;
    }
    if (link.members.size === 0) {
      if (phase.name === 'live') {
        if (this.#mustWait(link)) return;
        this.#context.send({ op: 'unsubscribe', conversationId: link.conversationId! });
      }
      this.#forget(link);
      return;
    }
    if (phase.name === 'live') {
      let behind = false;
      for (const member of link.members) {
        if (link.included.has(member)) continue;
        if (!link.servesLiveFor(member)) {
          behind = true;
          continue;
        }
        link.included.add(member);
        const now = Math.max(phase.lastSeq, phase.delivered);
        member.serve({ conversationId: link.conversationId!, from: now, lastSeq: now, truncated: false });
      }
      // A member needs messages the live subscription has passed on: stop it, then subscribe
      // again from there, so that nothing of the old one comes between.
      if (!behind || this.#mustWait(link)) return;
      this.#context.send({ op: 'unsubscribe', conversationId: link.conversationId! });
    } else if (this.#mustWait(link)) {
      return;
    }
    this.#subscribe(link);
  }

  #subscribe(link: ConversationLink): void {
    const id = this.#context.nextId();
    const since = link.earliestSince();
    link.phase = { name: 'subscribing', frameId: id, since };
    link.included = new Set(link.members);
    this.#inFlight.set(id, link);
    this.#context.send({ op: 'subscribe', id, conversation: link.ref, since });
  }

  /** Whether a frame for this conversation must wait for a subscribe on its way (see the top). */
  #mustWait(link: ConversationLink): boolean {
    const id = link.conversationId;
    if (id !== undefined && this.#keyedIds.has(id)) return false;
    for (const other of this.#inFlight.values()) {
      if (other === link) continue;
      const otherId = other.conversationId;
      // An unknown key waits for ids not known to have a key; such an id waits for unknown keys.
      if (id === undefined ? otherId !== undefined && !this.#keyedIds.has(otherId) : otherId === undefined) {
        return true;
      }
    }
    return false;
  }

  /**
   * A subscribe by key was answered: the conversation is known from now on. Its link takes the
   * place of the link by id, if any, and its members. `restart` says that the server now holds
   * this subscribe in the place of a live one by id whose frames may come between its own.
   */
  #settle(
    link: ConversationLink,
    conversationId: string,
    asked: number | undefined,
  ): { link: ConversationLink; restart: boolean } {
    this.#idsByKey.set(keyOf(link.ref), conversationId);
    this.#keyedIds.add(conversationId);
    this.#links.delete(nameOf(link.ref));
    link.ref = { id: conversationId };
    const byId = this.#links.get(`id:${conversationId}`);
    this.#links.set(`id:${conversationId}`, link);
    if (byId === undefined) return { link, restart: false };
    byId.stopRetry();
    for (const member of byId.members) {
      link.members.add(member);
      this.#linkOf.set(member, link);
    }
    const earlier = byId.phase;
    if (earlier.name === 'idle') return { link, restart: false };
    if (earlier.name === 'subscribing') this.#inFlight.delete(earlier.frameId); // kept from happening by #mustWait
    // Two subscriptions from now on are swapped by the gateway at once, with nothing between
    // (duplicates at the seam are dropped); anything with a catch-up can interleave.
    if (earlier.name === 'live' && earlier.since === undefined && asked === undefined) {
      for (const member of byId.included) link.included.add(member);
      return { link, restart: false };
    }
    return { link, restart: true };
  }

  /** The server subscription failed or ended: transient, try again later; else its members end. */
  #lost(link: ConversationLink, error: VestnikError): void {
    link.phase = { name: 'idle' };
    const served = [...link.included];
    link.included = new Set();
    if (TRANSIENT.has(error.code)) {
      for (const member of served) member.retry(error);
      link.retryTimer = setTimeout(() => {
        link.retryTimer = undefined;
        this.#sync(link);
      }, link.backoff.next());
    } else {
      for (const member of served) {
        link.members.delete(member);
        this.#linkOf.delete(member);
        member.end({ reason: 'error', error });
      }
    }
    // Last: a listener of the client's `error` may close it, which ends all of the above.
    this.#context.reportError(error);
    this.#syncAll();
  }
}

function keyOf(ref: ConversationRef): string {
  return 'key' in ref ? ref.key : '';
}

/** A link's name in the registry: by id when it is known, else by key. */
function nameOf(ref: ConversationRef): string {
  return 'id' in ref ? `id:${ref.id}` : `key:${ref.key}`;
}
