import argon2 from 'argon2';
import { randomBytes } from 'node:crypto';

/**
 * The only importer of argon2. Every password and client secret is hashed here with argon2id.
 *
 * Parameters: OWASP's floor for argon2id (19 MiB, 2 passes, 1 lane). Raising them is safe: hashes made
 * with weaker parameters verify as before and `needsRehash` tells the caller to store a new one.
 */
export interface HashParams {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

export const ARGON2_PARAMS: HashParams = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export interface PasswordHasher {
  hash(plain: string): Promise<string>;
  verify(hash: string, plain: string): Promise<boolean>;
  /** Spends the same work as a real verify, for names that do not exist (no timing oracle). */
  dummyVerify(plain: string): Promise<void>;
  needsRehash(hash: string): boolean;
}

export function createPasswordHasher(params: HashParams = ARGON2_PARAMS): PasswordHasher {
  const options: argon2.HashOptions = { ...params, type: argon2.argon2id };
  let dummyHash: Promise<string> | undefined;
  return {
    hash: (plain) => argon2.hash(plain, options),
    async verify(hash, plain) {
      try {
        return await argon2.verify(hash, plain);
      } catch {
        return false; // a malformed stored hash never authenticates
      }
    },
    async dummyVerify(plain) {
      dummyHash ??= argon2.hash(randomBytes(32), options);
      await argon2.verify(await dummyHash, plain).catch(() => false);
    },
    needsRehash: (hash) => argon2.needsRehash(hash, params),
  };
}
