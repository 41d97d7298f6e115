import { randomBytes } from 'node:crypto';

/** A new client secret: 256 random bits, base64url (43 characters, safe in URLs, headers and .env files). */
export function generateClientSecret(): string {
  return randomBytes(32).toString('base64url');
}
