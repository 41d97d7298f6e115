import type { Queryable } from '../db/store.js';
import type { PublicJwk, SigningAlg, TokenSigner } from '../crypto/token-signer.js';
import { findActiveSigningKey, listPublishedSigningKeys, signingKeysVersion } from '../repos/signing-keys.repo.js';
import type { Clock } from '../services/context.js';
import { RETIRED_KEY_PUBLISHED_MS, type SigningKeysService } from '../services/signing-keys.service.js';

/** How often the server looks for a key rotated by another process or node (`keyrack keys rotate`). */
const RECHECK_MS = 1_000;
/** How often the published set is recomputed anyway (a retired key leaves the JWKS when its tokens expired). */
const REPUBLISH_MS = 60_000;

/**
 * The server's view of the signing keys: the signer of the active key (private key unwrapped once, kept
 * in memory) and the JWKS to publish. Cheap to ask on every request; it re-reads the store at most once a
 * second (one small query; on a shared store that is how a rotation on another node arrives), and only
 * reloads when a key was added or retired. Concurrent askers share one re-read.
 */
export class KeyRing {
  private current: TokenSigner | undefined;
  private keys: PublicJwk[] = [];
  private jwks = '{"keys":[]}';
  private version = '';
  private checkedAt = -Infinity;
  private publishedAt = -Infinity;
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly store: Queryable,
    private readonly clock: Clock,
    private readonly service: SigningKeysService,
    private readonly alg: SigningAlg,
  ) {}

  /** Creates the first key if there is none (first start), then loads. */
  async start(): Promise<void> {
    await this.service.ensureActive(this.alg);
    await this.refresh(true);
  }

  /** Re-reads the store now: after a rotation made in this process, so the next token uses the new key. */
  reload(): Promise<void> {
    return this.refresh(true);
  }

  async signer(): Promise<TokenSigner> {
    await this.refresh(false);
    return this.current!;
  }

  async publicKeys(): Promise<readonly PublicJwk[]> {
    await this.refresh(false);
    return this.keys;
  }

  async jwksJson(): Promise<string> {
    await this.refresh(false);
    return this.jwks;
  }

  private refresh(force: boolean): Promise<void> {
    const now = this.clock.now();
    if (!force && now - this.checkedAt < RECHECK_MS) return this.refreshing ?? Promise.resolve();
    this.checkedAt = now;
    // One after the other: a forced reload after a rotation must not be overtaken by an older read. A failed
    // read (the store unreachable) fails its own caller only; the others keep the keys they have.
    const next = (this.refreshing ?? Promise.resolve()).then(() => this.reread(force, now));
    const tracked: Promise<void> = next.then(
      () => this.settled(tracked),
      () => this.settled(tracked),
    );
    this.refreshing = tracked;
    return next;
  }

  private settled(read: Promise<void>): void {
    if (this.refreshing === read) this.refreshing = undefined;
  }

  private async reread(force: boolean, now: number): Promise<void> {
    const version = await signingKeysVersion(this.store);
    if (force || version !== this.version) {
      // start() made sure a key is active; keys are only ever retired by a rotation that adds the next one.
      const active = await findActiveSigningKey(this.store);
      if (!active) throw new Error('no active signing key: the token server was not started through KeyRing.start');
      if (this.current?.kid !== active.kid) this.current = this.service.signerFor(active);
      await this.publish(now);
      this.version = version;
    } else if (now - this.publishedAt >= REPUBLISH_MS) {
      await this.publish(now);
    }
  }

  private async publish(now: number): Promise<void> {
    const published = await listPublishedSigningKeys(this.store, now - RETIRED_KEY_PUBLISHED_MS);
    this.keys = published.map((k) => k.publicJwk);
    this.jwks = JSON.stringify({ keys: this.keys });
    this.publishedAt = now;
  }
}
