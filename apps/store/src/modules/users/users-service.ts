// Store users and their roles: create, read, change, and check a login's password.

import { randomUUID } from 'node:crypto';
import { VestnikError } from '@vestnik/protocol';
import { classifyStorageError, runCompiled } from '@vestnik/collab';
import type { Role, StoreDb } from '../../database/schema.js';
import { decoyHash, hashPassword, verifyPassword } from './password.js';

export interface StoreUser {
  id: string;
  login: string;
  name: string;
  roles: Role[];
  blocked: boolean;
}

export interface NewUser {
  login: string;
  name: string;
  password: string;
  roles: Role[];
}

export interface UserChange {
  name?: string;
  password?: string;
  roles?: Role[];
  blocked?: boolean;
}

const roleOrder: Role[] = ['Administrator', 'Manager', 'Courier'];
const sortRoles = (list: Role[]) => roleOrder.filter((role) => list.includes(role));

function loginTaken(login: string): VestnikError {
  return new VestnikError('DUPLICATE_KEY', `The login "${login}" is already taken.`, {
    field: 'login',
    value: login,
  });
}

export function normalizeLogin(login: string): string {
  return login.trim().toLowerCase();
}

async function rolesOf(db: StoreDb, userIds: string[]): Promise<Map<string, Role[]>> {
  const result = new Map<string, Role[]>(userIds.map((id) => [id, []]));
  if (userIds.length === 0) return result;
  // A list of one user's roles (a page of the users list can be one user): compiled once.
  const rows =
    userIds.length === 1
      ? (
          await runCompiled(db, 'store.rolesOfUser', userIds, (userId) =>
            db.selectFrom('store_user_roles').selectAll().where('user_id', '=', userId!),
          )
        ).rows
      : await db.selectFrom('store_user_roles').selectAll().where('user_id', 'in', userIds).execute();
  for (const row of rows) result.get(row.user_id)?.push(row.role);
  for (const [id, list] of result) result.set(id, sortRoles(list));
  return result;
}

type UserRow = { id: string; login: string; name: string; blocked: number };

async function withRoles(db: StoreDb, rows: UserRow[]): Promise<StoreUser[]> {
  const roles = await rolesOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    id: r.id,
    login: r.login,
    name: r.name,
    roles: roles.get(r.id) ?? [],
    blocked: r.blocked === 1,
  }));
}

const columns = ['id', 'login', 'name', 'blocked'] as const;

/** A user's row joined to its roles: one row per role, or one with a null role when it has none. */
export type UserRoleRow = UserRow & { role: Role | null };

/** The user of rows read with their roles joined (all rows of one user), or undefined for none. */
export function userOfRoleRows(rows: readonly UserRoleRow[]): StoreUser | undefined {
  const first = rows[0];
  if (first === undefined) return undefined;
  const roles = rows.flatMap((row) => (row.role === null ? [] : [row.role]));
  return {
    id: first.id,
    login: first.login,
    name: first.name,
    roles: sortRoles(roles),
    blocked: first.blocked === 1,
  };
}

/** `store_users` left-joined to its roles, with the columns `userOfRoleRows` takes. */
function usersWithRoles(db: StoreDb) {
  return db
    .selectFrom('store_users as u')
    .leftJoin('store_user_roles as r', 'r.user_id', 'u.id')
    .select(['u.id', 'u.login', 'u.name', 'u.blocked', 'r.role']);
}

export async function findUser(
  db: StoreDb,
  by: { id: string } | { login: string },
): Promise<StoreUser | undefined> {
  // Compiled once, user and roles in one statement: every posting reads its courier's user.
  const { rows } =
    'id' in by
      ? await runCompiled(db, 'store.userById', [by.id], (id) => usersWithRoles(db).where('u.id', '=', id!))
      : await runCompiled(db, 'store.userByLogin', [normalizeLogin(by.login)], (login) =>
          usersWithRoles(db).where('u.login', '=', login!),
        );
  return userOfRoleRows(rows);
}

export async function getUser(db: StoreDb, id: string): Promise<StoreUser> {
  const user = await findUser(db, { id });
  if (!user) throw new VestnikError('NOT_FOUND', 'No such user.', { id });
  return user;
}

export async function listUsers(
  db: StoreDb,
  query: { search?: string; limit: number; offset: number },
): Promise<{ items: StoreUser[]; total: number }> {
  let base = db.selectFrom('store_users');
  if (query.search) {
    const pattern = `%${query.search.toLowerCase().replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    base = base.where((eb) =>
      eb.or([eb('login', 'like', pattern), eb(eb.fn('lower', ['name']), 'like', pattern)]),
    );
  }
  const total = Number((await base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const rows = await base.select(columns).orderBy('login').limit(query.limit).offset(query.offset).execute();
  return { items: await withRoles(db, rows), total };
}

/** Every user, for the start-up command. */
export async function allUsers(db: StoreDb): Promise<StoreUser[]> {
  return withRoles(db, await db.selectFrom('store_users').select(columns).orderBy('login').execute());
}

export async function countUsers(db: StoreDb): Promise<number> {
  return Number(
    (
      await db
        .selectFrom('store_users')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
}

export async function createUser(db: StoreDb, input: NewUser): Promise<StoreUser> {
  const login = normalizeLogin(input.login);
  if (await findUser(db, { login })) throw loginTaken(login);
  const now = Date.now();
  const id = randomUUID();
  try {
    await db
      .insertInto('store_users')
      .values({
        id,
        login,
        name: input.name.trim(),
        password_hash: await hashPassword(input.password),
        blocked: 0,
        created_at: now,
        updated_at: now,
      })
      .execute();
  } catch (error) {
    if (classifyStorageError(error) === 'unique-violation') throw loginTaken(login);
    throw error;
  }
  await setRoles(db, id, input.roles);
  return getUser(db, id);
}

async function setRoles(db: StoreDb, userId: string, list: Role[]): Promise<void> {
  await db.deleteFrom('store_user_roles').where('user_id', '=', userId).execute();
  const unique = sortRoles(list);
  if (unique.length > 0) {
    await db
      .insertInto('store_user_roles')
      .values(unique.map((role) => ({ user_id: userId, role })))
      .execute();
  }
}

export async function updateUser(db: StoreDb, id: string, change: UserChange): Promise<StoreUser> {
  await getUser(db, id);
  await db
    .updateTable('store_users')
    .set({
      updated_at: Date.now(),
      ...(change.name === undefined ? {} : { name: change.name.trim() }),
      ...(change.blocked === undefined ? {} : { blocked: change.blocked ? 1 : 0 }),
      ...(change.password === undefined ? {} : { password_hash: await hashPassword(change.password) }),
    })
    .where('id', '=', id)
    .execute();
  if (change.roles !== undefined) await setRoles(db, id, change.roles);
  return getUser(db, id);
}

/** The user whose login and password these are, or undefined; takes as long either way. */
export async function checkCredentials(
  db: StoreDb,
  login: string,
  password: string,
): Promise<StoreUser | undefined> {
  const row = await db
    .selectFrom('store_users')
    .select(['id', 'password_hash'])
    .where('login', '=', normalizeLogin(login))
    .executeTakeFirst();
  const ok = await verifyPassword(password, row?.password_hash ?? decoyHash);
  return ok && row ? findUser(db, { id: row.id }) : undefined;
}
