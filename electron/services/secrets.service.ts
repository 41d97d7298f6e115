import type { ParsedInputOf } from '../../shared/contract.js';
import type { NewSecret, SecretInfo } from '../../shared/dto.js';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors.js';
import { secretState } from '../../shared/liveness.js';
import type { Queryable } from '../db/store.js';
import { generateClientSecret } from '../crypto/secrets.js';
import {
  findClientIdOfUser,
  findSecret,
  insertSecret,
  listLiveSecretsOfUser,
  listSecretsOfUser,
  revokeSecretRow,
  setSecretExpiry,
  type SecretRecord,
} from '../repos/credentials.repo.js';
import type { UserRecord } from '../repos/users.repo.js';
import { requireApiUser } from './require-api-user.js';
import { recordEvent } from './audit.js';
import { authorize } from './authorize.js';
import type { Actor, ServiceDeps } from './context.js';

/** Enough for rotation overlap and a spare; more live secrets only widen what can leak. */
export const MAX_LIVE_SECRETS = 5;

export interface SecretChangeListener {
  /** Called after a secret stops working early (revoked, or its grace cut short): caches drop it. */
  (userId: number): void;
}

/** Client secrets of API users: add, rotate without downtime, revoke, list with last use. */
export class SecretsService {
  private readonly listeners = new Set<SecretChangeListener>();

  constructor(private readonly deps: ServiceDeps) {}

