// The verdict of a trial: compares what every subscriber received with what storage says was
// committed. Each subscriber must get every committed message it may see, once, in seq order, and
// nothing else; every acknowledged write must be among the committed ones.

import type { Message } from '@vestnik/protocol';
import { isVisibleTo } from '@vestnik/collab';

export interface ReceivedBy {
  /** A name for reports, e.g. `client 3 (courier-2)`. */
  name: string;
  userId: string;
  /** Messages with a seq above this one are meant for it (where it started following). */
  after: number;
  received: Message[];
}

export interface DeliveryVerdict {
  deliveriesExpected: number;
  deliveriesReceived: number;
  lost: number;
  duplicated: number;
  outOfOrder: number;
  wrongUser: number;
  phantom: number;
  /** Human-readable findings, at most a few per kind, for the failure message. */
  problems: string[];
}

/**
 * @param committed every message of the conversation as storage has it, unfiltered
 * @param ackedIds ids of the messages whose writers were told they were written
 */
export function checkDeliveries(
  committed: Message[],
  ackedIds: Iterable<string>,
  subscribers: ReceivedBy[],
): DeliveryVerdict {
  const verdict: DeliveryVerdict = {
    deliveriesExpected: 0,
    deliveriesReceived: 0,
    lost: 0,
    duplicated: 0,
    outOfOrder: 0,
    wrongUser: 0,
    phantom: 0,
    problems: [],
  };
  const note = (text: string) => {
    if (verdict.problems.length < 40) verdict.problems.push(text);
  };
  const byId = new Map(committed.map((message) => [message.id, message]));
  for (const id of ackedIds) {
    if (!byId.has(id)) {
      verdict.lost++;
      note(`acknowledged message ${id} is not in storage`);
    }
  }
  const ordered = [...committed].sort((a, b) => a.seq - b.seq);
  for (const subscriber of subscribers) {
    const expected = ordered.filter((m) => m.seq > subscriber.after && isVisibleTo(m, subscriber.userId));
    verdict.deliveriesExpected += expected.length;
    verdict.deliveriesReceived += subscriber.received.length;
    const seen = new Map<string, number>();
    let lastSeq = -Infinity;
    for (const message of subscriber.received) {
      const count = (seen.get(message.id) ?? 0) + 1;
      seen.set(message.id, count);
      const stored = byId.get(message.id);
      if (stored === undefined) {
        verdict.phantom++;
        note(`${subscriber.name} got message ${message.id} (seq ${message.seq}) that was never committed`);
        continue;
      }
      if (count > 1) {
        verdict.duplicated++;
        note(`${subscriber.name} got seq ${message.seq} ${count} times`);
        continue;
      }
      if (!isVisibleTo(stored, subscriber.userId)) {
        verdict.wrongUser++;
        note(`${subscriber.name} got seq ${message.seq}, addressed to ${stored.recipients.join(', ')}`);
      }
      if (message.seq <= lastSeq) {
        verdict.outOfOrder++;
        note(`${subscriber.name} got seq ${message.seq} after seq ${lastSeq}`);
      }
      lastSeq = Math.max(lastSeq, message.seq);
      if (!sameContent(stored, message)) {
        verdict.phantom++;
        note(`${subscriber.name} got seq ${message.seq} with content that differs from storage`);
      }
    }
    for (const message of expected) {
      if (!seen.has(message.id)) {
        verdict.lost++;
        note(`${subscriber.name} never got seq ${message.seq}`);
      }
    }
  }
  return verdict;
}

function sameContent(a: Message, b: Message): boolean {
  return a.seq === b.seq && a.text === b.text && canonical(a.data) === canonical(b.data);
}

/** JSON with every object's keys sorted: the same data, whatever order a serializer wrote the keys in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : v,
  );
}

/** Throws, listing what went wrong, unless the verdict is clean. */
export function assertClean(trial: string, verdict: DeliveryVerdict): void {
  const bad = verdict.lost + verdict.duplicated + verdict.outOfOrder + verdict.wrongUser + verdict.phantom;
  if (bad === 0) return;
  throw new Error(
    `${trial}: lost ${verdict.lost}, duplicated ${verdict.duplicated}, out of order ${verdict.outOfOrder}, ` +
      `wrong user ${verdict.wrongUser}, never committed ${verdict.phantom}\n  ${verdict.problems.join('\n  ')}`,
  );
}
