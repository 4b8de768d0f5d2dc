// A Redis bus for tests: brokers under one random prefix (channels and connection names), so that
// tests and engineers sharing the Redis server never hear each other, and only this bus's own
// connections are ever cut.

import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { BrokerBus } from '@vestnik/collab/testing';
import { redisUrl } from '@vestnik/testing';
import { createRedisBroker } from '../redis-broker.js';

export function newRedisPrefix(): string {
  return `vestnik-test-${randomBytes(6).toString('hex')}`;
}

export function redisBus(prefix = newRedisPrefix()): BrokerBus & { prefix: string } {
  let admin: Redis | undefined;
  const adminConnection = () => (admin ??= new Redis(redisUrl, { maxRetriesPerRequest: 3 }));
  return {
    prefix,
    connect: () => createRedisBroker({ url: redisUrl, prefix }),
    async injectRaw(conversationId, payload) {
      await adminConnection().publish(`${prefix}:conversation:${conversationId}`, payload);
    },
    async dropConnections() {
      const list = (await adminConnection().client('LIST')) as string;
      const ids = list
        .split('\n')
        .map((line) => ({ id: /\bid=(\d+)/.exec(line)?.[1], name: /\bname=(\S*)/.exec(line)?.[1] }))
        .filter((c) => c.id !== undefined && c.name?.startsWith(`${prefix}:`));
      if (ids.length === 0) throw new Error(`no connection named ${prefix}:* to cut`);
      for (const { id } of ids) await adminConnection().client('KILL', 'ID', id!);
    },
    async dispose() {
      admin?.disconnect();
      admin = undefined;
    },
  };
}
