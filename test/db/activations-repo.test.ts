import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDatabase } from '../../electron/db/open.js';
import { openPostgresStore } from '../../electron/db/postgres.js';
import { postgresStore } from '../../electron/db/store-postgres.js';
import { sqliteStore } from '../../electron/db/store-sqlite.js';
import type { Store } from '../../electron/db/store.js';
import {
  describeTemplate,
  findActivation,
  findActivationByCodeHash,
  findActivationByName,
  findRegistration,
  findRegistrationByClientId,
  insertActivation,
  insertRegistration,
  listActivations,
  listRegistrations,
  releaseRegistrationSlot,
  reserveRegistrationSlot,
  revokeActivationRow,
  updateRegistrationRow,
} from '../../electron/repos/activations.repo.js';
import { tempDir } from '../support/core.js';
import { describePostgres, postgresScratch } from '../support/postgres.js';

/** activations.repo.ts: the same rows and the same answers on SQLite and on PostgreSQL (migration 0110). */

const T0 = Date.UTC(2026, 5, 1);
const TEMPLATE = { groupIds: [] as number[], mailboxIds: [] as number[], allowlist: ['10.0.0.0/8'], userExpiresAt: null, tokenLifetimeSeconds: 900 };

function contract(open: () => Promise<Store>) {
  let store: Store;
  let groupId: number;
  let userId: number;

  beforeAll(async () => {
    store = await open();
    await store.run("INSERT INTO resources (name) VALUES ('properties')");
    const resource = (await store.get<{ id: number }>("SELECT id FROM resources WHERE name = 'properties'"))!.id;
    await store.run("INSERT INTO resource_actions (resource_id, action) VALUES (?, 'read'), (?, 'write')", [resource, resource]);
    groupId = (await store.get<{ id: number }>("INSERT INTO groups (name, created_at, updated_at) VALUES ('Website', ?, ?) RETURNING id", [T0, T0]))!.id;
    await store.run("INSERT INTO group_api_rights (group_id, resource_id, action) VALUES (?, ?, 'read')", [groupId, resource]);
    userId = (await store.get<{ id: number }>(
      "INSERT INTO users (kind, name, created_at, created_by, updated_at) VALUES ('api', 'Acme CRM', ?, 'test', ?) RETURNING id",
      [T0, T0],
    ))!.id;
    await store.run("INSERT INTO credentials (client_id, user_id, created_at) VALUES ('keyrack-acme-crm', ?, ?)", [userId, T0]);
  });

  test('an activation: inserted, found by id, case-insensitive name and code hash, listed, described', async () => {
    const id = await store.transaction((tx) =>
      insertActivation(tx, {
        name: 'Acme',
        codeHash: 'hash-1',
        template: { ...TEMPLATE, groupIds: [groupId] },
        maxRegistrations: 2,
        requiresApproval: true,
        expiresAt: T0 + 7 * 86_400_000,
        createdAt: T0,
        createdBy: 'alice',
      }),
    );
    const found = await findActivation(store, id);
    expect(found).toEqual({
      id,
      name: 'Acme',
      codeHash: 'hash-1',
      template: { ...TEMPLATE, groupIds: [groupId] },
      maxRegistrations: 2,
      registrationsUsed: 0,
      requiresApproval: true,
      expiresAt: T0 + 7 * 86_400_000,
      createdAt: T0,
      createdBy: 'alice',
      revokedAt: null,
      revokedBy: null,
    });
    expect(await findActivationByName(store, 'ACME')).toEqual(found);
    expect(await findActivationByCodeHash(store, 'hash-1')).toEqual(found);
    expect(await findActivationByCodeHash(store, 'hash-2')).toBeUndefined();
    expect((await listActivations(store)).map((a) => a.name)).toEqual(['Acme']);
    expect(await describeTemplate(store, found!.template)).toEqual({ groups: [{ id: groupId, name: 'Website' }], mailboxes: [], scopes: ['properties:read'], filters: {} });
    // The name is unique whatever its case, on both engines.
    await expect(
      store.transaction((tx) => insertActivation(tx, { ...found!, name: 'acme', codeHash: 'hash-3' })),
    ).rejects.toThrow();
  });

  test('slots: reserved up to the maximum, given back, none once revoked or expired', async () => {
    const id = (await findActivationByName(store, 'Acme'))!.id;
    const reserve = (at = T0) => store.transaction((tx) => reserveRegistrationSlot(tx, id, at));
    expect(await reserve()).toBe(true);
    expect(await reserve()).toBe(true);
    expect(await reserve()).toBe(false);
    expect((await findActivation(store, id))!.registrationsUsed).toBe(2);
    await store.transaction((tx) => releaseRegistrationSlot(tx, id));
    expect((await findActivation(store, id))!.registrationsUsed).toBe(1);
    expect(await reserve(T0 + 7 * 86_400_000)).toBe(false); // expired at its instant
    expect(await store.transaction((tx) => revokeActivationRow(tx, id, T0 + 1, 'bob'))).toBe(true);
    expect(await store.transaction((tx) => revokeActivationRow(tx, id, T0 + 2, 'bob'))).toBe(false);
    expect(await reserve()).toBe(false);
    expect((await findActivation(store, id))!).toMatchObject({ registrationsUsed: 1, revokedAt: T0 + 1, revokedBy: 'bob' });
    // The CHECK holds the count within the maximum whatever a writer does.
    await expect(store.run('UPDATE activations SET registrations_used = 3 WHERE id = ?', [id])).rejects.toThrow();
  });

  test('a registration: inserted, found, filtered, updated; its user deleted leaves it with a null user', async () => {
    const activationId = (await findActivationByName(store, 'Acme'))!.id;
    const metadata = { clientName: 'Acme CRM', scope: ['properties:read'], contacts: ['ops@acme.example'], softwareId: 'acme', softwareVersion: '1', kids: [] };
    const id = await store.transaction((tx) =>
      insertRegistration(tx, {
        activationId,
        userId,
        clientId: 'keyrack-acme-crm',
        state: 'pending',
        authMethod: 'client_secret_basic',
        metadata,
        accessTokenHash: 'token-hash',
        sourceIp: '192.0.2.1',
        registeredAt: T0 + 5,
      }),
    );
    const found = await findRegistration(store, id);
    expect(found).toEqual({
      id,
      activationId,
      activationName: 'Acme',
      userId,
      userName: 'Acme CRM',
      clientId: 'keyrack-acme-crm',
      state: 'pending',
      authMethod: 'client_secret_basic',
      metadata,
      accessTokenHash: 'token-hash',
      sourceIp: '192.0.2.1',
      registeredAt: T0 + 5,
      updatedAt: T0 + 5,
      decidedAt: null,
      decidedBy: null,
    });
    expect(await findRegistrationByClientId(store, 'keyrack-acme-crm')).toEqual(found);
    expect((await listRegistrations(store, { state: 'pending' })).map((r) => r.id)).toEqual([id]);
    expect(await listRegistrations(store, { state: 'active' })).toEqual([]);
    expect((await listRegistrations(store, { activationId })).map((r) => r.id)).toEqual([id]);
    expect((await listRegistrations(store, {})).map((r) => r.id)).toEqual([id]);

    await store.transaction((tx) => updateRegistrationRow(tx, id, { state: 'active', decidedAt: T0 + 9, decidedBy: 'alice', updatedAt: T0 + 9 }));
    expect(await findRegistration(store, id)).toMatchObject({ state: 'active', decidedAt: T0 + 9, decidedBy: 'alice', updatedAt: T0 + 9, metadata });
    await expect(store.run("UPDATE client_registrations SET state = 'approved' WHERE id = ?", [id])).rejects.toThrow();

    await store.run('DELETE FROM users WHERE id = ?', [userId]);
    expect(await findRegistration(store, id)).toMatchObject({ userId: null, userName: null, clientId: 'keyrack-acme-crm' });
  });

}

describe('on SQLite', () => {
  const dir = tempDir('keyrack-activations-repo-');
  let store: Store | undefined;
  contract(async () => (store = sqliteStore(openDatabase(join(dir, 'keyrack.db')))));
  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });
});

describePostgres('on PostgreSQL', () => {
  const scratch = postgresScratch();
  contract(async () => postgresStore(scratch.keep(await openPostgresStore((await scratch.database()).url))));
});
