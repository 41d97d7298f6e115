import type { Queryable } from '../db/store.js';
import type { RegistrationAuthMethod, RegistrationState } from '../../shared/activations.dto.js';
import { combineRights, type EffectiveRightsParts } from '../../shared/rights.js';

/**
 * Activations and the registrations made with them (migration 0110), on the Store port: the same SQL on
 * SQLite and PostgreSQL. Adding a column: also update rowToActivation / rowToRegistration.
 */

/** What an activation's template holds, as stored (JSON): ids, canonical allowlist entries, numbers. */
export interface StoredTemplate {
  groupIds: number[];
  mailboxIds: number[];
  allowlist: string[];
  userExpiresAt: number | null;
  tokenLifetimeSeconds: number | null;
}

export interface ActivationRecord {
  id: number;
  name: string;
  codeHash: string;
  template: StoredTemplate;
  maxRegistrations: number;
  registrationsUsed: number;
  requiresApproval: boolean;
  expiresAt: number;
  createdAt: number;
  createdBy: string;
  revokedAt: number | null;
  revokedBy: string | null;
}

interface ActivationRow {
  id: number;
  name: string;
  code_hash: string;
  template: string;
  max_registrations: number;
  registrations_used: number;
  requires_approval: number;
  expires_at: number;
  created_at: number;
  created_by: string;
  revoked_at: number | null;
  revoked_by: string | null;
}

function rowToActivation(r: ActivationRow): ActivationRecord {
  return {
    id: r.id,
    name: r.name,
    codeHash: r.code_hash,
    template: JSON.parse(r.template) as StoredTemplate,
    maxRegistrations: r.max_registrations,
    registrationsUsed: r.registrations_used,
    requiresApproval: r.requires_approval === 1,
    expiresAt: r.expires_at,
    createdAt: r.created_at,
    createdBy: r.created_by,
    revokedAt: r.revoked_at,
    revokedBy: r.revoked_by,
  };
}

