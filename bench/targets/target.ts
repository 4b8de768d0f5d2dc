// What a scenario needs from a server under test, whatever protocol it speaks: start it pinned,
// connect subscribers to one room/conversation, publish numbered notifications, read its stats.

import { freePort } from '@vestnik/testing';
import { ServerProcess } from '../lib/server-process.js';

export type ServerName = 'vestnik' | 'socketio' | 'ws';

/**
 * Called for every notification a subscriber receives: message number, publish time (µs) and,
 * where the server numbers its messages, their seq.
 */
export type DeliveryHandler = (n: number, t: number, seq?: number) => void;

export interface Subscriber {
  readonly closed: boolean;
  /** Last seq seen, where the protocol has one (Vestnik), for a resubscribe with `since`. */
  readonly lastSeq?: number;
  destroy(): void;
}

export interface SubscribeOptions {
  /** Vestnik: resubscribe after this seq. */
  since?: number;
  onClose?: () => void;
}

export interface Publisher {
  /** Publishes notification `n` to the room at once, stamped with the current time. */
  publish(n: number): void;
  /** Resolves when every publish sent so far has been accepted (HTTP publishers), throws on a failure. */
  flush(): Promise<void>;
  close(): void;
}

/**
 * Where a running server is and what a client needs to speak to it, as plain data, so that another
 * process (the latency probe) can drive the same server: `TargetKind.client(endpoint)`.
 */
export interface Endpoint {
  readonly name: ServerName;
  readonly port: number;
  /** Vestnik: the user of each subscriber index. */
  readonly userIds?: readonly string[];
}

/** The client side of a server under test: subscribers and a publisher. */
export interface Client {
  readonly name: ServerName;
  readonly endpoint: Endpoint;
  /** Error frames the server sent, for the message of a failed check. */
  readonly problems?: string[];
  connectSubscriber(
    index: number,
    onDelivery: DeliveryHandler,
    options?: SubscribeOptions,
  ): Promise<Subscriber>;
  openPublisher(): Promise<Publisher>;
}

/** A server under test that this process started, with its client side. */
export interface Target extends Client {
  readonly server: ServerProcess;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** How many distinct subscribers (users) the run needs. */
  subscribers: number;
  /** Write a V8 CPU profile of the server into this directory. */
  cpuProfileDir?: string;
}

/** The node flags that make a server write its CPU profile where `options` asks, if it does. */
export function profileFlags(options: StartOptions): string[] {
  return options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
}

/** Starts a peer's server script (`bench/servers/`), pinned and probed like every server. */
export async function startPeerServer(
  name: ServerName,
  script: string,
  options: StartOptions,
): Promise<ServerProcess> {
  return ServerProcess.start({ name, script, port: await freePort(), nodeFlags: profileFlags(options) });
}

/** A client together with the server process it drives, stopped with it. */
export function servedBy<C extends Client>(client: C, server: ServerProcess): C & Target {
  return Object.assign(client, { server, stop: () => server.stop() });
}

export interface TargetKind {
  readonly name: ServerName;
  readonly label: string;
  /** Null when it can run here; otherwise why not (the slot is then reported as a gap). */
  unavailable(): Promise<string | null>;
  start(options: StartOptions): Promise<Target>;
  /** A client of a server that another process started. */
  client(endpoint: Endpoint): Client;
}

export const ROOM = 'orders';
export const HOST = '127.0.0.1';

/** Adds what the server said (error frames, recent output) to an error before it is thrown on. */
export function explain(error: unknown, target: Target): unknown {
  if (!(error instanceof Error)) return error;
  const problems = target.problems ?? [];
  if (problems.length > 0) error.message += `\n  ${target.name} sent: ${problems.slice(0, 5).join('\n  ')}`;
  const output = target.server.output.trim();
  if (output !== '') error.message += `\n  ${target.name} output (tail): ${output.slice(-1500)}`;
  return error;
}

/** Connects `count` subscribers with at most `concurrency` handshakes in flight (the listen backlog is finite). */
export async function connectMany<T>(
  count: number,
  concurrency: number,
  connect: (index: number) => Promise<T>,
): Promise<T[]> {
  const result = new Array<T>(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = next++;
      result[index] = await connect(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return result;
}

/** Resolves on the first frame accepted by `accept`, or rejects after a while. */
export function waitFor(
  label: string,
  ms = 30_000,
): { promise: Promise<void>; done: () => void; fail: (e: Error) => void } {
  let done!: () => void;
  let fail!: (e: Error) => void;
  const promise = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${label}: timed out`)), ms);
    done = () => {
      clearTimeout(timer);
      resolve();
    };
    fail = (e) => {
      clearTimeout(timer);
      reject(e);
    };
  });
  return { promise, done, fail };
}
