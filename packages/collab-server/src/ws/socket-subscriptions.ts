// The subscriptions of one socket: at most one per conversation, each announced (`subscribed`)
// before its messages, caught up page by page at the socket's pace, then live through
// collab.subscribe, which gives backlog-then-live with no gap or duplicate at the seam.
// A node keeps one per subscribed socket, so the structures are small: a socket with a single
// subscription (the common case) holds it in a field, not a Map, and handlers are methods.

import type { Collab, SubscribeInput, Subscription } from '@vestnik/collab';
import {
  isVestnikError,
  VestnikError,
  type Message,
  type ServerFrame,
  type SubscribeFrame,
} from '@vestnik/protocol';
import { pushFrame } from './frame-encoder.js';
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
 * One live subscription's input to collab.subscribe. Collab calls the handlers as its methods, so
 * a subscription costs this one small object instead of closures over the subscribe call.
 */
class LiveHandlers implements SubscribeInput {
  readonly conversation: SubscribeInput['conversation'];
  readonly asUser: string;
  readonly since: number | undefined;
  /** Set when the client unsubscribes while the catch-up or the subscribe is under way. */
  readonly #catchUp: { readonly cancelled: boolean };
  /** Messages handed over before `subscribed` is sent wait here, so the client learns the id first. */
  early: Message[] | undefined;
  endedEarly: VestnikError | undefined;
  subscription: Subscription | undefined;
  readonly #owner: SocketSubscriptions;

  constructor(
    owner: SocketSubscriptions,
    conversation: SubscribeInput['conversation'],
    asUser: string,
    since: number | undefined,
    early: boolean,
    catchUp: { readonly cancelled: boolean },
  ) {
    this.#owner = owner;
    this.#catchUp = catchUp;
    this.conversation = conversation;
    this.asUser = asUser;
    this.since = since;
    this.early = early ? [] : undefined;
  }

  onMessage(message: Message): void {
    // Unsubscribed while going live: nothing of it may follow its `unsubscribed`.
    if (this.#catchUp.cancelled) return;
    if (this.early !== undefined) this.early.push(message);
    else this.#owner.push(message);
  }

  onEnd(error: VestnikError): void {
    if (this.subscription === undefined) this.endedEarly = error;
    else this.#owner.ended(this.subscription, error);
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

  async #openSubscription(frame: SubscribeFrame): Promise<void> {
    const { collab } = this.#context;
    const asUser = this.#context.userId;
    let conversation = frame.conversation;
    let cursor = frame.since;
    let announced: string | undefined;
    const catchUp = { cancelled: false };
    const pageSize = Math.min(CATCH_UP_PAGE, collab.limits.maxPageSize);
    if (cursor !== undefined) {
      // Catch up page by page, waiting for the socket to drain: a client back from a long absence
      // must neither overflow its send buffer (and be cut off again) nor grow the server's memory.
      let page;
      try {
        const found = await collab.getConversation(conversation);
        conversation = { id: found.id };
        page = await collab.readHistory({ conversation, asUser, after: cursor, limit: pageSize });
        if (cursor > page.lastSeq) {
          throw new VestnikError(
            'INVALID_ARGUMENT',
            `since must be an integer from 0 to ${page.lastSeq} (the conversation's last seq).`,
            { argument: 'since', lastSeq: page.lastSeq },
          );
        }
      } catch (error) {
        this.#context.sendError(frame.id, error);
        return;
      }
      announced = conversation.id;
      (this.#catchingUp ??= new Map()).set(announced, catchUp);
      this.#context.send({
        op: 'subscribed',
        id: frame.id,
        conversationId: announced,
        truncated: page.truncated,
        cursor,
      });
      try {
        for (;;) {
          for (const message of page.messages) {
            await this.#context.outbox.room();
            if (this.#context.isClosed() || catchUp.cancelled) {
              this.#doneCatchingUp(announced, catchUp);
              return;
            }
            this.#context.outbox.push(pushFrame(message));
            cursor = message.seq;
          }
          if (!page.hasMore) break;
          page = await collab.readHistory({ conversation, asUser, after: cursor, limit: pageSize });
        }
      } catch (error) {
        this.#doneCatchingUp(announced, catchUp);
        this.#endAnnounced(announced, error);
        return;
      }
    }
    const live = new LiveHandlers(this, conversation, asUser, cursor, announced === undefined, catchUp);
    let subscription: Subscription;
    try {
      subscription = await collab.subscribe(live);
    } catch (error) {
      if (announced === undefined) this.#context.sendError(frame.id, error);
      else this.#endAnnounced(announced, error);
      return;
    } finally {
      if (announced !== undefined) this.#doneCatchingUp(announced, catchUp);
    }
    live.subscription = subscription;
    const endedEarly = live.endedEarly;
    if (this.#context.isClosed() || endedEarly !== undefined || catchUp.cancelled) {
      subscription.unsubscribe();
      if (endedEarly === undefined) return;
      if (announced === undefined) this.#context.sendError(frame.id, endedEarly);
      else this.#endAnnounced(announced, endedEarly);
      return;
    }
    const conversationId = subscription.conversationId;
    const previous = this.#get(conversationId);
    this.#set(subscription);
    const early = live.early;
    if (early !== undefined) {
      const first = early[0];
      this.#context.send({
        op: 'subscribed',
        id: frame.id,
        conversationId,
        truncated: subscription.truncated,
        cursor: first !== undefined ? first.seq - 1 : subscription.cursor,
      });
      live.early = undefined;
      for (const message of early) this.#context.outbox.push(pushFrame(message));
    }
    // A repeated subscribe replaces the earlier one only now, so the client's stream has no gap.
    if (previous !== undefined && previous !== subscription) previous.unsubscribe();
  }

  #doneCatchingUp(conversationId: string, catchUp: { cancelled: boolean }): void {
    if (this.#catchingUp?.get(conversationId) === catchUp) this.#catchingUp.delete(conversationId);
  }

  /** A subscription that was announced (`subscribed`) could not go live after its catch-up. */
  #endAnnounced(conversationId: string, error: unknown): void {
    const body = isVestnikError(error) ? error.toBody() : new VestnikError('INTERNAL').toBody();
    if (!isVestnikError(error)) this.#context.logError(error, 'gateway subscribe');
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
