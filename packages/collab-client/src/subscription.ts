// A subscription to one conversation as the application holds it: an explicit state, its own
// events, and the position it resumes from. It hands each message over once, in order; putting it
// on the socket (shared with other subscriptions to the same conversation, resubscribed after a
// reconnect) is the registry's job (subscription-registry.ts), which drives it through its control.

import { VestnikError, type ConversationRef, type Message } from '@vestnik/protocol';
import { Emitter } from './emitter.js';

/**
 * `unsubscribed`: not asking for messages (new, after `unsubscribe()`, or ended for good);
 * `subscribing`: waiting for the server (or for the connection); `subscribed`: messages flow.
 */
export type SubscriptionState = 'unsubscribed' | 'subscribing' | 'subscribed';

export interface SubscriptionOptions {
  /**
   * Deliver the messages after this seq first (e.g. the last one the application stored), then new
   * ones. Omitted: only messages written from the moment the server subscribes it.
   */
  since?: number;
}

export interface SubscribedEvent {
  conversationId: string;
  /** Messages after this seq follow: where the subscription stood (`position`) when it was served. */
  since: number;
  /**
   * The conversation's newest seq when the subscription was served: the messages up to it that the
   * user may see are its catch-up, later ones are new.
   */
  lastSeq: number;
  /** History no longer reached back to `since`: some messages after it were removed by retention. */
  truncated: boolean;
  /** Served again by the SDK itself (after a reconnect or a transient failure), not first after subscribe(). */
  resubscribed: boolean;
}

/** Why a subscription is (back) in the `subscribing` state. */
export type SubscribingEvent =
  /** `subscribe()` was called. */
  | { reason: 'subscribe' }
  /** The connection was lost; the SDK resubscribes from `position` once it is back. */
  | { reason: 'connection-lost' }
  /** The server could not serve it for now (e.g. UNAVAILABLE); the SDK tries again with backoff. */
  | { reason: 'retry'; error: VestnikError };

/** Why a subscription ended. Only `subscribe()` starts it again. */
export type UnsubscribedEvent =
  /** The application called `unsubscribe()` (or the detach function of attachNewMessageHandler). */
  | { reason: 'unsubscribe' }
  /** The application closed the client. */
  | { reason: 'closed' }
  /**
   * Refused or ended for good: by the server (NOT_PARTICIPANT, USER_BLOCKED, CONVERSATION_NOT_FOUND,
   * INVALID_ARGUMENT...) or because the client stopped for good (UNAUTHENTICATED, FORBIDDEN).
   */
  | { reason: 'error'; error: VestnikError };

export interface SubscriptionEvents extends Record<string, unknown[]> {
  /** Entered the `subscribing` state. */
  subscribing: [SubscribingEvent];
  /** Entered the `subscribed` state: messages after `since` follow. */
  subscribed: [SubscribedEvent];
  /** A message of the conversation that the user may see; each once, in seq order, only while subscribed. */
  message: [Message];
  /**
   * Every error the subscription meets: a transient one (a `subscribing` event with reason `retry`
   * follows if it was subscribed, and the SDK tries again), or the final one (`unsubscribed` follows).
   */
  error: [VestnikError];
  /** Entered the `unsubscribed` state; no message comes after it. */
  unsubscribed: [UnsubscribedEvent];
}

/**
 * How the registry drives a subscription. Not part of the public API: a subscription hands it to
 * its host only, so an application cannot fake the server's answers.
 */
export interface SubscriptionControl {
  readonly conversation: ConversationRef;
  /** Messages after this seq are wanted; undefined: from wherever the conversation stands when served. */
  readonly position: number | undefined;
  readonly state: SubscriptionState;
  /** The server (or a subscription shared on the socket) serves it: messages after `position` follow. */
  serve(info: { conversationId: string; from: number; lastSeq: number; truncated: boolean }): void;
  /** A message of its conversation, as the socket received it; duplicates and old ones are dropped. */
  deliver(message: Message): void;
  /** The connection dropped: back to subscribing until the registry serves it again. */
  lose(): void;
  /** A transient failure: reported, and back to subscribing until the registry serves it again. */
  retry(error: VestnikError): void;
  /** Ended for good (refused by the server, or the client closed). */
  end(event: UnsubscribedEvent): void;
}

/** What a subscription asks of the client it belongs to (the registry implements it). */
export interface SubscriptionHost {
  /** Starts serving the subscription; called by `subscribe()`. */
  start(control: SubscriptionControl): void;
  /** Stops serving it; called by `unsubscribe()`. */
  stop(control: SubscriptionControl): void;
}

/**
 * A subscription to one conversation. Create it with `client.newSubscription(ref, options)` (then
 * add listeners and call `subscribe()`) or `client.subscribe(ref, options)` (both at once).
 *
 * @example
 * const subscription = client.newSubscription({ key: 'couriers' }, { since: lastStoredSeq });
 * subscription.on('message', (message) => store(message));
 * subscription.on('unsubscribed', (event) => {
 *   if (event.reason === 'error') console.warn(event.error.code, event.error.message);
 * });
 * subscription.subscribe();
 * await subscription.ready(); // rejects with a VestnikError, e.g. NOT_PARTICIPANT
 * subscription.unsubscribe();
 */
