// One socket's outgoing frames. ws is the only writer to the socket: data frames go through its
// public `send` at once, beside its own pings, pongs and close frames, so they leave in the order
// they were made. For the syscalls, the TCP socket under the WebSocket (the one the upgrade handed
// the gateway) is corked from the first frame of a tick until one setImmediate for the whole
// process uncorks every socket written in that tick: what ws wrote meanwhile leaves in one writev,
// and a message to a thousand sockets schedules one callback, not a thousand.
// The bytes the socket has not passed to the kernel are watched (ws's `bufferedAmount`): past the
// bound the owner is told (it closes the socket as a slow consumer), so one client that stops
// reading cannot grow memory.

import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';

/** The socket's owner, as an object rather than callbacks: a node keeps one outbox per socket. */
export interface OutboxOwner {
  /** False once the WebSocket is closing: no data frame may follow a close frame, whichever side sent it. */
  canWrite(): boolean;
  /** Past the bound: the owner closes the socket as a slow consumer. */
  overflowed(): void;
}

/** A Buffer payload is sent as a text frame (JSON), not as binary. */
const TEXT = { binary: false } as const;

/** Outboxes whose socket was corked since the last flush, in the order they were corked. */
let corked: Outbox[] = [];

function flushCorked(): void {
  // Flushing may cork again (an owner answering an overflow): those wait for the next round.
  const outboxes = corked;
  corked = [];
  for (const outbox of outboxes) {
    try {
      outbox.flush();
    } catch (error) {
      // A bug in one socket's flush must not keep the others' frames back; it still surfaces.
      process.nextTick(() => {
        throw error;
      });
    }
  }
}

export class Outbox {
  readonly #ws: WebSocket;
  readonly #socket: Duplex;
  readonly #maxBufferedBytes: number;
  readonly #owner: OutboxOwner;
  #corked = false;
  #closed = false;

  /** `socket` is the one under `ws`, as the upgrade handed it over; only corked and uncorked here. */
  constructor(ws: WebSocket, socket: Duplex, maxBufferedBytes: number, owner: OutboxOwner) {
    this.#ws = ws;
    this.#socket = socket;
    this.#maxBufferedBytes = maxBufferedBytes;
    this.#owner = owner;
  }

  /** Bytes written and not yet taken by the kernel. */
  get bufferedBytes(): number {
    return this.#ws.bufferedAmount;
  }

  /** Sends a text frame with this JSON payload (shared payloads are not copied). */
  push(payload: Buffer): void {
    if (this.#closed || this.#socket.destroyed || !this.#owner.canWrite()) return;
    if (!this.#corked) {
      this.#corked = true;
      this.#socket.cork();
      if (corked.push(this) === 1) setImmediate(flushCorked);
    }
    this.#ws.send(payload, TEXT);
    // One tick may send more than the bound (a catch-up page); a hard cap keeps even that bounded.
    if (this.bufferedBytes > 4 * this.#maxBufferedBytes) this.#overflow();
  }

  /** Lets what was written since the socket was corked go to the kernel (the process does it each tick). */
  flush(): void {
    if (!this.#corked) return;
    this.#corked = false;
    this.#socket.uncork();
    if (!this.#closed && this.bufferedBytes > this.#maxBufferedBytes) this.#overflow();
  }

  /**
   * Resolves once less than half the bound is waiting (or the socket closed): for senders that
   * can wait, such as a catch-up after a long absence, which must not overflow the bound itself.
   */
  async room(): Promise<void> {
    while (!this.hasRoom) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  /** Whether `room()` would resolve at once: less than half the bound is waiting, or it closed. */
  get hasRoom(): boolean {
    return this.#closed || this.#socket.destroyed || this.bufferedBytes <= this.#maxBufferedBytes / 2;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Nothing more is sent. What was sent stays ahead of the close frame that ws sends next, and a
   * corked socket is still uncorked by the tick's flush, close frame included.
   */
  close(): void {
    this.#closed = true;
  }

  #overflow(): void {
    this.close();
    this.#owner.overflowed();
  }
}