export async function insertActivation(
  q: Queryable,
  a: Omit<ActivationRecord, 'id' | 'registrationsUsed' | 'revokedAt' | 'revokedBy'>,
): Promise<number> {
  const row = await q.get<{ id: number }>(
    `INSERT INTO activations (name, code_hash, template, max_registrations, requires_approval, expires_at, created_at, created_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    [a.name, a.codeHash, JSON.stringify(a.template), a.maxRegistrations, a.requiresApproval ? 1 : 0, a.expiresAt, a.createdAt, a.createdBy],
  );
  return row!.id;
}

export async function findActivation(q: Queryable, id: number): Promise<ActivationRecord | undefined> {
  const row = await q.get<ActivationRow>('SELECT * FROM activations WHERE id = ?', [id]);
  return row && rowToActivation(row);
}

/** By name, case-insensitively (the names are unique that way: NOCASE on SQLite, lower(name) on PostgreSQL). */
export async function findActivationByName(q: Queryable, name: string): Promise<ActivationRecord | undefined> {
  const row = await q.get<ActivationRow>('SELECT * FROM activations WHERE lower(name) = lower(?)', [name]);
  return row && rowToActivation(row);
}

export async function findActivationByCodeHash(q: Queryable, codeHash: string): Promise<ActivationRecord | undefined> {
  const row = await q.get<ActivationRow>('SELECT * FROM activations WHERE code_hash = ?', [codeHash]);
  return row && rowToActivation(row);
}

/** Newest first. */
export async function listActivations(q: Queryable): Promise<ActivationRecord[]> {
  return (await q.all<ActivationRow>('SELECT * FROM activations ORDER BY created_at DESC, id DESC')).map(rowToActivation);
}

/**
 * Takes one registration slot if the activation still accepts one at `now` (not revoked, not expired, not
 * used up): one statement, so two registrations racing for the last slot cannot both get it. False: none.
 */
export async function reserveRegistrationSlot(q: Queryable, id: number, now: number): Promise<boolean> {
  const result = await q.run(
    `UPDATE activations SET registrations_used = registrations_used + 1
     WHERE id = ? AND revoked_at IS NULL AND expires_at > ? AND registrations_used < max_registrations`,
    [id, now],
  );
  return result.changes === 1;
}

/** Gives a reserved slot back (the API user could not be created). */
export async function releaseRegistrationSlot(q: Queryable, id: number): Promise<void> {
  await q.run('UPDATE activations SET registrations_used = registrations_used - 1 WHERE id = ? AND registrations_used > 0', [id]);
}

export async function revokeActivationRow(q: Queryable, id: number, now: number, by: string): Promise<boolean> {
  const result = await q.run('UPDATE activations SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL', [now, by, id]);
  return result.changes === 1;
}

/** The names of the template's groups and mailboxes, and the scopes and filters its groups give now. */
export async function describeTemplate(
  q: Queryable,
  t: StoredTemplate,
): Promise<{ groups: { id: number; name: string }[]; mailboxes: { id: number; address: string }[] } & EffectiveRightsParts> {
  const groupIn = placeholders(t.groupIds);
  const groups = t.groupIds.length
    ? await q.all<{ id: number; name: string }>(`SELECT id, name FROM groups WHERE id IN (${groupIn}) ORDER BY name`, t.groupIds)
    : [];
  const mailboxes = t.mailboxIds.length
    ? await q.all<{ id: number; address: string }>(
        `SELECT id, address FROM mailboxes WHERE id IN (${placeholders(t.mailboxIds)}) ORDER BY address`,
        t.mailboxIds,
      )
    : [];
  const rights = t.groupIds.length
    ? await q.all<{ resource: string; action: string }>(
        `SELECT DISTINCT r.name AS resource, gr.action FROM group_api_rights gr JOIN resources r ON r.id = gr.resource_id
         WHERE gr.group_id IN (${groupIn})`,
        t.groupIds,
      )
    : [];
  const filters = t.groupIds.length
    ? await q.all<{ resource: string; name: string }>(
        `SELECT DISTINCT r.name AS resource, f.name FROM group_record_filters gf JOIN record_filters f ON f.id = gf.filter_id
         JOIN resources r ON r.id = f.resource_id WHERE gf.group_id IN (${groupIn})`,
        t.groupIds,
      )
    : [];
  return { groups, mailboxes, ...combineRights(rights, filters) };
}

const placeholders = (values: readonly unknown[]) => values.map(() => '?').join(', ');

// --- registrations ---------------------------------------------------------------------------------

/** What a registration keeps of the client metadata it was sent (RFC 7591 §2), beside the columns. */
export interface RegistrationMetadata {
  clientName: string;
  /** null: everything the template gives. */
  scope: string[] | null;
  contacts: string[];
  softwareId: string | null;
  softwareVersion: string | null;
  /** The kids of the keys registered through `jwks` (private_key_jwt). */
  kids: string[];
}

export interface RegistrationRecord {
  id: number;
  activationId: number;
  activationName: string;
  userId: number | null;
  userName: string | null;
  clientId: string;
  state: RegistrationState;
  authMethod: RegistrationAuthMethod;
  metadata: RegistrationMetadata;
  accessTokenHash: string;
  sourceIp: string | null;
  registeredAt: number;
  updatedAt: number;
  decidedAt: number | null;
  decidedBy: string | null;
}

interface RegistrationRow {
  id: number;
  activation_id: number;
  activation_name: string;
  user_id: number | null;
  user_name: string | null;
  client_id: string;
  state: RegistrationState;
  auth_method: RegistrationAuthMethod;
  metadata: string;
  access_token_hash: string;
  source_ip: string | null;
  registered_at: number;
  updated_at: number;
  decided_at: number | null;
  decided_by: string | null;
}

function rowToRegistration(r: RegistrationRow): RegistrationRecord {
  return {
    id: r.id,
    activationId: r.activation_id,
    activationName: r.activation_name,
    userId: r.user_id,
    userName: r.user_name,
    clientId: r.client_id,
    state: r.state,
    authMethod: r.auth_method,
    metadata: JSON.parse(r.metadata) as RegistrationMetadata,
    accessTokenHash: r.access_token_hash,
    sourceIp: r.source_ip,
    registeredAt: r.registered_at,
    updatedAt: r.updated_at,
    decidedAt: r.decided_at,
    decidedBy: r.decided_by,
  };
}

const SELECT_REGISTRATION = `SELECT cr.*, a.name AS activation_name, u.name AS user_name FROM client_registrations cr
  JOIN activations a ON a.id = cr.activation_id LEFT JOIN users u ON u.id = cr.user_id`;

export async function insertRegistration(
  q: Queryable,
  r: Omit<RegistrationRecord, 'id' | 'activationName' | 'userName' | 'updatedAt' | 'decidedAt' | 'decidedBy'>,
): Promise<number> {
  const row = await q.get<{ id: number }>(
    `INSERT INTO client_registrations (activation_id, user_id, client_id, state, auth_method, metadata, access_token_hash,
       source_ip, registered_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    [
      r.activationId,
      r.userId,
      r.clientId,
      r.state,
      r.authMethod,
      JSON.stringify(r.metadata),
      r.accessTokenHash,
      r.sourceIp,
      r.registeredAt,
      r.registeredAt,
    ],
  );
  return row!.id;
}

export async function findRegistration(q: Queryable, id: number): Promise<RegistrationRecord | undefined> {
  const row = await q.get<RegistrationRow>(`${SELECT_REGISTRATION} WHERE cr.id = ?`, [id]);
  return row && rowToRegistration(row);
}

export async function findRegistrationByClientId(q: Queryable, clientId: string): Promise<RegistrationRecord | undefined> {
  const row = await q.get<RegistrationRow>(`${SELECT_REGISTRATION} WHERE cr.client_id = ?`, [clientId]);
  return row && rowToRegistration(row);
}

/** Newest first; filtered by activation and state when given. */
export async function listRegistrations(
  q: Queryable,
  filter: { activationId?: number | undefined; state?: RegistrationState | undefined },
): Promise<RegistrationRecord[]> {
  // Conditions only for the filters given: PostgreSQL cannot type a bare `? IS NULL`.
  const where: string[] = [];
  const params: (number | string)[] = [];
  if (filter.activationId !== undefined) {
    where.push('cr.activation_id = ?');
    params.push(filter.activationId);
  }
  if (filter.state !== undefined) {
    where.push('cr.state = ?');
    params.push(filter.state);
  }
  const rows = await q.all<RegistrationRow>(
    `${SELECT_REGISTRATION} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY cr.registered_at DESC, cr.id DESC`,
    params,
  );
  return rows.map(rowToRegistration);
}

export async function updateRegistrationRow(
  q: Queryable,
  id: number,
  patch: {
    state?: RegistrationState;
    authMethod?: RegistrationAuthMethod;
    metadata?: RegistrationMetadata;
    decidedAt?: number;
    decidedBy?: string;
    updatedAt: number;
  },
): Promise<void> {
  await q.run(
    `UPDATE client_registrations SET state = coalesce(?, state), auth_method = coalesce(?, auth_method),
       metadata = coalesce(?, metadata), decided_at = coalesce(?, decided_at), decided_by = coalesce(?, decided_by), updated_at = ?
     WHERE id = ?`,
    [
      patch.state ?? null,
      patch.authMethod ?? null,
      patch.metadata ? JSON.stringify(patch.metadata) : null,
      patch.decidedAt ?? null,
      patch.decidedBy ?? null,
      patch.updatedAt,
      id,
    ],
  );
}
