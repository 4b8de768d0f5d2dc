// One client's WebSocket: authentication and token renewal, its subscriptions, history reads and
// heartbeats. Every frame it sends goes through its Outbox, so replies and pushes keep their order.

import type { Duplex } from 'node:stream';
import type { RawData, WebSocket } from 'ws';
import type { Subscription } from '@vestnik/collab';
import {
  closeCodes,
  isVestnikError,
  VestnikError,
  type ClientFrame,
  type CloseReason,
  type ErrorCode,
  type HistoryFrame,
  type Message,
  type ServerFrame,
  type SubscribeFrame,
} from '@vestnik/protocol';
import { verifyClientToken } from '../auth/client-token.js';
import type { ResolvedOptions } from '../options.js';
import { encodeFrame, pushFrame } from './frame-encoder.js';
import { Outbox } from './outbox.js';
import { FrameError, parseFrame } from './parse-frame.js';

/** What a connection needs from the gateway that owns it. */
export interface ConnectionHost {
  readonly options: ResolvedOptions;
  /** Counts the socket against its user's limit; false when the user has too many. */
  admit(connection: ClientConnection, userId: string): boolean;
  release(connection: ClientConnection): void;
  logError(error: unknown, context: string): void;
}

/** Frames a client may pipeline behind its `auth` before the welcome comes back. */
const MAX_EARLY_FRAMES = 64;
/** Messages read per page while a subscription catches up. */
const CATCH_UP_PAGE = 200;

export class ClientConnection {
  readonly #ws: WebSocket;
  readonly #host: ConnectionHost;
  readonly #outbox: Outbox;
  #state: 'authenticating' | 'open' | 'closed' = 'authenticating';
  #authenticating = false;
  #early: ClientFrame[] = [];
  #userId: string | undefined;
  #subscriptions = new Map<string, Subscription>();
  #pendingSubscribes = 0;
  #authTimer: NodeJS.Timeout | undefined;
  #expiryTimer: NodeJS.Timeout | undefined;
  /** Cleared by each heartbeat ping, set by the pong. */
  alive = true;

