import type { ParsedInputOf } from '../../shared/contract.js';
import type { SigningKeyInfo } from '../../shared/token-server.dto.js';
import type { KeyWrapper } from '../crypto/key-wrap.js';
import {
  createTokenSigner,
  generateSigningKey,
  publicJwkMatches,
  type SigningAlg,
  type TokenSigner,
} from '../crypto/token-signer.js';
import {
  findActiveSigningKey,
  insertSigningKey,
  listSigningKeys,
  retireSigningKeysExcept,
  type SigningKeyRecord,
} from '../repos/signing-keys.repo.js';
import { recordEvent } from './audit.js';
import { authorize } from './authorize.js';
import { systemActor, type Actor, type ServiceDeps } from './context.js';

/**
 * How long a retired key stays in the JWKS: the longest lifetime any token can have (one day, the cap of
 * both the server default and a user's override) plus five minutes for clocks that disagree. Every token
 * the key signed has expired by then, whatever the lifetime settings were when it was signed.
 */
export const RETIRED_KEY_PUBLISHED_MS = 86_400_000 + 5 * 60_000;

/** Signing keys: created on first start, private halves wrapped at rest, rotated on demand. */
export class SigningKeysService {
  constructor(
    private readonly deps: ServiceDeps,
    /** Resolved only when a private key is created or opened, so listing keys needs no master key. */
    private readonly wrapper: () => KeyWrapper,
  ) {}

  /** The same keys over other deps: the token server's own connection (token-server/context.ts). */
  over(deps: ServiceDeps): SigningKeysService {
    return new SigningKeysService(deps, this.wrapper);
  }

  /** The active key, created (and logged) if there is none yet: the server's first start. */
  async ensureActive(alg: SigningAlg): Promise<SigningKeyRecord> {
    const existing = await findActiveSigningKey(this.deps.store);
    if (existing) return existing;
    return this.create(systemActor, alg, 'first_start');
  }

  /**
   * A new active key: of the algorithm asked for, else of `settingsAlg` (the `signingAlg` setting, "the
   * algorithm of newly created signing keys"). Before, the active key's algorithm won, so changing the
   * setting never took effect once a key existed.
   */
  async rotate(actor: Actor, data: ParsedInputOf<'server.rotateKey'>, settingsAlg: SigningAlg): Promise<SigningKeyInfo> {
    await authorize(this.deps, actor, 'server.manage', 'keys.rotated');
    const record = await this.create(actor, data.alg ?? settingsAlg, 'rotation');
    return toInfo(record);
  }

  async list(actor: Actor): Promise<SigningKeyInfo[]> {
    await authorize(this.deps, actor, 'server.manage', 'keys.rotated');
    return (await listSigningKeys(this.deps.store)).map(toInfo);
  }

  /** The keys for a status display that was authorized elsewhere (the host's status, `keyrack serve`). */
  async describe(): Promise<SigningKeyInfo[]> {
    return (await listSigningKeys(this.deps.store))
      .map(toInfo)
      .sort((a, b) => Number(b.active) - Number(a.active) || b.createdAt - a.createdAt);
  }

  /** Unwraps a private key and builds its signer; refuses a row whose public half does not match. */
  signerFor(record: SigningKeyRecord): TokenSigner {
    const der = this.wrapper().unwrap(record.wrappedPrivateKey);
    if (!publicJwkMatches(der, record.publicJwk)) throw new Error(`signing key ${record.kid}: public and private halves differ`);
    return createTokenSigner(record.kid, record.alg, der);
  }

  private async create(actor: Actor, alg: SigningAlg, reason: 'first_start' | 'rotation'): Promise<SigningKeyRecord> {
    const key = generateSigningKey(alg);
    const wrappedPrivateKey = this.wrapper().wrap(key.privateDer);
    key.privateDer.fill(0);
    const now = this.deps.clock.now();
    return this.deps.store.transaction(async (tx) => {
      // Another process (the CLI beside a running server) may have created the first key meanwhile.
      if (reason === 'first_start') {
        const raced = await findActiveSigningKey(tx);
        if (raced) return raced;
      }
      await insertSigningKey(tx, { kid: key.kid, alg, publicJwk: key.publicJwk, wrappedPrivateKey, createdAt: now });
      const retired = await retireSigningKeysExcept(tx, key.kid, now);
      await recordEvent(tx, this.deps, actor, {
        type: 'keys.rotated',
        reason,
        details: { kid: key.kid, alg, retired, wrappedWith: this.wrapper().description },
      });
      return (await findActiveSigningKey(tx))!;
    });
  }
}

function toInfo(k: SigningKeyRecord): SigningKeyInfo {
  const publishedUntil = k.retiredAt === null ? null : k.retiredAt + RETIRED_KEY_PUBLISHED_MS;
  return {
    kid: k.kid,
    alg: k.alg,
    createdAt: k.createdAt,
    retiredAt: k.retiredAt,
    active: k.retiredAt === null,
    publishedUntil,
  };
}
