// Several in-process collaboration nodes over the private PostgreSQL and Redis: the core's own
// delivery path (storage, broker, feeds) under faults, without a network transport in between.

import { randomBytes } from 'node:crypto';
import { createRedisBroker } from '@vestnik/broker-redis';
import { createCollab, type Collab, type Message } from '@vestnik/collab';
import { createPostgresStorage } from '@vestnik/storage-postgres';
import type { ReceivedBy } from './delivery-check.js';

export interface CollabCluster {
  nodes: Collab[];
  conversationId: string;
  userIds: string[];
  subscribers: ReceivedBy[];
  /** Every message of the conversation as storage has it (read through node 0). */
  committed(): Promise<Message[]>;
  close(): Promise<void>;
}

export async function startCollabCluster(options: {
  postgresUrl: string;
  redisUrl: string;
  nodes: number;
  users: number;
}): Promise<CollabCluster> {
  const tag = randomBytes(4).toString('hex');
  const schema = `chaos_${tag}`;
  const nodes: Collab[] = [];
  for (let i = 0; i < options.nodes; i++) {
    nodes.push(
      await createCollab({
        storage: createPostgresStorage({ url: options.postgresUrl, schema, poolSize: 4 }),
        broker: createRedisBroker({ url: options.redisUrl, prefix: `chaos-${tag}` }),
        // Faults make the core report errors it recovers from; the verdict is in the deliveries.
        onError: () => {},
      }),
    );
  }
  const first = nodes[0]!;
  await first.register({ applicationName: `chaos-${tag}` });
  const userIds: string[] = [];
  for (let i = 0; i < options.users; i++) {
    userIds.push((await first.createUser({ externalId: `user-${i}`, name: `Пользователь ${i}` })).id);
  }
  const conversation = await first.createConversation({
    key: `chaos ${tag}`,
    displayed: false,
    participants: userIds,
  });
  const subscribers: ReceivedBy[] = [];
  for (const [n, node] of nodes.entries()) {
    for (const userId of userIds) {
      const received: Message[] = [];
      subscribers.push({ name: `node ${n} user ${userId}`, userId, after: 0, received });
      await node.subscribe({
        conversation: { id: conversation.id },
        asUser: userId,
        since: 0,
        onMessage: (message) => received.push(message),
      });
    }
  }
  return {
    nodes,
    conversationId: conversation.id,
    userIds,
    subscribers,
    async committed() {
      const all: Message[] = [];
      // Read as each user and merge: history is filtered per user, and every message has a reader.
      const seen = new Set<string>();
      for (const userId of userIds) {
        let after = 0;
        for (;;) {
          const page = await first.readHistory({
            conversation: { id: conversation.id },
            asUser: userId,
            after,
          });
          for (const message of page.messages) {
            if (seen.has(message.id)) continue;
            seen.add(message.id);
            all.push(message);
          }
          if (!page.hasMore) break;
          after = page.messages.at(-1)?.seq ?? after;
        }
      }
      return all.sort((a, b) => a.seq - b.seq);
    },
    async close() {
      for (const node of nodes) await node.close().catch(() => {});
    },
  };
}
