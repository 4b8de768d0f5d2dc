// Membership follows roles on SQLite and PostgreSQL: granting, taking away and blocking change
// the service conversation's participants at once (blocking also ends live subscriptions); the
// start-up command repairs and is idempotent.

import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { availableFixtures } from '../testing/storage-fixtures.js';
import type { StoreApp } from '../app.js';
import { serviceConversation } from '../modules/notifications/service-conversation.js';
import { findUser } from '../modules/users/users-service.js';
import { buildTestStore, loginAs } from '../testing/store-harness.js';
import { createUserWorkflow, updateUserWorkflow } from './manage-users.js';
import { startCollaboration } from './start-collab.js';

const fixtures = await availableFixtures();

describe.each(fixtures)('membership on $name', (fixture) => {
  let store: StoreApp;

  beforeEach(async () => {
    store = await buildTestStore(fixture);
  });
  afterEach(async () => store.app.close());
  afterAll(async () => fixture.dispose());

  const participants = async () => {
    const ids = await store.ctx.collab.getParticipants(serviceConversation);
    const logins: string[] = [];
    for (const id of ids) {
      const user = await findUser(store.ctx.db, { id: (await store.ctx.collab.getUser(id)).externalId });
      logins.push(user?.login ?? id);
    }
    return logins.sort();
  };

  it('runs the start-up command once with effect, then changes nothing', async () => {
    // Users made before the collaboration system exists: the command must catch up with them.
    const admin = await createUserWorkflow(store.ctx, {
      login: 'admin',
      name: 'A',
      password: 'password1',
      roles: ['Administrator'],
    });
    const courier = await createUserWorkflow(store.ctx, {
      login: 'c1',
      name: 'C',
      password: 'password1',
      roles: ['Courier'],
    });
    expect(await store.ctx.collab.isRegistered()).toBe(false);
    const first = await startCollaboration(store.ctx);
    expect(first).toMatchObject({
      registered: true,
      conversationCreated: true,
      changed: true,
      participantsRemoved: [],
    });
    expect(first.usersCreated.map((u) => u.login).sort()).toEqual(['admin', 'c1']);
    expect(first.participantsAdded).toEqual([{ userId: courier.id, login: 'c1' }]);
    expect(await participants()).toEqual(['c1']);
    const conversation = await store.ctx.collab.getConversation(serviceConversation);
    expect(conversation.displayed).toBe(false);

    const second = await startCollaboration(store.ctx);
    expect(second).toEqual({
      registered: false,
      conversationCreated: false,
      usersCreated: [],
      participantsAdded: [],
      participantsRemoved: [],
      changed: false,
    });
    expect(await participants()).toEqual(['c1']);

    // Something went wrong behind its back: a courier removed, a non-courier added. It repairs both.
    const courierCollab = await store.ctx.collab.getUserIdByExternalId(courier.id);
    const adminCollab = await store.ctx.collab.getUserIdByExternalId(admin.id);
    await store.ctx.collab.removeParticipants(serviceConversation, [courierCollab]);
    await store.ctx.collab.addParticipants(serviceConversation, [adminCollab]);
    const repair = await startCollaboration(store.ctx);
    expect(repair).toMatchObject({
      changed: true,
      participantsAdded: [{ login: 'c1' }],
      participantsRemoved: [{ login: 'admin' }],
    });
    expect(await participants()).toEqual(['c1']);
    expect((await startCollaboration(store.ctx)).changed).toBe(false);
  });

  it('joins a user to the service conversation when given the Courier role, and removes them when it is taken away or they are blocked', async () => {
    await startCollaboration(store.ctx);
    const admin = await createUserWorkflow(store.ctx, {
      login: 'admin',
      name: 'A',
      password: 'password1',
      roles: ['Administrator'],
    });
    const user = await createUserWorkflow(store.ctx, {
      login: 'newbie',
      name: 'N',
      password: 'password1',
      roles: ['Manager'],
    });
    expect(await participants()).toEqual([]);
    await updateUserWorkflow(store.ctx, admin, user.id, { roles: ['Manager', 'Courier'] });
    expect(await participants()).toEqual(['newbie']);
    await updateUserWorkflow(store.ctx, admin, user.id, { roles: ['Manager'] });
    expect(await participants()).toEqual([]);
    await updateUserWorkflow(store.ctx, admin, user.id, { roles: ['Courier'] });
    await createUserWorkflow(store.ctx, {
      login: 'born-courier',
      name: 'B',
      password: 'password1',
      roles: ['Courier'],
    });
    expect(await participants()).toEqual(['born-courier', 'newbie']);
    await updateUserWorkflow(store.ctx, admin, user.id, { blocked: true });
    expect(await participants()).toEqual(['born-courier']);
    expect((await startCollaboration(store.ctx)).changed).toBe(false);
  });

  it('ends a blocked courier’s live subscription with USER_BLOCKED at once', async () => {
    await startCollaboration(store.ctx);
    const admin = await createUserWorkflow(store.ctx, {
      login: 'admin',
      name: 'A',
      password: 'password1',
      roles: ['Administrator'],
    });
    const courier = await createUserWorkflow(store.ctx, {
      login: 'c1',
      name: 'C',
      password: 'password1',
      roles: ['Courier'],
    });
    const ended: string[] = [];
    await store.ctx.collab.subscribe({
      conversation: serviceConversation,
      asUser: await store.ctx.collab.getUserIdByExternalId(courier.id),
      onMessage: () => {},
      onEnd: (error) => ended.push(error.code),
    });
    await updateUserWorkflow(store.ctx, admin, courier.id, { blocked: true });
    for (let i = 0; i < 250 && ended.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(ended).toEqual(['USER_BLOCKED']);
  });

  it('does the same through the HTTP API, for administrators only', async () => {
    await startCollaboration(store.ctx);
    await createUserWorkflow(store.ctx, {
      login: 'admin',
      name: 'A',
      password: 'admin-pass',
      roles: ['Administrator'],
    });
    const admin = await loginAs(store, 'admin');
    const created = await admin.call('POST', '/api/users', {
      login: 'Rider',
      name: 'R',
      password: 'rider-pass',
      roles: ['Courier'],
    });
    expect(created.statusCode).toBe(201);
    const rider = created.json<{ id: string; login: string; collabUserId: string }>();
    expect(rider.login).toBe('rider');
    expect(await participants()).toEqual(['rider']);
    const courierClient = await loginAs(store, 'rider');
    expect((await courierClient.call('GET', '/api/users')).statusCode).toBe(403);
    const demoted = await admin.call('PUT', `/api/users/${rider.id}`, { roles: ['Manager'] });
    expect(demoted.json()).toMatchObject({ roles: ['Manager'] });
    expect(await participants()).toEqual([]);
    const duplicate = await admin.call('POST', '/api/users', {
      login: 'rider',
      name: 'R',
      password: 'rider-pass',
      roles: [],
    });
    expect(duplicate.json()).toMatchObject({ code: 'DUPLICATE_KEY', details: { field: 'login' } });
    const self = await admin.call(
      'PUT',
      `/api/users/${(await findUser(store.ctx.db, { login: 'admin' }))!.id}`,
      { blocked: true },
    );
    expect(self.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    const report = await admin.call('POST', '/api/admin/collab/start');
    expect(report.json()).toMatchObject({ changed: false });
    const status = (await admin.call('GET', '/api/admin/status')).json<unknown>();
    expect(status).toMatchObject({
      registered: true,
      needsRepair: false,
      serviceConversation: { exists: true, participants: 0 },
    });
  });
});