  onSecretInvalidated(listener: SecretChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async list(actor: Actor, { userId }: ParsedInputOf<'secrets.list'>): Promise<SecretInfo[]> {
    await authorize(this.deps, actor, null, 'secret.added');
    await requireApiUser(this.deps.store, userId, 'secrets');
    const now = this.deps.clock.now();
    return (await listSecretsOfUser(this.deps.store, userId)).map((s) => toInfo(s, now));
  }

  async add(actor: Actor, data: ParsedInputOf<'secrets.add'>): Promise<NewSecret> {
    await authorize(this.deps, actor, 'users.manage', 'secret.added');
    const { store } = this.deps;
    const user = await requireApiUser(store, data.userId, 'secrets');
    const now = this.deps.clock.now();
    if (data.expiresAt !== undefined && data.expiresAt <= now) {
      throw new ValidationError({ expiresAt: 'Must be in the future' });
    }
    await assertRoom(store, user, now);
    const secret = generateClientSecret();
    const secretHash = await this.deps.passwords.hash(secret);
    const secretId = await store.transaction(async (tx) => {
      await assertRoom(tx, user, now); // again: another writer may have added one while we hashed
      const secretId = await insertSecret(tx, {
        userId: user.id,
        label: data.label,
        secretHash,
        createdAt: now,
        createdBy: actor.name,
        expiresAt: data.expiresAt ?? null,
      });
      await recordEvent(tx, this.deps, actor, {
        type: 'secret.added',
        target: { id: user.id, name: user.name },
        details: { secretId, label: data.label, expiresAt: data.expiresAt ?? null },
      });
      return secretId;
    });
    return { clientId: await clientIdOf(store, user), secret, info: await secretInfo(store, user.id, secretId, now) };
  }

  /**
   * Issues a new secret and lets the old one keep working until `graceUntil`, so the integration can
   * switch over without downtime. A grace in the past ends the old secret now.
   */
  async rotate(actor: Actor, data: ParsedInputOf<'secrets.rotate'>): Promise<NewSecret> {
    await authorize(this.deps, actor, 'users.manage', 'secret.rotated');
    const { store } = this.deps;
    const user = await requireApiUser(store, data.userId, 'secrets');
    const now = this.deps.clock.now();
    const old = await requireLive(store, user.id, data.secretId, now);
    if (data.expiresAt != null && data.expiresAt <= now) {
      throw new ValidationError({ expiresAt: 'Must be in the future' });
    }
    // The replacement keeps the old secret's expiry unless the admin names another (null: never): a rotation
    // is a change of secret, not of term, so it must not quietly turn an expiring credential into a lasting one.
    const expiresAt = data.expiresAt === undefined ? old.expiresAt : data.expiresAt;
    const secret = generateClientSecret();
    const secretHash = await this.deps.passwords.hash(secret);
    const graceEnd = Math.max(now, Math.min(data.graceUntil, old.expiresAt ?? Number.MAX_SAFE_INTEGER));
    const secretId = await store.transaction(async (tx) => {
      await requireLive(tx, user.id, data.secretId, now);
      await setSecretExpiry(tx, old.id, graceEnd);
      const secretId = await insertSecret(tx, {
        userId: user.id,
        label: data.label ?? old.label,
        secretHash,
        createdAt: now,
        createdBy: actor.name,
        expiresAt,
      });
      await recordEvent(tx, this.deps, actor, {
        type: 'secret.rotated',
        target: { id: user.id, name: user.name },
        details: { oldSecretId: old.id, newSecretId: secretId, graceUntil: graceEnd, expiresAt },
      });
      return secretId;
    });
    this.notify(user.id);
    return { clientId: await clientIdOf(store, user), secret, info: await secretInfo(store, user.id, secretId, now) };
  }

  async revoke(actor: Actor, data: ParsedInputOf<'secrets.revoke'>): Promise<SecretInfo> {
    await authorize(this.deps, actor, 'users.manage', 'secret.revoked');
    const { store } = this.deps;
    const user = await requireApiUser(store, data.userId, 'secrets');
    const now = this.deps.clock.now();
    const secret = await findSecret(store, user.id, data.secretId);
    if (!secret) throw new NotFoundError(`Secret ${data.secretId} of ${user.name}`);
    if (secret.revokedAt !== null) throw new ConflictError(`Secret "${secret.label}" is already revoked`);
    await store.transaction(async (tx) => {
      await revokeSecretRow(tx, secret.id, now);
      await recordEvent(tx, this.deps, actor, {
        type: 'secret.revoked',
        target: { id: user.id, name: user.name },
        details: { secretId: secret.id, label: secret.label },
      });
    });
    this.notify(user.id);
    return secretInfo(store, user.id, secret.id, now);
  }

  private notify(userId: number): void {
    for (const listener of this.listeners) listener(userId);
  }
}

async function requireLive(q: Queryable, userId: number, secretId: number, now: number): Promise<SecretRecord> {
  const secret = await findSecret(q, userId, secretId);
  if (!secret) throw new NotFoundError(`Secret ${secretId}`);
  if (secretState(secret, now) !== 'live') {
    throw new ConflictError(`Secret "${secret.label}" is ${secretState(secret, now)}; only a live secret can be rotated`);
  }
  return secret;
}

async function assertRoom(q: Queryable, user: UserRecord, now: number): Promise<void> {
  if ((await listLiveSecretsOfUser(q, user.id, now)).length >= MAX_LIVE_SECRETS) {
    throw new ConflictError(`${user.name} already has ${MAX_LIVE_SECRETS} live secrets; revoke one before adding another`);
  }
}

async function clientIdOf(q: Queryable, user: UserRecord): Promise<string> {
  const clientId = await findClientIdOfUser(q, user.id);
  if (!clientId) throw new NotFoundError(`Client id of ${user.name}`);
  return clientId;
}

function toInfo(s: SecretRecord, now: number): SecretInfo {
  return {
    id: s.id,
    label: s.label,
    createdAt: s.createdAt,
    createdBy: s.createdBy,
    expiresAt: s.expiresAt,
    lastUsedAt: s.lastUsedAt,
    lastUsedIp: s.lastUsedIp,
    revokedAt: s.revokedAt,
    state: secretState(s, now),
  };
}

export async function secretInfo(q: Queryable, userId: number, secretId: number, now: number): Promise<SecretInfo> {
  const s = await findSecret(q, userId, secretId);
  if (!s) throw new NotFoundError(`Secret ${secretId}`);
  return toInfo(s, now);
}
