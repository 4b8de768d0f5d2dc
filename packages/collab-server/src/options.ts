// The options of the collab-server plugin and the gateway's documented limits (docs/protocol.md).

import { VestnikError } from '@vestnik/protocol';
import type { Collab } from '@vestnik/collab';
import type { ErrorHandlingOptions } from './http/error-handler.js';

export interface GatewayLimits {
  /** Largest frame a client may send, in bytes; larger closes the socket with 1009. */
  maxFrameBytes: number;
  /** Subscriptions one socket may hold; more get LIMIT_EXCEEDED. */
  maxSubscriptions: number;
  /** Sockets one user may have open on one node; more are closed with 4429. */
  maxConnectionsPerUser: number;
  /** Bytes waiting to be sent on one socket; past this the socket is closed with 4408. */
  maxBufferedBytes: number;
  /** How often the server pings each socket; a socket that did not answer the last ping is dropped. */
  heartbeatMs: number;
  /** How long an unauthenticated socket may wait before its `auth` frame; then 4401. */
  authTimeoutMs: number;
}

export const defaultGatewayLimits: GatewayLimits = {
  maxFrameBytes: 64 * 1024,
  maxSubscriptions: 100,
  maxConnectionsPerUser: 16,
  maxBufferedBytes: 4 * 1024 * 1024,
  heartbeatMs: 30_000,
  authTimeoutMs: 10_000,
};

export interface CollabServerOptions {
  collab: Collab;
  /** The secret client tokens are signed with (at least 32 characters). */
  tokenSecret: string;
  /** The application's name; tokens of another application are refused. */
  application: string;
  /** Enables the HTTP server API under `{prefix}/api`, for callers that present this key. */
  applicationKey?: string;
  /** Where the endpoints live, `/collab` by default (Fastify applies it as its register prefix). */
  prefix?: string;
  limits?: Partial<GatewayLimits>;
  /** Lifetime of the tokens the server API issues, in seconds (300 by default). */
  tokenTtlSeconds?: number;
  /**
   * Asked whenever a token naming an application session (`sid`) is presented, at connect and at
   * renewal: false refuses it (close 4401), so a token issued before a logout is dead at once.
   */
  isSessionActive?: (sessionHandle: string) => Promise<boolean>;
  /** Receives a live view of this node's gateway once it is mounted (for status pages, metrics). */
  onGateway?: (gateway: GatewayStats) => void;
  /**
   * Tells the server API's error handling what a storage error means (pass `classifyStorageError`
   * from `@vestnik/collab`): a database outage then answers UNAVAILABLE rather than INTERNAL.
   */
  classifyError?: ErrorHandlingOptions['classifyError'];
}

/** What an application may read of a node's gateway. */
export interface GatewayStats {
  /** Authenticated sockets open on this node now. */
  readonly connections: number;
}

export interface ResolvedOptions extends Required<
  Omit<CollabServerOptions, 'applicationKey' | 'limits' | 'onGateway' | 'isSessionActive' | 'classifyError'>
> {
  applicationKey: string | undefined;
  isSessionActive: CollabServerOptions['isSessionActive'];
  classifyError: CollabServerOptions['classifyError'];
  limits: GatewayLimits;
}

export function resolveOptions(options: CollabServerOptions): ResolvedOptions {
  const invalid = (message: string) => new VestnikError('INVALID_ARGUMENT', message);
  if (typeof options?.collab?.subscribe !== 'function') throw invalid('collab must be a Collab instance.');
  if (typeof options.tokenSecret !== 'string' || options.tokenSecret.length < 32) {
    throw invalid('tokenSecret must be a string of at least 32 characters.');
  }
  if (typeof options.application !== 'string' || options.application === '') {
    throw invalid('application must be a non-empty string.');
  }
  if (
    options.applicationKey !== undefined &&
    (typeof options.applicationKey !== 'string' || options.applicationKey.length < 16)
  ) {
    throw invalid('applicationKey must be a string of at least 16 characters.');
  }
  const prefix = options.prefix ?? '/collab';
  if (!/^(\/[A-Za-z0-9._~-]+)*$/.test(prefix)) {
    throw invalid('prefix must be a path like "/collab" (or "" for the root), without a trailing slash.');
  }
  const limits = { ...defaultGatewayLimits, ...options.limits };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value < 1)
      throw invalid(`limits.${name} must be a positive integer.`);
  }
  const tokenTtlSeconds = options.tokenTtlSeconds ?? 300;
  if (!Number.isSafeInteger(tokenTtlSeconds) || tokenTtlSeconds < 1) {
    throw invalid('tokenTtlSeconds must be a positive integer.');
  }
  return {
    collab: options.collab,
    tokenSecret: options.tokenSecret,
    application: options.application,
    applicationKey: options.applicationKey,
    prefix,
    limits,
    tokenTtlSeconds,
    isSessionActive: options.isSessionActive,
    classifyError: options.classifyError,
  };
}
