// The subscriptions of one socket: at most one per conversation, each announced (`subscribed`)
// before its messages, caught up at the socket's pace, then live. collab.openSubscription checks
// the user once and holds live messages back until the backlog is handed over, so there is no gap
// or duplicate at the seam.
// A node keeps one per subscribed socket, so the structures are small: a socket with a single
// subscription (the common case) holds it in a field, not a Map, and handlers are methods.

import type { Collab, OpeningSubscription, SubscribeInput, Subscription } from '@vestnik/collab';
import { VestnikError, type Message, type ServerFrame, type SubscribeFrame } from '@vestnik/protocol';
import { pushFrame } from './frame-encoder.js';
import { wireError } from './wire-error.js';
import type { Outbox } from './outbox.js';

/** Messages read per page while a subscription catches up. */
const CATCH_UP_PAGE = 200;

export interface SocketContext {
  readonly collab: Collab;
  readonly userId: string;
  readonly maxSubscriptions: number;
  readonly outbox: Outbox;
  send(frame: ServerFrame): void;
  sendError(id: string | undefined, error: unknown): void;
  isClosed(): boolean;
  logError(error: unknown, context: string): void;
}

/**
 * One subscription's input to collab.openSubscription. Collab calls the handlers as its methods, so
 * a subscription costs this one small object instead of closures over the subscribe call.
 */
class LiveHandlers implements SubscribeInput {
  readonly conversation: SubscribeInput['conversation'];
  readonly asUser: string;
  readonly since: number | undefined;
  /** Set when the client unsubscribes while the catch-up is under way. */
  readonly #catchUp: { readonly cancelled: boolean };
  /** The system ended the subscription (the user was removed); seen by a catch-up under way. */
  ended: VestnikError | undefined;
  subscription: Subscription | undefined;
  readonly #owner: SocketSubscriptions;

  constructor(
    owner: SocketSubscriptions,
    conversation: SubscribeInput['conversation'],
    asUser: string,
    since: number | undefined,
    catchUp: { readonly cancelled: boolean },
  ) {
    this.#owner = owner;
    this.#catchUp = catchUp;
    this.conversation = conversation;
    this.asUser = asUser;
    this.since = since;
  }

  onMessage(message: Message): void {
    // Unsubscribed while catching up: nothing of it may follow its `unsubscribed`.
    if (this.#catchUp.cancelled) return;
    this.#owner.push(message);
  }

  onEnd(error: VestnikError): void {
    this.ended = error;
    if (this.subscription !== undefined) this.#owner.ended(this.subscription, error);
  }
}

export class SocketSubscriptions {
  readonly #context: SocketContext;
  /** The only subscription, while there is one; #many holds them all once there are more. */
  #one: Subscription | undefined;
  #many: Map<string, Subscription> | undefined;
  #pendingSubscribes = 0;
  /** Subscriptions announced and still catching up, by conversation: an unsubscribe cancels them. */
  #catchingUp: Map<string, { cancelled: boolean }> | undefined;

  constructor(context: SocketContext) {
    this.#context = context;
  }

  get size(): number {
    return this.#many !== undefined ? this.#many.size : this.#one !== undefined ? 1 : 0;
  }

  #get(conversationId: string): Subscription | undefined {
    if (this.#many !== undefined) return this.#many.get(conversationId);
    return this.#one?.conversationId === conversationId ? this.#one : undefined;
  }

