// One socket's outgoing frames. Frames queued within a tick are written together (one writev), and
// the bytes the socket could not pass to the kernel are watched: past the bound the owner is told
// (it closes the socket as a slow consumer), so one client that stops reading cannot grow memory.
// The outboxes that got frames in a tick are flushed together by one setImmediate for the whole
// process, not one each: a message to a thousand sockets schedules one callback, not a thousand.

import type { Duplex } from 'node:stream';

/** The socket's owner, as an object rather than callbacks: a node keeps one outbox per socket. */
export interface OutboxOwner {
  /** False once the WebSocket is closing: no data frame may follow a close frame, whichever side sent it. */
  canWrite(): boolean;
  /** Past the bound: the owner closes the socket as a slow consumer. */
  overflowed(): void;
}

/** Outboxes with frames queued since the last flush, in the order they got their first one. */
let dirty: Outbox[] = [];

function flushDirty(): void {
  // Flushing may queue more (an owner answering an overflow): those wait for the next round.
  const outboxes = dirty;
  dirty = [];
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

function scheduleFlush(outbox: Outbox): void {
  if (dirty.push(outbox) === 1) setImmediate(flushDirty);
}

export class Outbox {
  readonly #socket: Duplex;
  readonly #maxBufferedBytes: number;
  readonly #owner: OutboxOwner;
  #queue: Buffer[] = [];
  #queuedBytes = 0;
  #scheduled = false;
  #closed = false;

  constructor(socket: Duplex, maxBufferedBytes: number, owner: OutboxOwner) {
    this.#socket = socket;
    this.#maxBufferedBytes = maxBufferedBytes;
    this.#owner = owner;
  }

  /** Bytes queued here and not yet taken by the kernel. */
  get bufferedBytes(): number {
    return this.#queuedBytes + this.#socket.writableLength;
  }

  push(frame: Buffer): void {
    if (this.#closed) return;
    this.#queue.push(frame);
    this.#queuedBytes += frame.length;
    // One tick may queue more than the bound (a catch-up page); a hard cap keeps even that bounded.
    if (this.bufferedBytes > 4 * this.#maxBufferedBytes) {
      this.#overflow();
      return;
    }
    if (!this.#scheduled) {
      this.#scheduled = true;
      scheduleFlush(this);
    }
  }

  flush(): void {
    this.#scheduled = false;
    if (this.#closed || this.#queue.length === 0) return;
    const queue = this.#queue;
    this.#queue = [];
    this.#queuedBytes = 0;
    const socket = this.#socket;
    if (socket.destroyed || !socket.writable || !this.#owner.canWrite()) return;
    socket.cork();
    for (const frame of queue) socket.write(frame);
    socket.uncork();
    if (socket.writableLength > this.#maxBufferedBytes) this.#overflow();
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

  /** Drops whatever is queued; nothing more is written (the close frame follows through ws). */
  close(): void {
    this.#closed = true;
    this.#queue = [];
    this.#queuedBytes = 0;
  }

  #overflow(): void {
    this.close();
    this.#owner.overflowed();
  }
}
