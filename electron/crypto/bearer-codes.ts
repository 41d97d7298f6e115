import { createHash, randomBytes } from 'node:crypto';

/**
 * The bearer codes of RFC 7591/7592: activation codes (initial access tokens, §3) and registration access
 * tokens (RFC 7592 §3). Each is 256 random bits, base64url, behind a short prefix that says what it is (so
 * a code pasted in the wrong place, or found in a repository by a secret scanner, is recognised).
 *
 * Stored only as a hash. A slow password hash (argon2) buys nothing for 256 random bits: nobody can guess
 * or brute-force them, so SHA-256 is enough, and it lets the endpoint find the row by the hash through a
 * unique index instead of comparing against every row. Domain-separated, so an activation code's hash can
 * never be mistaken for a registration token's.
 */
export type BearerCodeKind = 'activation' | 'registration';

const PREFIX: Record<BearerCodeKind, string> = { activation: 'kra_', registration: 'krr_' };

/** A new code of this kind, in plain text: shown (or sent) once, never stored. */
export function generateBearerCode(kind: BearerCodeKind): string {
  return `${PREFIX[kind]}${randomBytes(32).toString('base64url')}`;
}

/** What the store keeps of a code: the SHA-256 of the kind and the code, hex. */
export function hashBearerCode(kind: BearerCodeKind, code: string): string {
  return createHash('sha256').update(`keyrack ${kind} code\n`).update(code).digest('hex');
}

/** Whether a text has the shape of a code of this kind (checked before any lookup; not a secret test). */
export function looksLikeBearerCode(kind: BearerCodeKind, text: string): boolean {
  return text.length === PREFIX[kind].length + 43 && text.startsWith(PREFIX[kind]) && /^[A-Za-z0-9_-]+$/.test(text.slice(PREFIX[kind].length));
}
