// Reconnect delays: exponential growth with full jitter, so that clients dropped together (a node
// restart) do not all come back at the same instant.

export interface BackoffOptions {
  /** The first delay's upper bound, in ms (500). */
  minDelayMs?: number;
  /** The largest delay, in ms (30 000). */
  maxDelayMs?: number;
}

export class Backoff {
  readonly #min: number;
  readonly #max: number;
  #attempt = 0;

  constructor(options: BackoffOptions = {}) {
    this.#min = options.minDelayMs ?? 500;
    this.#max = options.maxDelayMs ?? 30_000;
  }

  /** The delay before the next attempt: random in [0, min * 2^attempt], capped at max. */
  next(): number {
    const ceiling = Math.min(this.#max, this.#min * 2 ** Math.min(this.#attempt, 30));
    this.#attempt++;
    return Math.round(Math.random() * ceiling);
  }

  reset(): void {
    this.#attempt = 0;
  }
}
