// The courier's start (the seed's OnStart, listing 4.14): load the inbox, subscribe to the service
// conversation, and sort what arrives into "missed while away" and "live now". Live messages that
// come in one burst (after a reconnect) are handed on together, so the screen is not flooded.
import type { CourierNotification } from '../api/types.js';
import type { LiveFeed } from '../collab/live-feed.js';
import { CourierInbox, toCourierNotification } from './courier-inbox.js';
import type { FetchHistory } from './courier-inbox.js';
import type { KeyValueStore } from './read-marks.js';

export interface CourierSessionOptions {
  userId: string;
  conversationKey: string;
  fetchHistory: FetchHistory;
  openFeed: () => LiveFeed;
  /** Notifications that arrived while the client was away; called once on start (maybe empty). */
  onMissed: (missed: CourierNotification[]) => void;
  /** New notifications that arrived live, oldest first; more than one after a reconnect. */
  onLive: (batch: CourierNotification[]) => void;
  onError: (error: unknown) => void;
  /** Where read marks are kept; localStorage by default. */
  store?: KeyValueStore;
}

/** How long to gather a burst of live messages before showing them. */
const burstMs = 150;

export class CourierSession {
  readonly inbox: CourierInbox;
  #feed: LiveFeed | null = null;
  #detach: (() => void) | null = null;
  #closed = false;
  #pending: CourierNotification[] = [];
  #timer: ReturnType<typeof setTimeout> | null = null;
  readonly #options: CourierSessionOptions;

  constructor(options: CourierSessionOptions) {
    this.#options = options;
    this.inbox = new CourierInbox(options.userId, options.store);
  }

  get feed(): LiveFeed | null {
    return this.#feed;
  }

  async start(): Promise<void> {
    const { openFeed, conversationKey, fetchHistory } = this.#options;
    // Connect at once (the state shows), load the history, then subscribe from its last seq:
    // the server sends what came after it, so nothing falls between the two and nothing twice.
    this.#feed = openFeed();
    let missed: CourierNotification[] = [];
    try {
      missed = await this.inbox.load(fetchHistory);
    } catch (error) {
      this.#options.onError(error);
    }
    if (this.#closed) return;
    this.#options.onMissed(missed);
    this.#detach = this.#feed.attach(conversationKey, this.inbox.lastSeq, (message) => {
      const notification = toCourierNotification(message);
      if (notification) this.#live(notification);
    });
  }

  close(): void {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#detach?.();
    this.#feed?.close();
  }

  #live(notification: CourierNotification): void {
    if (!this.inbox.receive(notification)) return;
    this.#pending.push(notification);
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      const batch = this.#pending;
      this.#pending = [];
      if (!this.#closed && batch.length > 0) this.#options.onLive(batch);
    }, burstMs);
  }
}
