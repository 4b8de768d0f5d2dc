// Counts every delivery of one run and checks it: each subscriber gets every message exactly once,
// in the server's order, and nothing else. Any deviation is recorded and fails the run loudly.

import { nowMicros } from './order-notification.js';

export class DeliveryLedger {
  readonly subscribers: number;
  readonly messages: number;
  /** Which messages each subscriber got (subscriber-major). */
  readonly #got: Uint8Array;
  readonly #count: Uint32Array;
  /** The order key of each subscriber's last delivery: seq where the server has one, else the number. */
  readonly #lastOrder: Float64Array;
  readonly #perMessage: Uint32Array;
  readonly #latencies: Float64Array | null;
  #latencyCount = 0;
  delivered = 0;
  /** Messages delivered to every subscriber. */
  completed = 0;
  readonly errors: string[] = [];
  lastDeliveryAt = 0;
  onProgress: (() => void) | null = null;

  /** Latencies are kept for messages numbered from here on (the ones before warm the server up). */
  readonly #latencyFrom: number;

  constructor(
    subscribers: number,
    messages: number,
    options: { latencies?: boolean; latencyFrom?: number } = {},
  ) {
    this.#latencyFrom = options.latencyFrom ?? 0;
    this.subscribers = subscribers;
    this.messages = messages;
    this.#got = new Uint8Array(subscribers * messages);
    this.#count = new Uint32Array(subscribers);
    this.#lastOrder = new Float64Array(subscribers).fill(-1);
    this.#perMessage = new Uint32Array(messages);
    this.#latencies = options.latencies ? new Float64Array(subscribers * messages) : null;
  }

  /**
   * A delivery of message `n`, published at `t` µs, to subscriber `sub`. `seq` is the server's
   * order where it has one (Vestnik numbers messages in commit order, which concurrent publishes
   * may make differ from `n`); a peer relays in publish order, so `n` is its order.
   */
  record(sub: number, n: number, t: number, seq?: number): void {
    if (n >= this.messages || sub >= this.subscribers) {
      this.#error(`subscriber ${sub} got message ${n}, which was never published (${this.messages} were)`);
      return;
    }
    const slot = sub * this.messages + n;
    if (this.#got[slot] === 1) {
      this.#error(`subscriber ${sub} got message ${n} twice`);
      return;
    }
    const order = seq ?? n;
    if (order <= this.#lastOrder[sub]!) {
      this.#error(`subscriber ${sub} got message ${n} (order ${order}) after order ${this.#lastOrder[sub]}`);
    }
    this.#lastOrder[sub] = order;
    this.#got[slot] = 1;
    this.#count[sub]!++;
    this.delivered++;
    const now = nowMicros();
    this.lastDeliveryAt = now;
    if (this.#latencies !== null && n >= this.#latencyFrom)
      this.#latencies[this.#latencyCount++] = (now - t) / 1000;
    if (++this.#perMessage[n]! === this.subscribers) {
      this.completed++;
      this.onProgress?.();
    }
  }

  /**
   * Resolves once `count` messages have reached every subscriber; rejects after `ms` saying how
   * far it got. Takes `onProgress` meanwhile.
   */
  whenCompleted(count: number, ms: number, label: string): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.completed >= count) {
        resolve();
        return;
      }
      const deadline = setTimeout(() => {
        this.onProgress = null;
        reject(new Error(`${label}: only ${this.completed}/${count} complete`));
      }, ms);
      this.onProgress = () => {
        if (this.completed < count) return;
        clearTimeout(deadline);
        this.onProgress = null;
        resolve();
      };
    });
  }

  /** Latencies in ms of every delivery recorded, sorted. */
  latencies(): Float64Array {
    return (this.#latencies ?? new Float64Array(0)).slice(0, this.#latencyCount).sort();
  }

  /** Throws unless every subscriber got every message exactly once. */
  assertComplete(label: string): void {
    const missing: string[] = [];
    for (let sub = 0; sub < this.subscribers && missing.length < 5; sub++) {
      if (this.#count[sub] !== this.messages) {
        let first = 0;
        while (first < this.messages && this.#got[sub * this.messages + first] === 1) first++;
        missing.push(
          `subscriber ${sub} got ${this.#count[sub]} of ${this.messages}, first missing: ${first}`,
        );
      }
    }
    if (this.errors.length > 0 || missing.length > 0 || this.delivered !== this.subscribers * this.messages) {
      throw new Error(
        `${label}: delivery check failed: ${this.delivered} of ${this.subscribers * this.messages} delivered; ` +
          [...this.errors.slice(0, 5), ...missing].join('; '),
      );
    }
  }

  #error(text: string): void {
    if (this.errors.length < 100) this.errors.push(text);
  }
}

/** Percentile of sorted values (nearest rank). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}
