// Counts every delivery of one run and checks it: each subscriber gets every message once, in
// order, and nothing else. Any deviation is recorded and fails the run loudly.

import { nowMicros } from './order-notification.js';

export class DeliveryLedger {
  readonly subscribers: number;
  readonly messages: number;
  /** Next message number each subscriber expects. */
  readonly #next: Uint32Array;
  readonly #perMessage: Uint32Array;
  readonly #latencies: Float64Array | null;
  #latencyCount = 0;
  delivered = 0;
  /** Messages delivered to every subscriber; they complete in order because each stream is ordered. */
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
    this.#next = new Uint32Array(subscribers);
    this.#perMessage = new Uint32Array(messages);
    this.#latencies = options.latencies ? new Float64Array(subscribers * messages) : null;
  }

  /** A delivery of message `n`, published at `t` µs, to subscriber `sub`. */
  record(sub: number, n: number, t: number): void {
    const expected = this.#next[sub]!;
    if (n !== expected || n >= this.messages) {
      this.#error(`subscriber ${sub} got message ${n}, expected ${expected} (of ${this.messages})`);
      return;
    }
    this.#next[sub] = expected + 1;
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

  /** Latencies in ms of every delivery recorded, sorted. */
  latencies(): Float64Array {
    return (this.#latencies ?? new Float64Array(0)).slice(0, this.#latencyCount).sort();
  }

  /** Throws unless every subscriber got every message exactly once. */
  assertComplete(label: string): void {
    const missing: string[] = [];
    for (let sub = 0; sub < this.subscribers && missing.length < 5; sub++) {
      if (this.#next[sub] !== this.messages) missing.push(`subscriber ${sub} got ${this.#next[sub]}`);
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
