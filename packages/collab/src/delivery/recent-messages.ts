// The newest messages a conversation feed passed on, kept in memory so that a subscription with a
// recent `since` (a client back from a short drop) is caught up without reading storage, and every
// such subscriber is handed the same Message objects (so the gateway frames each once).
//
// Invariant: the messages held are contiguous in seq and end at the feed's lastSeq, so for any
// `after` from `first - 1` up to lastSeq they are exactly what storage holds after `after`.
// Bounded by a count and by an estimate of their size; the oldest go first.

import type { Message } from '@vestnik/protocol';
import { isVisibleTo } from '../model.js';

/** Roughly what a message costs in memory beyond its text and data (ids, dates, object headers). */
const MESSAGE_OVERHEAD_BYTES = 200;

/** An estimate of a message's size: about the length of its JSON form, found without making it. */
export function estimateBytes(message: Message): number {
  return (
    MESSAGE_OVERHEAD_BYTES + message.text.length + jsonLength(message.data) + message.recipients.length * 40
  );
}

/** About the length of a JSON value's text (data is plain JSON, nested at most 32 levels). */
function jsonLength(value: unknown): number {
  if (typeof value === 'string') return value.length + 2;
  if (value === null || typeof value !== 'object') return 8;
  let length = 2;
  if (Array.isArray(value)) {
    for (const item of value) length += jsonLength(item) + 1;
  } else {
    for (const key in value) length += key.length + 4 + jsonLength((value as Record<string, unknown>)[key]);
  }
  return length;
}

export class RecentMessages {
  readonly maxMessages: number;
  readonly maxBytes: number;
  /** A circular buffer: #count messages from #head on; free slots hold nothing (no leak). */
  #slots: (Message | undefined)[] = [];
  #sizes: number[] = [];
  #head = 0;
  #count = 0;
  #bytes = 0;

  constructor(maxMessages: number, maxBytes: number) {
    this.maxMessages = Math.max(0, maxMessages);
    this.maxBytes = maxBytes;
  }

  get length(): number {
    return this.#count;
  }

  /** Seq of the oldest message held; undefined when empty. */
  get firstSeq(): number | undefined {
    return this.#count === 0 ? undefined : this.#at(0).seq;
  }

  /** Seq of the newest message held; undefined when empty. */
  get lastSeq(): number | undefined {
    return this.#count === 0 ? undefined : this.#at(this.#count - 1).seq;
  }

  /** Appends the message passed on after the newest one held (its seq must follow). */
  append(message: Message): void {
    if (this.maxMessages === 0) return;
    const last = this.lastSeq;
    // Not contiguous (a caller broke the invariant): start over rather than serve a hole.
    if (last !== undefined && message.seq !== last + 1) this.clear();
    const size = estimateBytes(message);
    if (size > this.maxBytes) {
      this.clear(); // it cannot be held, and nothing older may be held without it
      return;
    }
    while (this.#count > 0 && (this.#count >= this.maxMessages || this.#bytes + size > this.maxBytes)) {
      this.#dropOldest();
    }
    if (this.#slots.length < this.maxMessages) {
      this.#slots.length = this.maxMessages;
      this.#sizes.length = this.maxMessages;
    }
    const slot = (this.#head + this.#count) % this.maxMessages;
    this.#slots[slot] = message;
    this.#sizes[slot] = size;
    this.#count++;
    this.#bytes += size;
  }

  /**
   * Takes a page read from storage that ends where the held messages begin (or, when none are
   * held, at `lastSeq`), so the ring reaches further back. A page that does not join is ignored.
   * Messages past `lastSeq` (committed, but not yet passed on by the feed) are left out.
   */
  prepend(page: readonly Message[], lastSeq: number): void {
    if (this.maxMessages === 0) return;
    const first = this.firstSeq;
    const joinAt = first === undefined ? lastSeq : first - 1; // the seq the page must reach
    let older: Message[] = [];
    for (const message of page) {
      if (message.seq > joinAt) break;
      const previous = older.at(-1);
      if (previous !== undefined && message.seq !== previous.seq + 1) older = []; // a hole
      older.push(message);
    }
    if (older.length === 0 || older.at(-1)!.seq !== joinAt) return;
    // Keep what fits, newest first: the page joins the held messages at its end.
    const held: Message[] = [];
    for (let i = 0; i < this.#count; i++) held.push(this.#at(i));
    let count = this.#count;
    let bytes = this.#bytes;
    let from = older.length;
    while (from > 0 && count < this.maxMessages) {
      const size = estimateBytes(older[from - 1]!);
      if (bytes + size > this.maxBytes) break;
      bytes += size;
      count++;
      from--;
    }
    if (from === older.length) return;
    this.clear();
    for (const message of [...older.slice(from), ...held]) this.append(message);
  }

  /**
   * Whether every message after `after`, up to `lastSeq` (the feed's), is held: then
   * `visibleAfter` answers as storage would.
   */
  covers(after: number, lastSeq: number): boolean {
    if (after >= lastSeq) return true;
    const first = this.firstSeq;
    return first !== undefined && first <= after + 1 && this.lastSeq === lastSeq;
  }

  /** At most `limit` held messages after `after` that `userId` may see, in seq order. */
  visibleAfter(userId: string, after: number, limit: number): Message[] {
    const out: Message[] = [];
    const first = this.firstSeq;
    if (first === undefined) return out;
    for (let i = Math.max(0, after + 1 - first); i < this.#count && out.length < limit; i++) {
      const message = this.#at(i);
      if (isVisibleTo(message, userId)) out.push(message);
    }
    return out;
  }

  clear(): void {
    this.#slots = [];
    this.#sizes = [];
    this.#head = 0;
    this.#count = 0;
    this.#bytes = 0;
  }

  #at(i: number): Message {
    return this.#slots[(this.#head + i) % this.maxMessages]!;
  }

  #dropOldest(): void {
    this.#slots[this.#head] = undefined;
    this.#bytes -= this.#sizes[this.#head]!;
    this.#head = (this.#head + 1) % this.maxMessages;
    this.#count--;
  }
}
