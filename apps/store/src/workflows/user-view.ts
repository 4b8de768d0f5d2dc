// A store user as the API shows it: with the linked Couriers item and collaboration user.

import { isVestnikError } from '@vestnik/protocol';
import type { StoreDb } from '../database/schema.js';
import type { StoreUser } from '../modules/users/users-service.js';
import type { StoreContext } from './context.js';
import { courierOfUser } from './courier-directory.js';

export interface UserView extends StoreUser {
  courierId: string | null;
  collabUserId: string | null;
}

export async function collabUserIdOf(ctx: StoreContext, userId: string): Promise<string | null> {
  if (!(await ctx.collab.isRegistered())) return null;
  try {
    return await ctx.collab.getUserIdByExternalId(userId);
  } catch (error) {
    if (isVestnikError(error, 'USER_NOT_FOUND') || isVestnikError(error, 'NOT_REGISTERED')) return null;
    throw error;
  }
}

export async function userView(ctx: StoreContext, db: StoreDb, user: StoreUser): Promise<UserView> {
  const [courier, collabUserId] = await Promise.all([
    courierOfUser(db, user.login),
    collabUserIdOf(ctx, user.id),
  ]);
  return { ...user, courierId: courier?.id ?? null, collabUserId };
}
