// The courier's notifications: the history from the server, the live ones, and which are unread.
// It decides what is "missed" (arrived while the client was away: one summary on start) and what
// is "live" (arrived now: its order's form opens), and never hands on the same seq twice.
import type { CourierNotification, NotificationPage } from '../api/types.js';
import { loadReadMarks, saveReadMarks } from './read-marks.js';
import type { KeyValueStore, ReadMarks } from './read-marks.js';

export type FetchHistory = (after: number) => Promise<Pick<NotificationPage, 'messages' | 'hasMore'>>;

/**
 * Checks that a message from the wire has the shape of a courier notification. A live message is
 * the same message (packages/protocol's Message) that the inbox reads over HTTP; only its data
 * varies with what was written, so only the data is checked.
 */
export function toCourierNotification(message: {
  id: string;
  seq: number;
  createdAt: string;
  text: string;
  data: unknown;
}): CourierNotification | null {
  const data = message.data as Record<string, unknown> | null;
  if (typeof data !== 'object' || data === null) return null;
  const order = data.order as { id?: unknown } | undefined;
  if (typeof order?.id !== 'string') return null;
  return message as CourierNotification;
}

export class CourierInbox {
  readonly #userId: string;
  readonly #marks: ReadMarks;
  #items: CourierNotification[] = [];
  readonly #seqs = new Set<number>();
  readonly #listeners = new Set<() => void>();
  readonly #store: KeyValueStore;

  constructor(userId: string, store: KeyValueStore = localStorage) {
    this.#userId = userId;
    this.#store = store;
    this.#marks = loadReadMarks(userId, store);
  }

  /** Newest first. */
  get items(): readonly CourierNotification[] {
    return this.#items;
  }

  get lastSeq(): number {
    return this.#items[0]?.seq ?? 0;
  }

  get unreadCount(): number {
    return this.#items.filter((n) => !this.#marks.read.has(n.seq)).length;
  }

  isUnread(seq: number): boolean {
    return !this.#marks.read.has(seq);
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /** Loads the whole history; returns the unread notifications that arrived since the last start. */
  async load(fetchHistory: FetchHistory): Promise<CourierNotification[]> {
    let after = 0;
    for (;;) {
      const page = await fetchHistory(after);
      for (const message of page.messages) this.#add(message);
      const last = page.messages[page.messages.length - 1];
      if (!page.hasMore || !last) break;
      after = last.seq;
    }
    const missed = this.#items.filter((n) => n.seq > this.#marks.handledSeq && this.isUnread(n.seq));
    this.#marks.handledSeq = Math.max(this.#marks.handledSeq, this.lastSeq);
    this.#save();
    return missed.reverse();
  }

  /** Takes a live message; true when it is new (not a duplicate of one already known). */
  receive(notification: CourierNotification): boolean {
    if (!this.#add(notification)) return false;
    this.#marks.handledSeq = Math.max(this.#marks.handledSeq, notification.seq);
    this.#save();
    return true;
  }

  markRead(seq: number): void {
    if (this.#marks.read.has(seq)) return;
    this.#marks.read.add(seq);
    this.#save();
  }

  markAllRead(): void {
    for (const n of this.#items) this.#marks.read.add(n.seq);
    this.#save();
  }

  #add(notification: CourierNotification): boolean {
    if (this.#seqs.has(notification.seq)) return false;
    this.#seqs.add(notification.seq);
    this.#items = [...this.#items, notification].sort((a, b) => b.seq - a.seq);
    return true;
  }

  #save(): void {
    saveReadMarks(this.#userId, this.#marks, this.#store);
    for (const listener of this.#listeners) listener();
  }
}
