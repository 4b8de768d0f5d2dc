// The client SDK: one WebSocket to the gateway that reconnects by itself and renews its token
// before it expires. Its subscriptions (subscription.ts) are put on the socket by the registry
// (subscription-registry.ts), which resubscribes them after a reconnect from the last seq each saw.
// Runs in browsers (native WebSocket) and in Node (`ws`).

import {
  closeCodeInfo,
  isErrorCode,
  VestnikError,
  type ClientFrame,
  type ConversationRef,
  type ErrorCode,
  type HistoryPageFrame,
  type Message,
  type ServerFrame,
} from '@vestnik/protocol';
import { Backoff, type BackoffOptions } from './backoff.js';
import { Emitter } from './emitter.js';
import { SubscriptionRegistry } from './subscription-registry.js';
import { Subscription, type SubscriptionOptions } from './subscription.js';
import { OPEN, resolveWebSocket, type WebSocketConstructor, type WebSocketLike } from './web-socket.js';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'closed';

export interface ConnectOptions {
  /** The gateway's URL (`ws://host/collab/ws`), or a function asked before every (re)connect. */
  url: string | (() => string | Promise<string>);
  /** Returns a client token that the application issued for its logged-in user. */
  getToken: () => string | Promise<string>;
  /** A WebSocket class; by default the platform's, else the `ws` package's. */
  WebSocket?: WebSocketConstructor;
  /** Delays between reconnects, and between subscribes the server could not serve for now. */
  reconnect?: BackoffOptions;
  /** How often the client pings the server to find a dead connection (25 000 ms). */
  heartbeatMs?: number;
  /** How long a history request may take (15 000 ms). */
  requestTimeoutMs?: number;
}

export interface ClientEvents extends Record<string, unknown[]> {
  connecting: [];
  connected: [{ userId: string }];
  reconnecting: [{ delayMs: number; code?: number }];
  closed: [{ error?: VestnikError }];
  error: [VestnikError];
}

export interface HistoryPage {
  messages: Message[];
  truncated: boolean;
  lastSeq: number;
  hasMore: boolean;
}

/** Stops a handler attached with attachNewMessageHandler (and its subscription). */
export type Detach = () => void;

export interface AttachOptions {
  /** Also deliver the messages after this seq (e.g. the last one the application stored). */
  since?: number;
  /** The subscription ended for good: refused or ended by the server (e.g. NOT_PARTICIPANT). */
  onError?: (error: VestnikError) => void;
}

/**
 * Connects to a Vestnik gateway.
 *
 * @example
 * const client = connect({ url: 'wss://shop.example/collab/ws', getToken: () => fetchToken() });
 * const subscription = client.subscribe({ key: 'couriers' }, { since: lastStoredSeq });
 * subscription.on('message', (message) => show(message));
 */
export function connect(options: ConnectOptions): CollabClient {
  return new CollabClient(options);
}

export class CollabClient extends Emitter<ClientEvents> {
  readonly #options: ConnectOptions;
  readonly #backoff: Backoff;
  #state: ConnectionState = 'connecting';
  #ws: WebSocketLike | undefined;
  #userId: string | undefined;
  readonly #subscriptions: SubscriptionRegistry;
  #requests = new Map<string, { resolve(page: HistoryPage): void; reject(error: VestnikError): void }>();
  #nextId = 0;
  #token: { value: string; expiresAt: number } | undefined;
  #tokenFresh = false;
  #timers = new Set<ReturnType<typeof setTimeout>>();
  #renewTimer: ReturnType<typeof setTimeout> | undefined;
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  #awaitingPong = false;
  #connectedWaiters: Array<{ resolve(): void; reject(error: VestnikError): void }> = [];

