// Collects what a subscription hands over, for tests and benchmarks (no test runner needed).

import type { Message } from '@vestnik/protocol';

/** Collects what a subscription hands over and lets a test wait for a count. */
export function collector() {
  const messages: Message[] = [];
  let waiters: Array<() => void> = [];
  return {
    messages,
    onMessage(message: Message) {
      messages.push(message);
      const ready = waiters;
      waiters = [];
      for (const wake of ready) wake();
    },
    async waitFor(count: number, timeoutMs = 10_000): Promise<Message[]> {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count) {
        if (Date.now() > deadline) throw new Error(`waited for ${count} messages, got ${messages.length}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
      return messages;
    },
  };
}
