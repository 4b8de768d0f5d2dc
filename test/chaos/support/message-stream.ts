// Streams messages while a fault is injected: several writers, each retrying a failed write with
// the same idempotency key until it is acknowledged, as a careful application would. Some messages
// go to everyone, others to one recipient only.

import type { Message } from '@vestnik/protocol';

export interface WriteRequest {
  index: number;
  text: string;
  data: { index: number; note: string; padding?: string };
  /** Empty: every participant. */
  recipients: string[];
  idempotencyKey: string;
}

export interface StreamOptions {
  count: number;
  /** Writers working at once. */
  writers?: number;
  /** Pause between one writer's writes (ms). */
  pauseMs?: number;
  /** Users some messages are addressed to. */
  recipients: string[];
  /** A prefix making idempotency keys unique to the trial. */
  trial: string;
  write(request: WriteRequest): Promise<Message>;
  /** Gives up on a write after this long (ms); the stream then fails. */
  retryForMs?: number;
  /** Extra bytes of data per message (to fill a slow consumer's buffer quickly). */
  paddingBytes?: number;
  /** Called once, when this many writes have been acknowledged: the moment to inject a fault. */
  atAcked?: { count: number; run(): Promise<void> };
}

export interface StreamResult {
  acked: Message[];
  /** How many writes were still to be acknowledged when the fault was injected. */
  inFlightAtFault: number;
  /** Failed attempts that were retried (the fault was felt). */
  retries: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Text that is not plain ASCII travels too: the checker compares it with storage.
const notes = ['plain', 'Сформирован новый заказ', 'ünïcødé ✓', "'; DROP TABLE messages; --", '🚚 доставка'];

export async function streamMessages(options: StreamOptions): Promise<StreamResult> {
  const acked: Message[] = [];
  let retries = 0;
  let next = 0;
  const retryForMs = options.retryForMs ?? 60_000;
  let fault: Promise<void> | undefined;
  let inFlightAtFault = 0;

  async function writeWithRetry(request: WriteRequest): Promise<Message> {
    const deadline = Date.now() + retryForMs;
    for (let attempt = 0; ; attempt++) {
      try {
        return await options.write(request);
      } catch (error) {
        if (Date.now() > deadline) {
          throw new Error(`write ${request.index} still failing after ${retryForMs} ms`, { cause: error });
        }
        retries++;
        await sleep(Math.min(50 * 2 ** attempt, 500));
      }
    }
  }

  async function writer(): Promise<void> {
    for (;;) {
      const index = next++;
      if (index >= options.count) return;
      const addressed = index % 3 !== 0;
      const recipient = options.recipients[index % options.recipients.length];
      const note = notes[index % notes.length] ?? 'plain';
      const message = await writeWithRetry({
        index,
        text: `message ${index}: ${note}`,
        data: options.paddingBytes
          ? { index, note, padding: 'x'.repeat(options.paddingBytes) }
          : { index, note },
        recipients: addressed && recipient !== undefined ? [recipient] : [],
        idempotencyKey: `${options.trial}:${index}`,
      });
      acked.push(message);
      if (fault === undefined && options.atAcked && acked.length >= options.atAcked.count) {
        inFlightAtFault = options.count - acked.length;
        fault = options.atAcked.run();
      }
      if (options.pauseMs) await sleep(options.pauseMs);
    }
  }

  await Promise.all(Array.from({ length: options.writers ?? 3 }, () => writer()));
  await fault;
  if (options.atAcked && fault === undefined)
    throw new Error('the stream ended before the fault was injected');
  return { acked, retries, inFlightAtFault };
}

/** Waits until `done()` holds, polling; throws with `describe()` after the timeout. */
export async function waitUntil(
  done: () => boolean,
  describe: () => string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting after ${timeoutMs} ms: ${describe()}`);
    await sleep(50);
  }
}