  constructor(options: ConnectOptions) {
    super();
    this.#options = options;
    this.#backoff = new Backoff(options.reconnect);
    this.#subscriptions = new SubscriptionRegistry({
      send: (frame) => this.#send(frame),
      nextId: () => this.#id(),
      reportError: (error) => this.emit('error', error),
      retry: options.reconnect,
    });
    queueMicrotask(() => void this.#open());
  }

  /** The collaboration user id of this client (the seed's `CurrentUserID`), once connected. */
  get currentUserId(): string | undefined {
    return this.#userId;
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** Resolves once the client is connected (and authenticated). */
  ready(): Promise<void> {
    if (this.#state === 'connected') return Promise.resolve();
    if (this.#state === 'closed')
      return Promise.reject(new VestnikError('UNAVAILABLE', 'The client is closed.'));
    return new Promise((resolve, reject) => this.#connectedWaiters.push({ resolve, reject }));
  }

  /**
   * A subscription to the conversation, not started yet: add its listeners, then `subscribe()`.
   * Subscriptions of one client to one conversation share the socket's subscription to it.
   *
   * @example
   * const subscription = client.newSubscription({ key: 'couriers' });
   * subscription.on('subscribed', ({ lastSeq }) => console.log('caught up to', lastSeq));
   * subscription.on('message', (message) => show(message));
   * subscription.subscribe();
   */
  newSubscription(conversation: ConversationRef, options: SubscriptionOptions = {}): Subscription {
    return new Subscription(this.#subscriptions, conversation, options);
  }

  /**
   * `newSubscription` and `subscribe()` at once. The subscribe goes out once the calling code has
   * run (a microtask later), so listeners added right after this call see every event from
   * `subscribed` on.
   *
   * @example
   * const subscription = client.subscribe({ key: 'couriers' }, { since: 41 });
   * subscription.on('message', (message) => show(message));
   * await subscription.ready();
   */
  subscribe(conversation: ConversationRef, options: SubscriptionOptions = {}): Subscription {
    const subscription = this.newSubscription(conversation, options);
    subscription.subscribe();
    return subscription;
  }

  /**
   * Calls `handler` with every new message of the conversation, once each, in order, across
   * reconnects (the seed's `BeginAttachingNewMessagesHandler`); a shortcut over `subscribe`.
   * Returns the detach function. To wait until it is in place, use `subscribe` and `ready()`.
   *
   * @example
   * const detach = client.attachNewMessageHandler({ key: 'couriers' }, (message) => show(message), {
   *   onError: (error) => console.warn(error.code), // e.g. NOT_PARTICIPANT: ended for good
   * });
   * detach();
   */
  attachNewMessageHandler(
    conversation: ConversationRef,
    handler: (message: Message) => void,
    options: AttachOptions = {},
  ): Detach {
    const subscription = this.newSubscription(conversation, { since: options.since });
    subscription.on('message', handler);
    const { onError } = options;
    if (onError !== undefined) {
      subscription.on('unsubscribed', (event) => {
        if (event.reason === 'error') onError(event.error);
      });
    }
    subscription.subscribe();
    return () => subscription.unsubscribe();
  }

  /** A page of the conversation's history, as this user may see it. */
  async history(
    conversation: ConversationRef,
    page: { after?: number; limit?: number } = {},
  ): Promise<HistoryPage> {
    const timeoutMs = this.#options.requestTimeoutMs ?? 15_000;
    await withTimeout(this.ready(), timeoutMs);
    const id = this.#id();
    return withTimeout(
      new Promise<HistoryPage>((resolve, reject) => {
        this.#requests.set(id, { resolve, reject });
        this.#send({ op: 'history', id, conversation, after: page.after, limit: page.limit });
      }),
      timeoutMs,
      () => this.#requests.delete(id),
    );
  }

  /** Closes the connection for good. */
  close(): void {
    this.#finish(undefined);
  }

  // Connection ---------------------------------------------------------------------------------

  async #open(): Promise<void> {
    if (this.#state === 'closed') return;
    if (this.#state === 'connecting') this.emit('connecting');
    let ws: WebSocketLike;
    let token: string;
    try {
      const url = typeof this.#options.url === 'function' ? await this.#options.url() : this.#options.url;
      token = await this.#currentToken();
      const WebSocketClass = await resolveWebSocket(this.#options.WebSocket);
      // close() may have been called while the URL or the token was awaited.
      if ((this.#state as ConnectionState) === 'closed') return;
      ws = new WebSocketClass(url) as WebSocketLike;
    } catch (error) {
      this.emit('error', asVestnikError(error, 'UNAVAILABLE'));
      this.#retry(undefined);
      return;
    }
    this.#ws = ws;
    ws.onopen = () => this.#sendOn(ws, { op: 'auth', token });
    ws.onmessage = (event) => {
      if (this.#ws !== ws) return;
      let frame: ServerFrame;
      try {
        frame = JSON.parse(String(event.data)) as ServerFrame;
      } catch {
        return;
      }
      this.#receive(frame);
    };
    ws.onerror = () => {};
    ws.onclose = (event) => {
      if (this.#ws === ws) this.#closed(event.code);
    };
  }

  async #currentToken(): Promise<string> {
    const cached = this.#token;
    if (cached !== undefined && cached.expiresAt - Date.now() > 5000) {
      this.#tokenFresh = false;
      return cached.value;
    }
    const value = await this.#options.getToken();
    this.#token = { value, expiresAt: Infinity };
    this.#tokenFresh = true;
    return value;
  }

  #closed(code: number): void {
    this.#dropSocket();
    if (this.#state === 'closed') return;
    const info = closeCodeInfo(code);
    if (info?.name === 'UNAUTHENTICATED') {
      if (this.#tokenFresh) {
        this.#finish(new VestnikError('UNAUTHENTICATED', 'The server refused a fresh token.'));
        return;
      }
      this.#token = undefined;
    } else if (info !== undefined && !info.reconnect) {
      this.#finish(new VestnikError(info.error ?? 'FORBIDDEN', info.description));
      return;
    }
    this.#retry(code);
  }

  #retry(code: number | undefined): void {
    if (this.#state === 'closed') return;
    this.#state = 'reconnecting';
    const delayMs = this.#backoff.next();
    this.emit('reconnecting', { delayMs, code });
    this.#later(() => void this.#open(), delayMs);
  }

  /** Forgets the current socket: its subscriptions and requests are gone with it. */
  #dropSocket(): void {
    const ws = this.#ws;
    this.#ws = undefined;
    if (ws !== undefined) {
      ws.onopen = ws.onmessage = ws.onclose = null;
      if (ws.readyState <= OPEN) ws.close();
    }
    clearTimeout(this.#renewTimer);
    clearInterval(this.#heartbeat);
    this.#subscriptions.disconnected();
    for (const request of this.#requests.values()) {
      request.reject(new VestnikError('UNAVAILABLE', 'The connection was lost; try again.'));
    }
    this.#requests.clear();
  }

  #finish(error: VestnikError | undefined): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    // Subscriptions end first, so that dropping the socket does not report them lost on the way.
    this.#subscriptions.close(error);
    const ws = this.#ws;
    if (ws !== undefined && ws.readyState === OPEN) ws.close(1000);
    this.#dropSocket();
    for (const timer of this.#timers) clearTimeout(timer);
    const closedError = error ?? new VestnikError('UNAVAILABLE', 'The client was closed.');
    for (const waiter of this.#connectedWaiters.splice(0)) waiter.reject(closedError);
    if (error !== undefined) this.emit('error', error);
    this.emit('closed', { error });
  }

  // Frames -------------------------------------------------------------------------------------

  #receive(frame: ServerFrame): void {
    switch (frame.op) {
      case 'welcome':
        this.#userId = frame.userId;
        this.#state = 'connected';
        // The token was accepted: a later 4401 (expiry) means "get a new one", not "refused".
        this.#tokenFresh = false;
        this.#backoff.reset();
        this.#tokenExpiresIn(frame.expiresIn);
        this.#startHeartbeat();
        this.#subscriptions.connected();
        this.emit('connected', { userId: frame.userId });
        for (const waiter of this.#connectedWaiters.splice(0)) waiter.resolve();
        return;
      case 'authenticated':
        this.#tokenExpiresIn(frame.expiresIn);
        return;
      case 'subscribed':
        this.#subscriptions.subscribed(frame);
        return;
      case 'message':
        this.#subscriptions.message(frame);
        return;
      case 'unsubscribed': {
        // Without a code it answers the client's own unsubscribe: nothing to do.
        const code = frame.code;
        if (code !== undefined)
          this.#subscriptions.ended({ ...frame, code: isErrorCode(code) ? code : 'INTERNAL' });
        return;
      }
      case 'history-page': {
        const request = this.#requests.get(frame.id);
        this.#requests.delete(frame.id);
        request?.resolve(pageOf(frame));
        return;
      }
      case 'pong':
        this.#awaitingPong = false;
        return;
      case 'error':
        this.#receiveError(
          frame.id,
          new VestnikError(isErrorCode(frame.code) ? frame.code : 'INTERNAL', frame.message, frame.details),
        );
        return;
    }
  }

  #receiveError(id: string | undefined, error: VestnikError): void {
    const request = id === undefined ? undefined : this.#requests.get(id);
    if (request !== undefined) {
      this.#requests.delete(id!);
      request.reject(error);
      return;
    }
    if (id !== undefined && this.#subscriptions.refused(id, error)) return;
    this.emit('error', error);
  }

  // Token renewal and heartbeats ----------------------------------------------------------------

  #tokenExpiresIn(expiresIn: number): void {
    if (this.#token !== undefined) this.#token.expiresAt = Date.now() + expiresIn;
    clearTimeout(this.#renewTimer);
    // Renew when a third of the lifetime (at most 30 s) is left, so a slow getToken still fits.
    const delay = Math.max(0, expiresIn - Math.min(30_000, expiresIn / 3));
    this.#renewTimer = setTimeout(() => void this.#renew(), Math.min(delay, 2 ** 31 - 1));
  }

  async #renew(): Promise<void> {
    const ws = this.#ws;
    try {
      const value = await this.#options.getToken();
      if (this.#ws !== ws || ws === undefined) return;
      this.#token = { value, expiresAt: Infinity };
      this.#sendOn(ws, { op: 'auth', id: this.#id(), token: value });
    } catch (error) {
      // The socket lives until the old token expires; then reconnecting asks for a token again.
      this.emit('error', asVestnikError(error, 'UNAUTHENTICATED'));
    }
  }

  #startHeartbeat(): void {
    clearInterval(this.#heartbeat);
    this.#awaitingPong = false;
    this.#heartbeat = setInterval(() => {
      if (this.#awaitingPong) {
        // No answer to the last ping: the connection is dead even if the socket does not know it.
        this.#dropSocket();
        this.#retry(undefined);
        return;
      }
      this.#awaitingPong = true;
      this.#send({ op: 'ping' });
    }, this.#options.heartbeatMs ?? 25_000);
  }

  // Helpers ------------------------------------------------------------------------------------

  #send(frame: ClientFrame): void {
    if (this.#ws !== undefined) this.#sendOn(this.#ws, frame);
  }

  #sendOn(ws: WebSocketLike, frame: ClientFrame): void {
    if (ws.readyState === OPEN) ws.send(JSON.stringify(frame));
  }

  #id(): string {
    return (++this.#nextId).toString(36);
  }

  #later(fn: () => void, delayMs: number): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      fn();
    }, delayMs);
    this.#timers.add(timer);
  }
}

function pageOf(frame: HistoryPageFrame): HistoryPage {
  return {
    messages: frame.messages,
    truncated: frame.truncated,
    lastSeq: frame.lastSeq,
    hasMore: frame.hasMore,
  };
}

function asVestnikError(error: unknown, code: ErrorCode): VestnikError {
  // `instanceof` leaves the code type open (any); an application's coded error goes on as it is.
  if (error instanceof VestnikError) return error as VestnikError;
  return new VestnikError(code, error instanceof Error ? error.message : String(error));
}

function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout?: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      onTimeout?.();
      reject(new VestnikError('UNAVAILABLE', `No answer within ${ms} ms.`));
    }, ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        // The promises given here reject with VestnikErrors, which pass unchanged.
        reject(asVestnikError(error, 'INTERNAL'));
      },
    );
  });
}