export class Subscription extends Emitter<SubscriptionEvents> {
  /** The conversation, as the application named it. */
  readonly conversation: ConversationRef;
  readonly #host: SubscriptionHost;
  #state: SubscriptionState = 'unsubscribed';
  #position: number | undefined;
  #conversationId: string | undefined;
  /** Served since the last subscribe() call: a later serve is a resubscription. */
  #served = false;
  #lastServed: SubscribedEvent | undefined;
  #lastEnd: UnsubscribedEvent | undefined;
  #waiters: Array<{ resolve(event: SubscribedEvent): void; reject(error: VestnikError): void }> = [];
  readonly #control: SubscriptionControl;

  /** Use `client.newSubscription` or `client.subscribe`; the host is the client's registry. */
  constructor(host: SubscriptionHost, conversation: ConversationRef, options: SubscriptionOptions = {}) {
    super();
    const { since } = options;
    if (since !== undefined && !(Number.isSafeInteger(since) && since >= 0)) {
      throw new VestnikError('INVALID_ARGUMENT', 'since must be a non-negative integer.', {
        argument: 'since',
      });
    }
    this.#host = host;
    this.conversation = conversation;
    this.#position = since;
    this.#control = Subscription.#controlOf(this);
  }

  /** The control handed to the host; a static method, so its getters can read the private fields. */
  static #controlOf(subscription: Subscription): SubscriptionControl {
    return {
      conversation: subscription.conversation,
      get position() {
        return subscription.#position;
      },
      get state() {
        return subscription.#state;
      },
      serve: (info) => subscription.#serve(info),
      deliver: (message) => subscription.#deliver(message),
      lose: () => subscription.#toSubscribing({ reason: 'connection-lost' }),
      retry: (error) => {
        if (subscription.#state === 'unsubscribed') return;
        subscription.emit('error', error);
        subscription.#toSubscribing({ reason: 'retry', error });
      },
      end: (event) => subscription.#end(event),
    };
  }

  get state(): SubscriptionState {
    return this.#state;
  }

  /** The conversation's id, once the server has named it (a subscription by key learns it then). */
  get conversationId(): string | undefined {
    return this.#conversationId;
  }

  /**
   * Where the subscription stands: the seq of the last message handed over, else the one it started
   * after. A resubscription (after a reconnect, or `subscribe()` again) asks for what comes after it.
   * Undefined until first served when created without `since`.
   */
  get position(): number | undefined {
    return this.#position;
  }

  /**
   * Starts asking for messages: state `subscribing`, then `subscribed` once the server answers.
   * Does nothing unless `unsubscribed`. After `unsubscribe()` it resumes after `position`.
   */
  subscribe(): void {
    if (this.#state !== 'unsubscribed') return;
    this.#served = false;
    this.#lastServed = undefined;
    this.#lastEnd = undefined;
    this.#state = 'subscribing';
    this.emit('subscribing', { reason: 'subscribe' });
    this.#host.start(this.#control);
  }

  /**
   * Stops: state `unsubscribed` at once, no message after it, and the server subscription is
   * dropped once no other subscription of this client follows the conversation (after the server's
   * answer, if it is still on its way). Safe in any state, also from a listener.
   */
  unsubscribe(): void {
    if (this.#state === 'unsubscribed') return;
    this.#end({ reason: 'unsubscribe' });
    this.#host.stop(this.#control);
  }

  /**
   * Resolves once subscribed (at once if it is), with the `subscribed` event; rejects with a
   * VestnikError if it becomes (or is) unsubscribed first: the server's error, or UNAVAILABLE after
   * `unsubscribe()` or the client's close.
   */
  ready(): Promise<SubscribedEvent> {
    if (this.#state === 'subscribed') return Promise.resolve(this.#lastServed!);
    if (this.#state === 'unsubscribed') return Promise.reject(endError(this.#lastEnd));
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  #serve(info: { conversationId: string; from: number; lastSeq: number; truncated: boolean }): void {
    if (this.#state !== 'subscribing') return;
    this.#position ??= info.from;
    this.#conversationId = info.conversationId;
    this.#state = 'subscribed';
    const event: SubscribedEvent = {
      conversationId: info.conversationId,
      since: this.#position,
      lastSeq: Math.max(info.lastSeq, this.#position),
      truncated: info.truncated,
      resubscribed: this.#served,
    };
    this.#served = true;
    this.#lastServed = event;
    for (const waiter of this.#waiters.splice(0)) waiter.resolve(event);
    this.emit('subscribed', event);
  }

  #deliver(message: Message): void {
    if (this.#state !== 'subscribed') return;
    if (this.#position !== undefined && message.seq <= this.#position) return;
    this.#position = message.seq;
    this.emit('message', message);
  }

  #toSubscribing(event: SubscribingEvent): void {
    if (this.#state !== 'subscribed') return;
    this.#state = 'subscribing';
    this.emit('subscribing', event);
  }

  #end(event: UnsubscribedEvent): void {
    if (this.#state === 'unsubscribed') return;
    this.#state = 'unsubscribed';
    this.#lastEnd = event;
    if (event.reason === 'error') this.emit('error', event.error);
    const error = endError(event);
    for (const waiter of this.#waiters.splice(0)) waiter.reject(error);
    this.emit('unsubscribed', event);
  }
}

function endError(event: UnsubscribedEvent | undefined): VestnikError {
  if (event?.reason === 'error') return event.error;
  if (event?.reason === 'closed') return new VestnikError('UNAVAILABLE', 'The client was closed.');
  return new VestnikError('UNAVAILABLE', 'The subscription is unsubscribed.');
}