  constructor(ws: WebSocket, socket: Duplex, host: ConnectionHost, queryToken: string | undefined) {
    this.#ws = ws;
    this.#host = host;
    const { limits } = host.options;
    this.#outbox = new Outbox(
      socket,
      limits.maxBufferedBytes,
      () => this.close('SLOW_CONSUMER', 'The client read too slowly; reconnect and resubscribe with since.'),
      () => ws.readyState === ws.OPEN,
    );
    ws.on('message', (data, isBinary) => {
      try {
        this.#onMessage(data, isBinary);
      } catch (error) {
        this.#fault(error);
      }
    });
    ws.on('pong', () => (this.alive = true));
    ws.on('close', () => this.#cleanup());
    // ws reports protocol violations (e.g. a frame over maxPayload) here and closes by itself.
    ws.on('error', () => {});
    if (queryToken !== undefined) {
      this.#handle({ op: 'auth', token: queryToken });
    } else {
      this.#authTimer = setTimeout(
        () => this.close('UNAUTHENTICATED', 'No auth frame came in time.'),
        limits.authTimeoutMs,
      );
    }
  }

  get userId(): string | undefined {
    return this.#userId;
  }

  get bufferedBytes(): number {
    return this.#outbox.bufferedBytes;
  }

  ping(): void {
    if (!this.alive) {
      this.#ws.terminate();
      return;
    }
    this.alive = false;
    this.#ws.ping();
  }

  /** Closes with one of the documented codes, telling the client why in an error frame first. */
  close(reason: CloseReason, message: string, code?: ErrorCode): void {
    if (this.#state === 'closed') return;
    const info = closeCodes[reason];
    if ('error' in info && reason !== 'SLOW_CONSUMER') {
      this.#send({ op: 'error', code: code ?? info.error, message });
      this.#outbox.flush();
    }
    this.#state = 'closed';
    this.#outbox.close();
    this.#ws.close(info.code, reason);
    this.#cleanup();
  }

  /** A bug or an unexpected failure: logged, and the socket closed with 1011, never a crash. */
  #fault(error: unknown): void {
    this.#host.logError(error, 'gateway connection');
    try {
      this.close('INTERNAL', 'The server met an unexpected condition.');
    } catch {
      this.#ws.terminate();
    }
  }

  #send(frame: ServerFrame): void {
    this.#outbox.push(encodeFrame(frame));
  }

  #sendError(id: string | undefined, error: unknown): void {
    if (!isVestnikError(error)) {
      this.#host.logError(error, 'gateway frame');
      error = new VestnikError('INTERNAL');
    }
    const body = (error as VestnikError).toBody();
    this.#send(id === undefined ? { op: 'error', ...body } : { op: 'error', id, ...body });
  }

  #onMessage(data: RawData, isBinary: boolean): void {
    if (this.#state === 'closed') return;
    if (isBinary) {
      this.#sendError(undefined, new VestnikError('INVALID_ARGUMENT', 'Frames must be text (JSON).'));
      return;
    }
    let frame: ClientFrame;
    try {
      frame = parseFrame(data.toString());
    } catch (error) {
      this.#sendError(error instanceof FrameError ? error.frameId : undefined, error);
      return;
    }
    this.#handle(frame);
  }

  #handle(frame: ClientFrame): void {
    if (this.#state === 'authenticating') {
      if (frame.op === 'auth' && !this.#authenticating) {
        this.#authenticate(frame.token).catch((error: unknown) => this.#fault(error));
      } else if (this.#authenticating && this.#early.length < MAX_EARLY_FRAMES) {
        this.#early.push(frame);
      } else {
        this.close('UNAUTHENTICATED', 'The first frame must be auth.');
      }
      return;
    }
    if (this.#state === 'closed') return;
    switch (frame.op) {
      case 'auth':
        this.#renew(frame.token, frame.id);
        return;
      case 'subscribe':
        this.#subscribe(frame).catch((error: unknown) => this.#fault(error));
        return;
      case 'unsubscribe': {
        const subscription = this.#subscriptions.get(frame.conversationId);
        subscription?.unsubscribe();
        this.#subscriptions.delete(frame.conversationId);
        this.#send({ op: 'unsubscribed', id: frame.id, conversationId: frame.conversationId });
        return;
      }
      case 'history':
        this.#history(frame).catch((error: unknown) => this.#fault(error));
        return;
      case 'ping':
        this.#send({ op: 'pong', id: frame.id });
        return;
    }
  }

  async #authenticate(token: string): Promise<void> {
    this.#authenticating = true;
    clearTimeout(this.#authTimer);
    const { options } = this.#host;
    let claims;
    try {
      claims = verifyClientToken(options.tokenSecret, token, { application: options.application });
    } catch (error) {
      this.close('UNAUTHENTICATED', error instanceof Error ? error.message : 'The token was refused.');
      return;
    }
    try {
      const user = await options.collab.getUser(claims.sub);
      if (user.blocked) {
        this.close('FORBIDDEN', 'The user is blocked.', 'USER_BLOCKED');
        return;
      }
    } catch (error) {
      if (isVestnikError(error, 'USER_NOT_FOUND')) this.close('FORBIDDEN', error.message, 'USER_NOT_FOUND');
      else if (isVestnikError(error, 'NOT_REGISTERED')) this.close('NOT_REGISTERED', error.message);
      else throw error;
      return;
    }
    if (this.#state !== 'authenticating') return;
    if (!this.#host.admit(this, claims.sub)) {
      this.close('TOO_MANY_CONNECTIONS', 'This user has too many connections open.');
      return;
    }
    this.#userId = claims.sub;
    this.#state = 'open';
    this.#authenticating = false;
    this.#expireAt(claims.exp);
    const { limits } = options;
    this.#send({
      op: 'welcome',
      userId: claims.sub,
      expiresIn: claims.exp * 1000 - Date.now(),
      limits: { maxFrameBytes: limits.maxFrameBytes, maxSubscriptions: limits.maxSubscriptions },
    });
    const early = this.#early;
    this.#early = [];
    for (const frame of early) this.#handle(frame);
  }

  /** A new token for the same user: the connection and its subscriptions stay. */
  #renew(token: string, id: string | undefined): void {
    const { options } = this.#host;
    try {
      const claims = verifyClientToken(options.tokenSecret, token, { application: options.application });
      if (claims.sub !== this.#userId) {
        throw new VestnikError('UNAUTHENTICATED', 'The new token is for another user.');
      }
      this.#expireAt(claims.exp);
      this.#send({ op: 'authenticated', id, expiresIn: claims.exp * 1000 - Date.now() });
    } catch (error) {
      this.#sendError(id, error);
    }
  }

  #expireAt(exp: number): void {
    clearTimeout(this.#expiryTimer);
    // setTimeout's longest delay is about 24.8 days; a token living longer is re-checked then.
    const delay = Math.min(exp * 1000 - Date.now(), 2 ** 31 - 1);
    this.#expiryTimer = setTimeout(() => {
      if (exp * 1000 <= Date.now()) this.close('UNAUTHENTICATED', 'The token has expired.');
      else this.#expireAt(exp);
    }, delay);
  }

  async #subscribe(frame: SubscribeFrame): Promise<void> {
    const { limits } = this.#host.options;
    if (this.#subscriptions.size + this.#pendingSubscribes >= limits.maxSubscriptions) {
      this.#sendError(
        frame.id,
        new VestnikError(
          'LIMIT_EXCEEDED',
          `A socket may hold at most ${limits.maxSubscriptions} subscriptions.`,
          {
            limit: 'maxSubscriptions',
            value: limits.maxSubscriptions,
          },
        ),
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
    const { collab } = this.#host.options;
    const asUser = this.#userId!;
    let conversation = frame.conversation;
    let cursor = frame.since;
    let announced: string | undefined;
    const pageSize = Math.min(CATCH_UP_PAGE, collab.limits.maxPageSize);
    if (cursor !== undefined) {
      // Catch up page by page, waiting for the socket to drain: a client back from a long absence
      // must neither overflow its send buffer (and be cut off again) nor grow the server's memory.
      let page;
      try {
        const found = await collab.getConversation(conversation);
        conversation = { id: found.id };
        page = await collab.readHistory({ conversation, asUser, after: cursor, limit: pageSize });
      } catch (error) {
        this.#sendError(frame.id, error);
        return;
      }
      announced = conversation.id;
      this.#send({
        op: 'subscribed',
        id: frame.id,
        conversationId: announced,
        truncated: page.truncated,
        cursor,
      });
      for (;;) {
        for (const message of page.messages) {
          await this.#outbox.room();
          if (this.#state === 'closed') return;
          this.#outbox.push(pushFrame(message));
          cursor = message.seq;
        }
        if (!page.hasMore) break;
        page = await collab.readHistory({ conversation, asUser, after: cursor, limit: pageSize });
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
          if (early !== undefined) early.push(message);
          else this.#outbox.push(pushFrame(message));
        },
        onEnd: (error) => {
          if (subscription === undefined) endedEarly = error;
          else this.#ended(subscription, error);
        },
      });
    } catch (error) {
      if (announced === undefined) this.#sendError(frame.id, error);
      else this.#endAnnounced(announced, error);
      return;
    }
    if (this.#state === 'closed' || endedEarly !== undefined) {
      subscription.unsubscribe();
      if (endedEarly === undefined) return;
      if (announced === undefined) this.#sendError(frame.id, endedEarly);
      else this.#endAnnounced(announced, endedEarly);
      return;
    }
    const conversationId = subscription.conversationId;
    const previous = this.#subscriptions.get(conversationId);
    this.#subscriptions.set(conversationId, subscription);
    if (early !== undefined) {
      const first = early[0];
      this.#send({
        op: 'subscribed',
        id: frame.id,
        conversationId,
        truncated: subscription.truncated,
        cursor: first !== undefined ? first.seq - 1 : subscription.cursor,
      });
      const caughtUp = early;
      early = undefined;
      for (const message of caughtUp) this.#outbox.push(pushFrame(message));
    }
    // A repeated subscribe replaces the earlier one only now, so the client's stream has no gap.
    if (previous !== undefined && previous !== subscription) previous.unsubscribe();
  }

  /** A subscription that was announced (`subscribed`) could not go live after its catch-up. */
  #endAnnounced(conversationId: string, error: unknown): void {
    const body = isVestnikError(error) ? error.toBody() : new VestnikError('INTERNAL').toBody();
    if (!isVestnikError(error)) this.#host.logError(error, 'gateway subscribe');
    this.#send({ op: 'unsubscribed', conversationId, code: body.code, message: body.message });
  }

  #ended(subscription: Subscription, error: VestnikError): void {
    const conversationId = subscription.conversationId;
    if (this.#subscriptions.get(conversationId) !== subscription) return;
    this.#subscriptions.delete(conversationId);
    this.#send({ op: 'unsubscribed', conversationId, code: error.code, message: error.message });
  }

  async #history(frame: HistoryFrame): Promise<void> {
    try {
      const page = await this.#host.options.collab.readHistory({
        conversation: frame.conversation,
        asUser: this.#userId!,
        after: frame.after,
        limit: frame.limit,
      });
      this.#send({ op: 'history-page', id: frame.id, ...page });
    } catch (error) {
      this.#sendError(frame.id, error);
    }
  }

  #cleanup(): void {
    this.#state = 'closed';
    this.#outbox.close();
    clearTimeout(this.#authTimer);
    clearTimeout(this.#expiryTimer);
    for (const subscription of this.#subscriptions.values()) subscription.unsubscribe();
    this.#subscriptions.clear();
    this.#early = [];
    this.#host.release(this);
  }
}
