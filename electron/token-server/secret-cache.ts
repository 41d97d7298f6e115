import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Remembers, for a short while, that a client secret was verified with argon2id, so the next requests
 * with the same secret skip the slow hash. What is kept is not the secret but an HMAC-SHA256 of it under a
 * key that exists only in this process's memory (random at start, never stored): a memory dump yields
 * digests that cannot be tested offline without that key, and the key dies with the process.
 *
 * An entry ends when its time is up, when the secret is rotated or revoked or its user disabled or deleted
 * (the services' listeners call `dropUser`), and regardless of this cache the token endpoint re-reads the
 * secret's and the user's state from the store on every request, so a change made by another process
 * (the CLI beside a running server) also takes effect at once.
 */
export class VerifiedSecretCache {
  private readonly key = randomBytes(32);
  private readonly byClient = new Map<string, CacheEntry[]>();

  constructor(
    private readonly ttlMs: number,
    /** Bounds memory under a flood of distinct client ids (only verified secrets are ever added). */
    private readonly maxClients = 10_000,
  ) {}

  digest(clientId: string, secret: string): Buffer {
    // One update: every call into the native HMAC costs about as much as hashing these few bytes.
    return createHmac('sha256', this.key).update(`${clientId}\0${secret}`).digest();
  }

  /** The secret id a digest was verified for, if still fresh. */
  lookup(clientId: string, digest: Buffer, now: number): number | undefined {
    const entries = this.byClient.get(clientId);
    if (!entries) return undefined;
    for (const entry of entries) {
      if (entry.expiresAt > now && timingSafeEqual(entry.digest, digest)) return entry.secretId;
    }
    return undefined;
  }

  remember(clientId: string, userId: number, secretId: number, digest: Buffer, now: number): void {
    const fresh = (this.byClient.get(clientId) ?? []).filter((e) => e.expiresAt > now && e.secretId !== secretId);
    fresh.push({ userId, secretId, digest, expiresAt: now + this.ttlMs });
    this.byClient.delete(clientId); // re-insert: Map order is then least recently verified first
    if (this.byClient.size >= this.maxClients) {
      const oldest = this.byClient.keys().next().value;
      if (oldest !== undefined) this.byClient.delete(oldest);
    }
    this.byClient.set(clientId, fresh);
  }

  dropClient(clientId: string): void {
    this.byClient.delete(clientId);
  }

  dropUser(userId: number): void {
    for (const [clientId, entries] of this.byClient) {
      if (entries.some((e) => e.userId === userId)) this.byClient.delete(clientId);
    }
  }

  clear(): void {
    this.byClient.clear();
  }
}

interface CacheEntry {
  userId: number;
  secretId: number;
  digest: Buffer;
  expiresAt: number;
}
