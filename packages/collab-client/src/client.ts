// The client SDK: one WebSocket to the gateway that reconnects by itself, renews its token before
// it expires, resubscribes with the last seq each handler saw, and hands every message to each
// handler once, in order. Runs in browsers (native WebSocket) and in Node (`ws`).

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
import { Channel, type AttachOptions } from './channel.js';
import { Emitter } from './emitter.js';
import { OPEN, resolveWebSocket, type WebSocketConstructor, type WebSocketLike } from './web-socket.js';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'closed';

export interface ConnectOptions {
  /** The gateway's URL (`ws://host/collab/ws`), or a function asked before every (re)connect. */
  url: string | (() => string | Promise<string>);
  /** Returns a client token that the application issued for its logged-in user. */
  getToken: () => string | Promise<string>;
  /** A WebSocket class; by default the platform's, else the `ws` package's. */
  WebSocket?: WebSocketConstructor;
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

/** A detach function, with a promise that settles when the subscription is in place (or refused). */
export interface Detach {
  (): void;
  readonly ready: Promise<{ conversationId: string }>;
}

/** Codes after which a subscribe is tried again later instead of failing for good. */
const TRANSIENT: ReadonlySet<ErrorCode> = new Set(['UNAVAILABLE', 'INTERNAL', 'RATE_LIMITED']);

/**
 * Connects to a Vestnik gateway.
 *
 * @example
 * const client = connect({ url: 'wss://shop.example/collab/ws', getToken: () => fetchToken() });
 * const detach = client.attachNewMessageHandler({ key: 'couriers' }, (message) => show(message));
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
  #channels = new Set<Channel>();
  /**
   * Subscribe frames in flight on the current socket, by frame id, with the channels that share
   * each (detached ones too) and the `since` it asked for.
   */
  #subscribing = new Map<string, { channels: Channel[]; since: number | undefined }>();
  /** Conversation ids learned from `subscribed`, by key (a key names one conversation for good). */
  #idsByKey = new Map<string, string>();
  /** Unsubscribes held back while a subscribe to a conversation not known yet is in flight. */
  #heldUnsubscribes = new Set<string>();
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
   * Calls `handler` with every new message of the conversation, once each, in order, across
   * reconnects (the seed's `BeginAttachingNewMessagesHandler`). Returns the detach function.
   */
  attachNewMessageHandler(
    conversation: ConversationRef,
    handler: (message: Message) => void,
    options: AttachOptions = {},
  ): Detach {
    const channel = new Channel(conversation, handler, options);
    this.#channels.add(channel);
    if (this.#state === 'connected') this.#subscribe(channel);
    const detach = () => this.#detach(channel);
    return Object.assign(detach, { ready: channel.ready });
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
    for (const channel of this.#channels) {
      channel.live = false;
      channel.pendingId = undefined;
    }
    this.#subscribing.clear();
    this.#heldUnsubscribes.clear();
    for (const request of this.#requests.values()) {
      request.reject(new VestnikError('UNAVAILABLE', 'The connection was lost; try again.'));
    }
    this.#requests.clear();
  }

  #finish(error: VestnikError | undefined): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    const ws = this.#ws;
    if (ws !== undefined && ws.readyState === OPEN) ws.close(1000);
    this.#dropSocket();
    for (const timer of this.#timers) clearTimeout(timer);
    for (const channel of this.#channels)
      channel.rejectReady(error ?? new VestnikError('UNAVAILABLE', 'The client was closed.'));
    this.#channels.clear();
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
        // Earliest first: a conversation's first subscribe then starts early enough for every
        // handler that follows it, and the others share it.
        for (const channel of [...this.#channels].sort(earliestFirst)) this.#subscribe(channel);
        this.emit('connected', { userId: frame.userId });
        for (const waiter of this.#connectedWaiters.splice(0)) waiter.resolve();
        return;
      case 'authenticated':
        this.#tokenExpiresIn(frame.expiresIn);
        return;
      case 'subscribed': {
        const channels = this.#pending(frame.id);
        if (channels.length === 0) return;
        let detached = false;
        for (const channel of channels) {
          channel.pendingId = undefined;
          channel.conversationId = frame.conversationId;
          const ref = channel.conversation;
          if ('key' in ref) this.#idsByKey.set(ref.key, frame.conversationId);
          if (channel.done) {
            detached = true;
            continue;
          }
          if (frame.truncated && channel.lastSeq !== undefined) {
            channel.options.onTruncated?.({ conversationId: frame.conversationId, since: channel.lastSeq });
          }
          if (channel.lastSeq === undefined) channel.lastSeq = frame.cursor;
          channel.live = true;
          channel.resolveReady({ conversationId: frame.conversationId });
        }
        this.#releaseHeld();
        // Detached while the subscribe was in flight: drop the subscription unless it is shared.
        if (detached) this.#release(frame.conversationId);
        this.#subscribeWaiting(frame.conversationId);
        return;
      }
      case 'message':
        for (const channel of this.#channels) {
          if (channel.conversationId === frame.conversationId) channel.deliver(frame.message);
        }
        return;
      case 'unsubscribed':
        if (frame.code === undefined) return;
        for (const channel of [...this.#channels]) {
          if (channel.conversationId !== frame.conversationId || !channel.live) continue;
          const error = new VestnikError(frame.code, frame.message);
          if (TRANSIENT.has(error.code)) {
            // The server could not go live this time (its broker or storage failed): try again
            // later from the last seq handed over, as after a reconnect.
            channel.live = false;
            this.emit('error', error);
            this.#later(() => this.#subscribe(channel), this.#backoff.next());
          } else {
            this.#fail(channel, error);
          }
        }
        return;
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
    const channels = this.#pending(id);
    if (channels.length > 0) {
      const conversationId = this.#idOf(channels[0]!);
      for (const channel of channels) {
        channel.pendingId = undefined;
        if (channel.done) continue;
        if (TRANSIENT.has(error.code)) {
          this.#later(() => this.#subscribe(channel), this.#backoff.next());
        } else {
          this.#fail(channel, error);
        }
      }
      this.#releaseHeld();
      if (conversationId !== undefined) this.#subscribeWaiting(conversationId);
      return;
    }
    this.emit('error', error);
  }

  /**
   * Puts a channel on the socket's one subscription to its conversation: shares the one in flight
   * or live when it reaches back far enough for this channel, else subscribes again from the
   * earliest seq any of them needs. The gateway holds one subscription per conversation and
   * socket; two started from different seqs would interleave their frames, and a handler would
   * take a newer message before the older ones of its catch-up and then drop those.
   */
  #subscribe(channel: Channel): void {
    if (channel.done || channel.pendingId !== undefined || channel.live || channel.lookingUp) return;
    if (this.#state !== 'connected') return;
    const conversationId = this.#idOf(channel);
    const others =
      conversationId === undefined
        ? []
        : [...this.#channels].filter((o) => o !== channel && this.#idOf(o) === conversationId);
    const inFlight = others.find((o) => o.pendingId !== undefined)?.pendingId;
    if (channel.lastSeq === undefined && (inFlight !== undefined || others.some((o) => o.live))) {
      // A handler without `since` wants what comes from now on; the shared subscription may
      // start earlier, so ask where the conversation stands and share it from there.
      this.#lookUpNow(channel, conversationId!);
      return;
    }
    if (inFlight !== undefined) {
      const pending = this.#subscribing.get(inFlight)!;
      if (reaches(pending.since, channel.lastSeq)) {
        channel.pendingId = inFlight;
        pending.channels.push(channel);
      }
      // Else it goes once that subscribe is answered (#subscribeWaiting).
      return;
    }
    const live = others.filter((o) => o.live);
    let since = channel.lastSeq;
    if (live.length > 0) {
      const position = Math.min(...live.map((o) => o.lastSeq ?? 0));
      if (channel.lastSeq === undefined || channel.lastSeq >= position) {
        channel.lastSeq ??= position;
        channel.conversationId = conversationId;
        channel.live = true;
        channel.resolveReady({ conversationId: conversationId! });
        return;
      }
      // Stop the socket's subscription, then start one from here: nothing of it comes between.
      this.#send({ op: 'unsubscribe', conversationId: conversationId! });
      for (const other of live) other.live = false;
      since = Math.min(channel.lastSeq, position);
    }
    const id = this.#id();
    const channels = [channel, ...live];
    for (const member of channels) member.pendingId = id;
    this.#subscribing.set(id, { channels, since });
    const conversation = conversationId === undefined ? channel.conversation : { id: conversationId };
    this.#send({ op: 'subscribe', id, conversation, since });
  }

  #lookUpNow(channel: Channel, conversationId: string): void {
    channel.lookingUp = true;
    this.history({ id: conversationId }, { after: Number.MAX_SAFE_INTEGER, limit: 1 }).then(
      (page) => {
        channel.lookingUp = false;
        channel.lastSeq ??= page.lastSeq;
        this.#subscribe(channel);
      },
      (error: unknown) => {
        channel.lookingUp = false;
        const coded = asVestnikError(error, 'UNAVAILABLE');
        if (channel.done) return;
        if (TRANSIENT.has(coded.code)) this.#later(() => this.#subscribe(channel), this.#backoff.next());
        else this.#fail(channel, coded);
      },
    );
  }

  /** Channels that waited for a conversation's subscribe to be answered try again. */
  #subscribeWaiting(conversationId: string): void {
    for (const channel of [...this.#channels].sort(earliestFirst)) {
      if (this.#idOf(channel) === conversationId) this.#subscribe(channel);
    }
  }

  #detach(channel: Channel): void {
    if (channel.done) return;
    channel.done = true;
    this.#channels.delete(channel);
    channel.rejectReady(new VestnikError('INVALID_ARGUMENT', 'The handler was detached.'));
    const conversationId = channel.conversationId;
    if (conversationId === undefined || !channel.live) return;
    this.#release(conversationId);
  }

  /** The conversation a channel follows, as far as this client knows it yet. */
  #idOf(channel: Channel): string | undefined {
    if (channel.conversationId !== undefined) return channel.conversationId;
    const ref = channel.conversation;
    return 'id' in ref ? ref.id : this.#idsByKey.get(ref.key);
  }

  /** Ends the socket's subscription to a conversation that no attached handler follows any more. */
  #release(conversationId: string): void {
    for (const other of this.#channels) if (this.#idOf(other) === conversationId) return;
    // A subscribe in flight may name this very conversation by a key not seen yet. The server
    // may put it in place before an unsubscribe sent now reaches it, which would then end it.
    for (const { channels } of this.#subscribing.values()) {
      if (channels.some((pending) => this.#idOf(pending) === undefined)) {
        this.#heldUnsubscribes.add(conversationId);
        return;
      }
    }
    this.#send({ op: 'unsubscribe', conversationId });
  }

  /** A subscribe was answered: held unsubscribes may go now (or were for a shared conversation). */
  #releaseHeld(): void {
    const held = [...this.#heldUnsubscribes];
    this.#heldUnsubscribes.clear();
    for (const conversationId of held) this.#release(conversationId);
  }

  #fail(channel: Channel, error: VestnikError): void {
    channel.done = true;
    this.#channels.delete(channel);
    channel.rejectReady(error);
    channel.options.onError?.(error);
    this.emit('error', error);
  }

  /** The channels whose subscribe frame had this id; it is answered once. */
  #pending(id: string | undefined): Channel[] {
    if (id === undefined) return [];
    const pending = this.#subscribing.get(id);
    this.#subscribing.delete(id);
    return pending?.channels ?? [];
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

/** Whether a subscription from `since` brings everything after `lastSeq` (undefined: from now). */
function reaches(since: number | undefined, lastSeq: number | undefined): boolean {
  if (lastSeq === undefined) return true;
  return since !== undefined && since <= lastSeq;
}

function earliestFirst(a: Channel, b: Channel): number {
  return (a.lastSeq ?? Infinity) - (b.lastSeq ?? Infinity);
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
  if (error instanceof VestnikError) return error;
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
        reject(error);
      },
    );
  });
}
