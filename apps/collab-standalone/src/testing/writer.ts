// A writer for delivery tests: posts numbered messages through the server API one after another,
// retrying each (same idempotency key) until the server acknowledges it, whatever node is up.

import type { Message } from '@vestnik/protocol';
import type { ServerProcess } from './server-process.js';

export interface WriterRun {
  /** Messages acknowledged so far, in order. */
  readonly acked: Message[];
  readonly done: Promise<void>;
}

export function writeMessages(
  target: () => ServerProcess,
  input: { conversation: { key: string }; count: number; prefix: string; recipients?: string[] },
): WriterRun {
  const acked: Message[] = [];
  const done = (async () => {
    for (let i = 0; i < input.count; i++) {
      const body = {
        conversation: input.conversation,
        text: `${input.prefix}-${i}`,
        idempotencyKey: `${input.prefix}-${i}`,
        ...(input.recipients ? { recipients: input.recipients } : {}),
      };
      for (let attempt = 0; ; attempt++) {
        if (attempt > 600) throw new Error(`message ${i} was never acknowledged`);
        try {
          const answer = await target().api<Message>('POST', '/messages', body);
          if (answer.status === 201) {
            acked.push(answer.body);
            break;
          }
        } catch {
          // The node is down: try again shortly, with the same idempotency key.
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  })();
  return { acked, done };
}
