// Membership follows roles: a store user has a collaboration user, and takes part in the service
// conversation exactly while they are a courier who is not blocked. Run after every change of a user.

import type { CollabTransaction } from '@vestnik/collab';
import type { StoreUser } from '../modules/users/users-service.js';
import {
  ensureCollabUser,
  joinServiceConversation,
  leaveServiceConversation,
} from '../modules/notifications/service-conversation.js';

export interface MembershipChange {
  collabUserId: string;
  userCreated: boolean;
  joined: boolean;
  left: boolean;
}

export function belongsToServiceConversation(user: StoreUser): boolean {
  return user.roles.includes('Courier') && !user.blocked;
}

/** Brings one user's collaboration user and membership in line; needs the service conversation. */
export async function syncMembership(tx: CollabTransaction, user: StoreUser): Promise<MembershipChange> {
  const { collabUserId, created } = await ensureCollabUser(tx, user);
  await tx.setUserBlocked(collabUserId, user.blocked);
  if (belongsToServiceConversation(user)) {
    const added = await joinServiceConversation(tx, [collabUserId]);
    return { collabUserId, userCreated: created, joined: added > 0, left: false };
  }
  const removed = await leaveServiceConversation(tx, [collabUserId]);
  return { collabUserId, userCreated: created, joined: false, left: removed.length > 0 };
}
