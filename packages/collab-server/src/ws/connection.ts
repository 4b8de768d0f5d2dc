// One client's WebSocket: authentication and token renewal, frame dispatch, history reads and
// heartbeats (its subscriptions are SocketSubscriptions). Every frame it sends goes through its Outbox, so replies and pushes keep their order.
// ws writes every byte to the socket (data, pings, pongs, close frames); the Outbox only corks it.
// A node holds thousands of these, so a connection keeps no closures: the socket's listeners are
// shared functions that find their connection on the socket, and its helpers get it as an object.

import type { Duplex } from 'node:stream';
import type { RawData, WebSocket } from 'ws';
import {
  closeCodes,
  isVestnikError,
  VestnikError,
  type ClientFrame,
  type CloseReason,
  type ErrorCode,
  type HistoryFrame,
  type ServerFrame,
} from '@vestnik/protocol';
import { verifyClientToken } from '../auth/client-token.js';
import { sessionEnded } from '../auth/session-check.js';
import type { ResolvedOptions } from '../options.js';
import { encodeFrame } from './frame-encoder.js';
import { Outbox, type OutboxOwner } from './outbox.js';
import { FrameError, parseFrame } from './parse-frame.js';
import { SocketSubscriptions, type SocketContext } from './socket-subscriptions.js';
import { wireError } from './wire-error.js';

/** What a connection needs from the gateway that owns it. */
export interface ConnectionHost {
  readonly options: ResolvedOptions;
  /** Counts the socket against its user's limit; false when the user has too many. */
  admit(connection: ClientConnection, userId: string): boolean;
  release(connection: ClientConnection): void;
  /** The socket is closed for good (its close handshake is over or it was dropped). */
  forget(connection: ClientConnection): void;
  /** A connection's token expires at `expiresAt` (epoch ms): the host closes it then. */
  expiresAt(expiresAt: number): void;
  logError(error: unknown, context: string): void;
}

const kConnection = Symbol('vestnik connection');
type TaggedSocket = WebSocket & { [kConnection]: ClientConnection };

// The socket's listeners, one function each for all sockets (`this` is the socket).
function onSocketMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
  (this as TaggedSocket)[kConnection].received(data, isBinary);
}
function onSocketPong(this: WebSocket): void {
  (this as TaggedSocket)[kConnection].alive = true;
}
function onSocketClose(this: WebSocket): void {
  (this as TaggedSocket)[kConnection].socketClosed();
}
// ws reports protocol violations (e.g. a frame over maxPayload) here and closes by itself.
function onSocketError(): void {}

/** A text frame's UTF-8: RawData is a Buffer, an ArrayBuffer or a list of Buffers (by binaryType). */
function frameText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

/** Frames a client may pipeline behind its `auth` before the welcome comes back. */
const MAX_EARLY_FRAMES = 64;

export class ClientConnection implements OutboxOwner, SocketContext {
  readonly #ws: WebSocket;
  readonly #host: ConnectionHost;
  readonly outbox: Outbox;
  #state: 'authenticating' | 'open' | 'closed' = 'authenticating';
  #authenticating = false;
  #early: ClientFrame[] | undefined;
  #userId: string | undefined;
  #subscriptions: SocketSubscriptions | undefined;
  #authTimer: NodeJS.Timeout | undefined;
  /** When the token expires (epoch ms); the host's sweep closes the socket then. */
  #expiresAt = Infinity;
  /** Cleared by each heartbeat ping, set by the pong. */
  alive = true;

