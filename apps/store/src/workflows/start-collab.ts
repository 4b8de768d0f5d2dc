// The administrator's command "Start working with the collaboration system" (the seed's 4.10-4.11),
// kept as an idempotent repair: register, a collaboration user for every store user, the service
// conversation, couriers in it and nobody else. It reports what it created or fixed.

import { isVestnikError } from '@vestnik/protocol';
import { allUsers } from '../modules/users/users-service.js';
import {
  ensureCollabUser,
  ensureServiceConversation,
  joinServiceConversation,
  leaveServiceConversation,
  serviceConversation,
} from '../modules/notifications/service-conversation.js';
import type { StoreTables } from '../database/schema.js';
import type { StoreContext } from './context.js';
import { belongsToServiceConversation } from './sync-membership.js';

export interface StartReport {
  registered: boolean;
  usersCreated: Array<{ userId: string; login: string; collabUserId: string }>;
  conversationCreated: boolean;
  participantsAdded: Array<{ userId: string; login: string }>;
  participantsRemoved: Array<{ userId: string; login: string }>;
  changed: boolean;
}

export async function startCollaboration(ctx: StoreContext): Promise<StartReport> {
  const { collab } = ctx;
  let registered = false;
  if (!(await collab.isRegistered())) {
    try {
      await collab.register({ applicationName: ctx.applicationName });
      registered = true;
    } catch (error) {
      // Another node registered it a moment ago: the state we want.
      if (!isVestnikError(error, 'ALREADY_REGISTERED')) throw error;
    }
  }
  const conversationCreated = await ensureServiceConversation(collab);
  const current = new Set(await collab.getParticipants(serviceConversation));

  const report = await collab.transaction(async (tx) => {
    const db = tx.db.withTables<StoreTables>();
    const usersCreated: StartReport['usersCreated'] = [];
    const participantsAdded: StartReport['participantsAdded'] = [];
    const byCollabId = new Map<string, { userId: string; login: string }>();
    const wanted = new Set<string>();
    for (const user of await allUsers(db)) {
      const { collabUserId, created } = await ensureCollabUser(tx, user);
      byCollabId.set(collabUserId, { userId: user.id, login: user.login });
      if (created) usersCreated.push({ userId: user.id, login: user.login, collabUserId });
      if (belongsToServiceConversation(user)) {
        wanted.add(collabUserId);
        if (!current.has(collabUserId)) participantsAdded.push({ userId: user.id, login: user.login });
      }
    }
    await joinServiceConversation(
      tx,
      [...wanted].filter((id) => !current.has(id)),
    );
    const removed = await leaveServiceConversation(
      tx,
      [...current].filter((id) => !wanted.has(id)),
    );
    const participantsRemoved = removed.map((id) => byCollabId.get(id) ?? { userId: id, login: '' });
    return { usersCreated, participantsAdded, participantsRemoved };
  });
  const changed =
    registered ||
    conversationCreated ||
    report.usersCreated.length + report.participantsAdded.length + report.participantsRemoved.length > 0;
  return { registered, conversationCreated, ...report, changed };
}
