// The seed's link between a courier and a user (4.19): a Couriers item's code is the login of the
// courier's user. Both directions, in one place.

import type { StoreDb } from '../database/schema.js';
import { findItemByCode, getItem } from '../modules/catalogs/catalogs-service.js';
import type { CatalogItem } from '../modules/catalogs/catalog-definitions.js';
import { findUser, type StoreUser } from '../modules/users/users-service.js';

/**
 * The user who can be told about a courier's orders: the code's login, with the role Courier, not
 * blocked. `known`: the courier's item when the caller has just read it (posting has).
 */
export async function userOfCourier(
  db: StoreDb,
  courierId: string,
  known?: CatalogItem,
): Promise<StoreUser | undefined> {
  const courier = known ?? (await getItem(db, 'couriers', courierId).catch(() => undefined));
  if (!courier) return undefined;
  const user = await findUser(db, { login: courier.code });
  return user && user.roles.includes('Courier') && !user.blocked ? user : undefined;
}

/** The Couriers item of a user (its code is the user's login), if there is one. */
export function courierOfUser(db: StoreDb, login: string): Promise<CatalogItem | undefined> {
  return findItemByCode(db, 'couriers', login);
}
