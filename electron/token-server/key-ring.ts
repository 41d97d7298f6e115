import type { Db } from '../db/open.js';
import type { PublicJwk, SigningAlg, TokenSigner } from '../crypto/token-signer.js';
import { findActiveSigningKeyNow, signingKeysVersion } from '../repos/signing-keys.repo.js';
import type { Clock } from '../services/context.js';
import type { SigningKeysService } from '../services/signing-keys.service.js';

/** How often the server looks for a key rotated by another process (`keyrack keys rotate`). */
const RECHECK_MS = 1_000;
/** How often the published set is recomputed anyway (a retired key leaves the JWKS when its tokens expired). */
const REPUBLISH_MS = 60_000;

/**
 * The server's view of the signing keys: the signer of the active key (private key unwrapped once, kept
 * in memory) and the JWKS to publish. Cheap to ask on every request; it re-reads the store at most once a
 * second, and only reloads when a key was added or retired.
 */
export class KeyRing {
  private current: TokenSigner | undefined;
  private keys: PublicJwk[] = [];
  private jwks = '{"keys":[]}';
  private version = '';
  private checkedAt = -Infinity;
  private publishedAt = -Infinity;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly service: SigningKeysService,
    private readonly alg: SigningAlg,
  ) {}

  /** Creates the first key if there is none (first start), then loads. */
  async start(): Promise<void> {
    await this.service.ensureActive(this.alg);
    this.refresh(true);
  }

  /** Re-reads the store now: after a rotation made in this process, so the next token uses the new key. */
  reload(): void {
    this.refresh(true);
  }

  signer(): TokenSigner {
    this.refresh(false);
    return this.current!;
  }

  publicKeys(): readonly PublicJwk[] {
    this.refresh(false);
    return this.keys;
  }

  jwksJson(): string {
    this.refresh(false);
    return this.jwks;
  }

  private refresh(force: boolean): void {
    const now = this.clock.now();
    if (!force && now - this.checkedAt < RECHECK_MS) return;
    this.checkedAt = now;
    const version = signingKeysVersion(this.db);
    if (force || version !== this.version) {
      // start() made sure a key is active; keys are only ever retired by a rotation that adds the next one.
      const active = findActiveSigningKeyNow(this.db);
      if (!active) throw new Error('no active signing key: the token server was not started through KeyRing.start');
      if (this.current?.kid !== active.kid) this.current = this.service.signerFor(active);
      this.version = version;
      this.publish(now);
    } else if (now - this.publishedAt >= REPUBLISH_MS) {
      this.publish(now);
    }
  }

  private publish(now: number): void {
    this.keys = this.service.publishedKeys(now);
    this.jwks = JSON.stringify({ keys: this.keys });
    this.publishedAt = now;
  }
}
