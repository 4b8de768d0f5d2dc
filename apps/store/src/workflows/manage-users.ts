// Creating and changing store users, with what follows from it: membership in the service
// conversation follows the Courier role, and a blocked user's sessions end.

import { storeErrors } from '../errors.js';
import { closeUserSessions } from '../modules/users/sessions-service.js';
import {
  createUser,
  getUser,
  updateUser,
  type NewUser,
  type StoreUser,
  type UserChange,
} from '../modules/users/users-service.js';
import { ensureServiceConversation } from '../modules/notifications/service-conversation.js';
import { inStoreTransaction, type StoreContext } from './context.js';
import { syncMembership } from './sync-membership.js';

async function prepare(ctx: StoreContext): Promise<void> {
  if (await ctx.collab.isRegistered()) await ensureServiceConversation(ctx.collab);
}

export async function createUserWorkflow(ctx: StoreContext, input: NewUser): Promise<StoreUser> {
  await prepare(ctx);
  return inStoreTransaction(ctx, async (db, tx) => {
    const user = await createUser(db, input);
    if (tx) await syncMembership(tx, user);
    return user;
  });
}

export async function updateUserWorkflow(
  ctx: StoreContext,
  actor: { id: string },
  id: string,
  change: UserChange,
): Promise<StoreUser> {
  if (actor.id === id) {
    const problems = [
      ...(change.roles && !change.roles.includes('Administrator')
        ? [{ path: 'roles', message: 'You cannot take the role Administrator from yourself.' }]
        : []),
      ...(change.blocked ? [{ path: 'blocked', message: 'You cannot block yourself.' }] : []),
    ];
    if (problems.length > 0) {
      throw storeErrors.error('VALIDATION_FAILED', problems.map((p) => p.message).join(' '), { problems });
    }
  }
  await prepare(ctx);
  return inStoreTransaction(ctx, async (db, tx) => {
    await getUser(db, id);
    const user = await updateUser(db, id, change);
    if (change.blocked === true || (change.password !== undefined && actor.id !== id)) {
      await closeUserSessions(db, id);
    }
    if (tx) await syncMembership(tx, user);
    return user;
  });
}