  #set(subscription: Subscription): void {
    if (this.#many !== undefined) {
      this.#many.set(subscription.conversationId, subscription);
    } else if (this.#one === undefined || this.#one.conversationId === subscription.conversationId) {
      this.#one = subscription;
    } else {
      this.#many = new Map([
        [this.#one.conversationId, this.#one],
        [subscription.conversationId, subscription],
      ]);
      this.#one = undefined;
    }
  }

  #delete(conversationId: string): void {
    if (this.#many !== undefined) this.#many.delete(conversationId);
    else if (this.#one?.conversationId === conversationId) this.#one = undefined;
  }

  unsubscribe(conversationId: string): void {
    this.#get(conversationId)?.unsubscribe();
    this.#delete(conversationId);
    const catchingUp = this.#catchingUp?.get(conversationId);
    if (catchingUp !== undefined) catchingUp.cancelled = true;
  }

  /** The socket closed: every subscription ends. */
  close(): void {
    this.#one?.unsubscribe();
    this.#one = undefined;
    if (this.#many !== undefined) for (const subscription of this.#many.values()) subscription.unsubscribe();
    this.#many = undefined;
    if (this.#catchingUp !== undefined)
      for (const catchingUp of this.#catchingUp.values()) catchingUp.cancelled = true;
  }

  /** A live message for this socket. */
  push(message: Message): void {
    this.#context.outbox.push(pushFrame(message));
  }

  async subscribe(frame: SubscribeFrame): Promise<void> {
    const { maxSubscriptions } = this.#context;
    if (this.size + this.#pendingSubscribes >= maxSubscriptions) {
      this.#context.sendError(
        frame.id,
        new VestnikError('LIMIT_EXCEEDED', `A socket may hold at most ${maxSubscriptions} subscriptions.`, {
          limit: 'maxSubscriptions',
          value: maxSubscriptions,
        }),
      );
      return;
    }
    this.#pendingSubscribes++;
    try {
      await this.#openSubscription(frame);
    } finally {
      this.#pendingSubscribes--;
    }
  }

  /**
   * Opens the subscription (collab checks the user once), announces it, then hands over its
   * backlog one message at a time as the socket drains, and only then lets live messages through.
   * A recent backlog comes from the feed's memory as shared Message objects, so each message is
   * framed once for all the sockets catching up.
   */
  async #openSubscription(frame: SubscribeFrame): Promise<void> {
    const { collab, outbox } = this.#context;
    const catchUp = { cancelled: false };
    const live = new LiveHandlers(this, frame.conversation, this.#context.userId, frame.since, catchUp);
    let subscription: OpeningSubscription;
    try {
      subscription = await collab.openSubscription(live);
    } catch (error) {
      this.#context.sendError(frame.id, error);
      return;
    }
    live.subscription = subscription;
    if (this.#context.isClosed()) {
      subscription.unsubscribe();
      return;
    }
    const conversationId = subscription.conversationId;
    // Only a catch-up waits between `subscribed` and going live, so only it can be cancelled.
    if (frame.since !== undefined) (this.#catchingUp ??= new Map()).set(conversationId, catchUp);
    this.#context.send({
      op: 'subscribed',
      id: frame.id,
      conversationId,
      truncated: subscription.truncated,
      cursor: subscription.cursor,
      lastSeq: subscription.lastSeq,
    });
    if (frame.since !== undefined) {
      // Page by page, waiting for the socket to drain: a client back from a long absence must
      // neither overflow its send buffer (and be cut off again) nor grow the server's memory.
      const pageSize = Math.min(CATCH_UP_PAGE, collab.limits.maxPageSize);
      try {
        for (let more = true; more;) {
          const page = await subscription.nextBacklog(pageSize);
          for (const message of page) {
            if (!outbox.hasRoom) await outbox.room();
            if (this.#context.isClosed() || catchUp.cancelled || live.ended !== undefined) break;
            subscription.deliver(message);
          }
          more = page.length === pageSize && !catchUp.cancelled && live.ended === undefined;
        }
      } catch (error) {
        this.#doneCatchingUp(conversationId, catchUp);
        subscription.unsubscribe();
        // A client that unsubscribed (or left) has had its answer; nothing may follow it.
        if (!this.#context.isClosed() && !catchUp.cancelled) this.#endAnnounced(conversationId, error);
        return;
      }
    }
    this.#doneCatchingUp(conversationId, catchUp);
    if (this.#context.isClosed() || catchUp.cancelled || live.ended !== undefined) {
      subscription.unsubscribe();
      if (live.ended !== undefined && !this.#context.isClosed() && !catchUp.cancelled) {
        this.#endAnnounced(conversationId, live.ended);
      }
      return;
    }
    const previous = this.#get(conversationId);
    this.#set(subscription);
    subscription.goLive();
    // A repeated subscribe replaces the earlier one only now, so the client's stream has no gap.
    if (previous !== undefined && previous !== subscription) previous.unsubscribe();
  }

  #doneCatchingUp(conversationId: string, catchUp: { cancelled: boolean }): void {
    if (this.#catchingUp?.get(conversationId) !== catchUp) return;
    this.#catchingUp.delete(conversationId);
    if (this.#catchingUp.size === 0) this.#catchingUp = undefined;
  }

  /** A subscription that was announced (`subscribed`) could not go live after its catch-up. */
  #endAnnounced(conversationId: string, error: unknown): void {
    const coded = wireError(error);
    if (coded.bug) this.#context.logError(error, 'gateway subscribe');
    const body = coded.error.toBody();
    this.#context.send({ op: 'unsubscribed', conversationId, code: body.code, message: body.message });
  }

  /** Collab ended a live subscription (the user was removed from the conversation). */
  ended(subscription: Subscription, error: VestnikError): void {
    const conversationId = subscription.conversationId;
    if (this.#get(conversationId) !== subscription) return;
    this.#delete(conversationId);
    this.#context.send({ op: 'unsubscribed', conversationId, code: error.code, message: error.message });
  }
}
