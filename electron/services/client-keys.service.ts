import type { ParsedInputOf } from '../../shared/contract.js';
import type { ClientKeyInfo } from '../../shared/dto.js';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors.js';
import { secretState } from '../../shared/liveness.js';
import { ClientKeyProblem, readClientKey } from '../crypto/client-keys.js';
import {
  findClientKey,
  findClientKeyByKid,
  insertClientKey,
  listClientKeysOfUser,
  revokeClientKeyRow,
  type ClientKeyRecord,
} from '../repos/client-keys.repo.js';
import { recordEvent } from './audit.js';
import { requireApiUser } from './require-api-user.js';
import { authorize } from './authorize.js';
import type { Actor, ServiceDeps } from './context.js';

/** As many as a rotation needs (old and new) with room to spare; like secrets, more only widen what can leak. */
export const MAX_LIVE_CLIENT_KEYS = 5;

/**
 * API users' public keys for private_key_jwt (RFC 7523 §2.2): add from PEM or JWK, list with last use,
 * revoke. The private half never reaches Keyrack; a key text that holds one is refused (crypto/client-keys.ts).
 * The token server reads the keys on every assertion, so a revocation counts from the next request.
 */
export class ClientKeysService {
  constructor(private readonly deps: ServiceDeps) {}

  async list(actor: Actor, { userId }: ParsedInputOf<'clientKeys.list'>): Promise<ClientKeyInfo[]> {
    await authorize(this.deps, actor, null, 'key.added');
    await requireApiUser(this.deps.store, userId, 'client keys');
    const now = this.deps.clock.now();
    return (await listClientKeysOfUser(this.deps.store, userId)).map((k) => toInfo(k, now));
  }

  async add(actor: Actor, data: ParsedInputOf<'clientKeys.add'>): Promise<ClientKeyInfo> {
    await authorize(this.deps, actor, 'users.manage', 'key.added');
    const { store } = this.deps;
    const user = await requireApiUser(store, data.userId, 'client keys');
    const now = this.deps.clock.now();
    if (data.expiresAt !== undefined && data.expiresAt <= now) throw new ValidationError({ expiresAt: 'Must be in the future' });
    let read;
    try {
      read = await readClientKey(data.key);
    } catch (error) {
      if (error instanceof ClientKeyProblem) throw new ValidationError({ key: error.message });
      throw error;
    }
    const keyId = await store.transaction(async (tx) => {
      const keys = await listClientKeysOfUser(tx, user.id);
      if (keys.some((k) => k.kid === read.kid)) {
        throw new ValidationError({ key: `${user.name} already has a key with the id ${read.kid}` });
      }
      // The same public key under another kid would be one credential counted twice, revoked once.
      if (keys.some((k) => sameKey(k.publicJwk, read.publicJwk))) {
        throw new ValidationError({ key: `${user.name} already has this public key` });
      }
      if (keys.filter((k) => secretState(k, now) === 'live').length >= MAX_LIVE_CLIENT_KEYS) {
        throw new ConflictError(`${user.name} already has ${MAX_LIVE_CLIENT_KEYS} live keys; revoke one before adding another`);
      }
      const keyId = await insertClientKey(tx, {
        userId: user.id,
        kid: read.kid,
        alg: read.alg,
        publicJwk: read.publicJwk as Record<string, unknown>,
        label: data.label,
        createdAt: now,
        createdBy: actor.name,
        expiresAt: data.expiresAt ?? null,
      });
      await recordEvent(tx, this.deps, actor, {
        type: 'key.added',
        target: { id: user.id, name: user.name },
        details: { keyId, kid: read.kid, alg: read.alg, label: data.label, expiresAt: data.expiresAt ?? null },
      });
      return keyId;
    });
    return toInfo((await findClientKey(store, user.id, keyId))!, now);
  }

  async revoke(actor: Actor, data: ParsedInputOf<'clientKeys.revoke'>): Promise<ClientKeyInfo> {
    await authorize(this.deps, actor, 'users.manage', 'key.revoked');
    const { store } = this.deps;
    const user = await requireApiUser(store, data.userId, 'client keys');
    const now = this.deps.clock.now();
    const key = await findClientKeyByKid(store, user.id, data.kid);
    if (!key) throw new NotFoundError(`Key ${data.kid} of ${user.name}`);
    if (key.revokedAt !== null) throw new ConflictError(`Key "${key.label}" (${key.kid}) is already revoked`);
    await store.transaction(async (tx) => {
      await revokeClientKeyRow(tx, key.id, now);
      await recordEvent(tx, this.deps, actor, {
        type: 'key.revoked',
        target: { id: user.id, name: user.name },
        details: { keyId: key.id, kid: key.kid, label: key.label },
      });
    });
    return toInfo((await findClientKey(store, user.id, key.id))!, now);
  }
}

/** Two public JWKs are one key when their key material is the same, whatever their kid, alg or use say. */
export function sameKey(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const material = (jwk: Record<string, unknown>) => JSON.stringify([jwk.kty, jwk.crv, jwk.x, jwk.y, jwk.n, jwk.e]);
  return material(a) === material(b);
}

function toInfo(k: ClientKeyRecord, now: number): ClientKeyInfo {
  return {
    id: k.id,
    kid: k.kid,
    alg: k.alg,
    publicJwk: k.publicJwk,
    label: k.label,
    createdAt: k.createdAt,
    createdBy: k.createdBy,
    expiresAt: k.expiresAt,
    lastUsedAt: k.lastUsedAt,
    lastUsedIp: k.lastUsedIp,
    revokedAt: k.revokedAt,
    state: secretState(k, now),
  };
}
