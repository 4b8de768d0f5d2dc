// The subscriptions of one socket: at most one per conversation, each announced (`subscribed`)
// before its messages, caught up page by page at the socket's pace, then live through
// collab.subscribe, which gives backlog-then-live with no gap or duplicate at the seam.

import type { Collab, Subscription } from '@vestnik/collab';
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

export class SocketSubscriptions {
  readonly #context: SocketContext;
  #subscriptions = new Map<string, Subscription>();
  #pendingSubscribes = 0;
  /** Subscriptions announced and still catching up, by conversation: an unsubscribe cancels them. */
  #catchingUp = new Map<string, { cancelled: boolean }>();

  constructor(context: SocketContext) {
    this.#context = context;
  }

  unsubscribe(conversationId: string): void {
    this.#subscriptions.get(conversationId)?.unsubscribe();
    this.#subscriptions.delete(conversationId);
    const catchingUp = this.#catchingUp.get(conversationId);
    if (catchingUp !== undefined) catchingUp.cancelled = true;
  }

  /** The socket closed: every subscription ends. */
  close(): void {
    for (const subscription of this.#subscriptions.values()) subscription.unsubscribe();
    this.#subscriptions.clear();
    for (const catchingUp of this.#catchingUp.values()) catchingUp.cancelled = true;
  }

  async subscribe(frame: SubscribeFrame): Promise<void> {
    const { maxSubscriptions } = this.#context;
    if (this.#subscriptions.size + this.#pendingSubscribes >= maxSubscriptions) {
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
      this.#catchingUp.set(announced, catchUp);
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
    // Messages handed over before `subscribed` is sent wait here, so that the client learns the
    // conversation id first.
    let early: Message[] | undefined = announced === undefined ? [] : undefined;
    let endedEarly: VestnikError | undefined;
    let subscription: Subscription | undefined;
    try {
      subscription = await collab.subscribe({
        conversation,
        asUser,
        since: cursor,
        onMessage: (message) => {
          // Unsubscribed while going live: nothing of it may follow its `unsubscribed`.
          if (catchUp.cancelled) return;
          if (early !== undefined) early.push(message);
          else this.#context.outbox.push(pushFrame(message));
        },
        onEnd: (error) => {
          if (subscription === undefined) endedEarly = error;
          else this.#ended(subscription, error);
        },
      });
    } catch (error) {
      if (announced === undefined) this.#context.sendError(frame.id, error);
      else this.#endAnnounced(announced, error);
      return;
    } finally {
      if (announced !== undefined) this.#doneCatchingUp(announced, catchUp);
    }
    if (this.#context.isClosed() || endedEarly !== undefined || catchUp.cancelled) {
      subscription.unsubscribe();
      if (endedEarly === undefined) return;
      if (announced === undefined) this.#context.sendError(frame.id, endedEarly);
      else this.#endAnnounced(announced, endedEarly);
      return;
    }
    const conversationId = subscription.conversationId;
    const previous = this.#subscriptions.get(conversationId);
    this.#subscriptions.set(conversationId, subscription);
    if (early !== undefined) {
      const first = early[0];
      this.#context.send({
        op: 'subscribed',
        id: frame.id,
        conversationId,
        truncated: subscription.truncated,
        cursor: first !== undefined ? first.seq - 1 : subscription.cursor,
      });
      const caughtUp = early;
      early = undefined;
      for (const message of caughtUp) this.#context.outbox.push(pushFrame(message));
    }
    // A repeated subscribe replaces the earlier one only now, so the client's stream has no gap.
    if (previous !== undefined && previous !== subscription) previous.unsubscribe();
  }

  #doneCatchingUp(conversationId: string, catchUp: { cancelled: boolean }): void {
    if (this.#catchingUp.get(conversationId) === catchUp) this.#catchingUp.delete(conversationId);
  }

  /** A subscription that was announced (`subscribed`) could not go live after its catch-up. */
  #endAnnounced(conversationId: string, error: unknown): void {
    const body = isVestnikError(error) ? error.toBody() : new VestnikError('INTERNAL').toBody();
    if (!isVestnikError(error)) this.#context.logError(error, 'gateway subscribe');
    this.#context.send({ op: 'unsubscribed', conversationId, code: body.code, message: body.message });
  }

  #ended(subscription: Subscription, error: VestnikError): void {
    const conversationId = subscription.conversationId;
    if (this.#subscriptions.get(conversationId) !== subscription) return;
    this.#subscriptions.delete(conversationId);
    this.#context.send({ op: 'unsubscribed', conversationId, code: error.code, message: error.message });
  }
}
