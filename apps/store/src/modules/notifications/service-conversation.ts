// The hidden service conversation the couriers' notifications travel in (the seed's listing 4.12),
// and the membership operations that keep its participants equal to the couriers.

import { isVestnikError } from '@vestnik/protocol';
import type { Collab, CollabTransaction } from '@vestnik/collab';

/** The seed's constant key: "service conversation for couriers". */
export const serviceConversationKey = 'Служебное обсуждение для курьеров';
export const serviceConversation = { key: serviceConversationKey } as const;

/**
 * Collaboration systems whose database is known to hold the service conversation: conversations
 * are never deleted, so once seen it need not be looked up again (posting asks on every order).
 */
const known = new WeakSet<Collab>();

/** Creates the service conversation when it is missing; says whether it did. */
export async function ensureServiceConversation(collab: Collab): Promise<boolean> {
  if (known.has(collab)) return false;
  try {
    await collab.getConversation(serviceConversation);
    known.add(collab);
    return false;
  } catch (error) {
    if (!isVestnikError(error, 'CONVERSATION_NOT_FOUND')) throw error;
  }
  try {
    await collab.createConversation({
      key: serviceConversationKey,
      title: 'Couriers (service)',
      displayed: false,
    });
    known.add(collab);
    return true;
  } catch (error) {
    // Another node created it between our look and our write: it exists, which is all we need.
    if (isVestnikError(error, 'DUPLICATE_KEY')) {
      known.add(collab);
      return false;
    }
    throw error;
  }
}

/** The collaboration user of a store user, created when missing. */
export async function ensureCollabUser(
  tx: CollabTransaction,
  user: { id: string; name: string },
): Promise<{ collabUserId: string; created: boolean }> {
  const { user: collabUser, created } = await tx.ensureUser({
    externalId: user.id,
    name: user.name || user.id,
  });
  return { collabUserId: collabUser.id, created };
}

export async function joinServiceConversation(
  tx: CollabTransaction,
  collabUserIds: string[],
): Promise<number> {
  if (collabUserIds.length === 0) return 0;
  return tx.addParticipants(serviceConversation, collabUserIds);
}

export async function leaveServiceConversation(
  tx: CollabTransaction,
  collabUserIds: string[],
): Promise<string[]> {
  if (collabUserIds.length === 0) return [];
  return tx.removeParticipants(serviceConversation, collabUserIds);
}
