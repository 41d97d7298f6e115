import type { ParsedInputOf } from '../../shared/contract.js';
import type { NewSecret, SecretInfo } from '../../shared/dto.js';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors.js';
import { secretState } from '../../shared/liveness.js';
import type { Db } from '../db/open.js';
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
import { findUserById, type UserRecord } from '../repos/users.repo.js';
import { recordEventOnDb } from './audit.js';
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

  list(actor: Actor, { userId }: ParsedInputOf<'secrets.list'>): SecretInfo[] {
    authorize(this.deps, actor, null, 'secret.added');
    this.requireApiUser(userId);
    const now = this.deps.clock.now();
    return listSecretsOfUser(this.deps.db, userId).map((s) => toInfo(s, now));
  }

  async add(actor: Actor, data: ParsedInputOf<'secrets.add'>): Promise<NewSecret> {
    authorize(this.deps, actor, 'users.manage', 'secret.added');
    const user = this.requireApiUser(data.userId);
    const now = this.deps.clock.now();
    if (data.expiresAt !== undefined && data.expiresAt <= now) {
      throw new ValidationError({ expiresAt: 'Must be in the future' });
    }
    this.assertRoom(user);
    const secret = generateClientSecret();
    const secretHash = await this.deps.passwords.hash(secret);
    const secretId = this.deps.db.transaction(() => {
      this.assertRoom(user);
      const secretId = insertSecret(this.deps.db, {
        userId: user.id,
        label: data.label,
        secretHash,
        createdAt: now,
        createdBy: actor.name,
        expiresAt: data.expiresAt ?? null,
      });
      recordEventOnDb(this.deps, actor, {
        type: 'secret.added',
        target: { id: user.id, name: user.name },
        details: { secretId, label: data.label, expiresAt: data.expiresAt ?? null },
      });
      return secretId;
    }).immediate();
    return { clientId: this.clientIdOf(user), secret, info: secretInfo(this.deps.db, user.id, secretId, now) };
  }

  /**
   * Issues a new secret and lets the old one keep working until `graceUntil`, so the integration can
   * switch over without downtime. A grace in the past ends the old secret now.
   */
  async rotate(actor: Actor, data: ParsedInputOf<'secrets.rotate'>): Promise<NewSecret> {
    authorize(this.deps, actor, 'users.manage', 'secret.rotated');
    const user = this.requireApiUser(data.userId);
    const now = this.deps.clock.now();
    const old = this.requireLive(user.id, data.secretId, now);
    if (data.expiresAt != null && data.expiresAt <= now) {
      throw new ValidationError({ expiresAt: 'Must be in the future' });
    }
    // The replacement keeps the old secret's expiry unless the admin names another (null: never): a rotation
    // is a change of secret, not of term, so it must not quietly turn an expiring credential into a lasting one.
    const expiresAt = data.expiresAt === undefined ? old.expiresAt : data.expiresAt;
    const secret = generateClientSecret();
    const secretHash = await this.deps.passwords.hash(secret);
    const graceEnd = Math.max(now, Math.min(data.graceUntil, old.expiresAt ?? Number.MAX_SAFE_INTEGER));
    const secretId = this.deps.db.transaction(() => {
      this.requireLive(user.id, data.secretId, now);
      setSecretExpiry(this.deps.db, old.id, graceEnd);
      const secretId = insertSecret(this.deps.db, {
        userId: user.id,
        label: data.label ?? old.label,
        secretHash,
        createdAt: now,
        createdBy: actor.name,
        expiresAt,
      });
      recordEventOnDb(this.deps, actor, {
        type: 'secret.rotated',
        target: { id: user.id, name: user.name },
        details: { oldSecretId: old.id, newSecretId: secretId, graceUntil: graceEnd, expiresAt },
      });
      return secretId;
    }).immediate();
    this.notify(user.id);
    return { clientId: this.clientIdOf(user), secret, info: secretInfo(this.deps.db, user.id, secretId, now) };
  }

  revoke(actor: Actor, data: ParsedInputOf<'secrets.revoke'>): SecretInfo {
    authorize(this.deps, actor, 'users.manage', 'secret.revoked');
    const user = this.requireApiUser(data.userId);
    const now = this.deps.clock.now();
    const secret = findSecret(this.deps.db, user.id, data.secretId);
    if (!secret) throw new NotFoundError(`Secret ${data.secretId} of ${user.name}`);
    if (secret.revokedAt !== null) throw new ConflictError(`Secret "${secret.label}" is already revoked`);
    this.deps.db.transaction(() => {
      revokeSecretRow(this.deps.db, secret.id, now);
      recordEventOnDb(this.deps, actor, {
        type: 'secret.revoked',
        target: { id: user.id, name: user.name },
        details: { secretId: secret.id, label: secret.label },
      });
    }).immediate();
    this.notify(user.id);
    return secretInfo(this.deps.db, user.id, secret.id, now);
  }

  private notify(userId: number): void {
    for (const listener of this.listeners) listener(userId);
  }

  private requireApiUser(userId: number): UserRecord {
    const user = findUserById(this.deps.db, userId);
    if (!user) throw new NotFoundError(`User ${userId}`);
    if (user.kind !== 'api') throw new ValidationError({ userId: `${user.name} is a person; only API users have secrets` });
    return user;
  }

  private requireLive(userId: number, secretId: number, now: number): SecretRecord {
    const secret = findSecret(this.deps.db, userId, secretId);
    if (!secret) throw new NotFoundError(`Secret ${secretId}`);
    if (secretState(secret, now) !== 'live') {
      throw new ConflictError(`Secret "${secret.label}" is ${secretState(secret, now)}; only a live secret can be rotated`);
    }
    return secret;
  }

  private assertRoom(user: UserRecord): void {
    if (listLiveSecretsOfUser(this.deps.db, user.id, this.deps.clock.now()).length >= MAX_LIVE_SECRETS) {
      throw new ConflictError(
        `${user.name} already has ${MAX_LIVE_SECRETS} live secrets; revoke one before adding another`,
      );
    }
  }

  private clientIdOf(user: UserRecord): string {
    const clientId = findClientIdOfUser(this.deps.db, user.id);
    if (!clientId) throw new NotFoundError(`Client id of ${user.name}`);
    return clientId;
  }
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

export function secretInfo(db: Db, userId: number, secretId: number, now: number): SecretInfo {
  const s = findSecret(db, userId, secretId);
  if (!s) throw new NotFoundError(`Secret ${secretId}`);
  return toInfo(s, now);
}
