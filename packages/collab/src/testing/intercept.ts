// The same collaboration system with its subscriptions opened through a hook, for tests of what
// sits on top of it (the gateway, the SDK): count who subscribes, hold a backlog at a gate, fail a
// backlog read as an outage would. Everything else is the real system.

import type { Collab, OpeningSubscription, SubscribeInput } from '../service/collab.js';

type Open = (input: SubscribeInput) => Promise<OpeningSubscription>;

/**
 * `collab`, with every `openSubscription` going through `hook` (which calls `next` to open it).
 *
 * @example
 * const counted = interceptSubscriptions(collab, (input, next) => (seen.push(input.asUser), next(input)));
 */
export function interceptSubscriptions(
  collab: Collab,
  hook: (input: SubscribeInput, next: Open) => Promise<OpeningSubscription>,
): Collab {
  const next: Open = (input) => collab.openSubscription(input);
  return new Proxy(collab, {
    get(target, property) {
      if (property === 'openSubscription') return (input: SubscribeInput) => hook(input, next);
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** `collab`, with `beforeRead` awaited before every backlog read of every subscription (throw to fail it). */
export function interceptBacklogReads(collab: Collab, beforeRead: () => Promise<void> | void): Collab {
  return interceptSubscriptions(collab, async (input, next) => {
    const subscription = await next(input);
    const read = subscription.nextBacklog.bind(subscription);
    subscription.nextBacklog = async (limit) => {
      await beforeRead();
      return read(limit);
    };
    return subscription;
  });
}