  constructor(ws: WebSocket, socket: Duplex, host: ConnectionHost, queryToken: string | undefined) {
    this.#ws = ws;
    this.#host = host;
    const { limits } = host.options;
    this.outbox = new Outbox(ws, socket, limits.maxBufferedBytes, this);
    (ws as TaggedSocket)[kConnection] = this;
    ws.on('message', onSocketMessage);
    ws.on('pong', onSocketPong);
    ws.on('close', onSocketClose);
    ws.on('error', onSocketError);
    if (queryToken !== undefined) {
      this.#handle({ op: 'auth', token: queryToken });
    } else {
      this.#authTimer = setTimeout(
        () => this.close('UNAUTHENTICATED', 'No auth frame came in time.'),
        limits.authTimeoutMs,
      );
    }
  }

  /** The user, once authenticated (SocketSubscriptions exist only from then on). */
  get userId(): string {
    return this.#userId!;
  }

  get collab(): ResolvedOptions['collab'] {
    return this.#host.options.collab;
  }

  get maxSubscriptions(): number {
    return this.#host.options.limits.maxSubscriptions;
  }

  get bufferedBytes(): number {
    return this.outbox.bufferedBytes;
  }

  get expiresAt(): number {
    return this.#expiresAt;
  }

  /** A frame came in. */
  received(data: RawData, isBinary: boolean): void {
    try {
      this.#onMessage(data, isBinary);
    } catch (error) {
      this.#fault(error);
    }
  }

  /** The WebSocket closed (either side, or dropped). */
  socketClosed(): void {
    this.#cleanup();
    this.#host.forget(this);
  }

  canWrite(): boolean {
    return this.#ws.readyState === this.#ws.OPEN;
  }

  overflowed(): void {
    this.close('SLOW_CONSUMER', 'The client read too slowly; reconnect and resubscribe with since.');
  }

  isClosed(): boolean {
    return this.#state === 'closed';
  }

  logError(error: unknown, context: string): void {
    this.#host.logError(error, context);
  }

  /** Drops the socket without a close handshake. */
  terminate(): void {
    this.#ws.terminate();
  }

  /** Closes the socket if its token has expired by `now`; true if it did. */
  expireIfDue(now: number): boolean {
    if (this.#state !== 'open' || this.#expiresAt > now) return false;
    this.close('UNAUTHENTICATED', 'The token has expired.');
    return true;
  }

  ping(): void {
    // ws throws on a ping while the close handshake is under way; that socket is ending anyway.
    if (this.#ws.readyState !== this.#ws.OPEN) return;
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
      // ws writes the close frame behind it, in the same writev while the socket is corked.
      this.send({ op: 'error', code: code ?? info.error, message });
    }
    this.#state = 'closed';
    this.outbox.close();
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

  send(frame: ServerFrame): void {
    this.outbox.push(encodeFrame(frame));
  }

  sendError(id: string | undefined, error: unknown): void {
    const coded = wireError(error);
    if (coded.bug) this.#host.logError(error, 'gateway frame');
    const body = coded.error.toBody();
    this.send(id === undefined ? { op: 'error', ...body } : { op: 'error', id, ...body });
  }

  #onMessage(data: RawData, isBinary: boolean): void {
    if (this.#state === 'closed') return;
    if (isBinary) {
      this.sendError(undefined, new VestnikError('INVALID_ARGUMENT', 'Frames must be text (JSON).'));
      return;
    }
    let frame: ClientFrame;
    try {
      frame = parseFrame(frameText(data));
    } catch (error) {
      // Before authentication there is nothing to keep open for: a bad first frame ends it at once.
      if (this.#state === 'authenticating' && !this.#authenticating) {
        this.close('UNAUTHENTICATED', 'The first frame must be a valid auth frame.');
        return;
      }
      this.sendError(error instanceof FrameError ? error.frameId : undefined, error);
      return;
    }
    this.#handle(frame);
  }

  #handle(frame: ClientFrame): void {
    if (this.#state === 'authenticating') {
      if (frame.op === 'auth' && !this.#authenticating) {
        this.#authenticate(frame.token).catch((error: unknown) => this.#fault(error));
      } else if (this.#authenticating && (this.#early?.length ?? 0) < MAX_EARLY_FRAMES) {
        (this.#early ??= []).push(frame);
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
        (this.#subscriptions ??= new SocketSubscriptions(this))
          .subscribe(frame)
          .catch((error: unknown) => this.#fault(error));
        return;
      case 'unsubscribe': {
        this.#subscriptions?.unsubscribe(frame.conversationId);
        this.send({ op: 'unsubscribed', id: frame.id, conversationId: frame.conversationId });
        return;
      }
      case 'history':
        this.#history(frame).catch((error: unknown) => this.#fault(error));
        return;
      case 'ping':
        this.send({ op: 'pong', id: frame.id });
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
      if (await sessionEnded(options, claims)) {
        this.close('UNAUTHENTICATED', 'The session this token was issued in has ended.');
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
    this.send({
      op: 'welcome',
      userId: claims.sub,
      expiresIn: claims.exp * 1000 - Date.now(),
      limits: { maxFrameBytes: limits.maxFrameBytes, maxSubscriptions: limits.maxSubscriptions },
    });
    const early = this.#early;
    this.#early = undefined;
    if (early !== undefined) for (const frame of early) this.#handle(frame);
  }

  /**
   * A new token for the same user: the connection and its subscriptions stay. The user is looked
   * up again, so that a blocked or deleted user cannot keep a socket alive by renewing it.
   */
  #renew(token: string, id: string | undefined): void {
    this.#renewChecked(token, id).catch((error: unknown) => this.#fault(error));
  }

  async #renewChecked(token: string, id: string | undefined): Promise<void> {
    const { options } = this.#host;
    let claims;
    try {
      claims = verifyClientToken(options.tokenSecret, token, { application: options.application });
      if (claims.sub !== this.#userId) {
        throw new VestnikError('UNAUTHENTICATED', 'The new token is for another user.');
      }
    } catch (error) {
      this.sendError(id, error);
      return;
    }
    try {
      const user = await options.collab.getUser(claims.sub);
      if (user.blocked) {
        this.close('FORBIDDEN', 'The user is blocked.', 'USER_BLOCKED');
        return;
      }
      if (await sessionEnded(options, claims)) {
        this.close('UNAUTHENTICATED', 'The session this token was issued in has ended.');
        return;
      }
    } catch (error) {
      if (isVestnikError(error, 'USER_NOT_FOUND')) this.close('FORBIDDEN', error.message, 'USER_NOT_FOUND');
      else this.sendError(id, error);
      return;
    }
    if (this.#state === 'closed') return;
    this.#expireAt(claims.exp);
    this.send({ op: 'authenticated', id, expiresIn: claims.exp * 1000 - Date.now() });
  }

  #expireAt(exp: number): void {
    this.#expiresAt = exp * 1000;
    this.#host.expiresAt(this.#expiresAt);
  }

  async #history(frame: HistoryFrame): Promise<void> {
    try {
      const page = await this.#host.options.collab.readHistory({
        conversation: frame.conversation,
        asUser: this.#userId!,
        after: frame.after,
        limit: frame.limit,
      });
      this.send({ op: 'history-page', id: frame.id, ...page });
    } catch (error) {
      this.sendError(frame.id, error);
    }
  }

  #cleanup(): void {
    this.#state = 'closed';
    this.outbox.close();
    clearTimeout(this.#authTimer);
    this.#subscriptions?.close();
    this.#early = undefined;
    this.#host.release(this);
  }
}
