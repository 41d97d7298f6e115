import type { Queryable } from '../db/store.js';
import { appendAuditEventsOn, type NewAuditEvent } from './audit.repo.js';
import { recordClientAddresses, type ClientAddressUse } from './client-addresses.repo.js';
import { recordClientKeyUse } from './client-keys.repo.js';
import { recordSecretUse } from './credentials.repo.js';

/** The credential a client authenticated with: a secret, or a public key (private_key_jwt). */
export type CredentialRef = { secretId: number } | { keyId: number };

/**
 * A successful authentication: the credential's last use and the client's address
 * (client-addresses.repo.ts), recorded with the batch that logs it.
 */
export type CredentialUse = CredentialRef & {
  clientId: string;
  at: number;
  ip: string;
};

/**
 * Writes a batch of token-server audit events and credential last uses inside the caller's write
 * transaction: one commit (one fsync under synchronous=FULL, or one PostgreSQL commit) for the whole batch.
 * Several uses of one credential in a batch collapse to the latest; each (client, address) of the batch is
 * recorded once.
 *
 * The events join the log's hash chain through appendAuditEventsOn (audit.repo.ts), the same append every
 * admin action uses, with the chain's tail read once per batch.
 */
export async function appendTokenEvents(
  tx: Queryable,
  events: readonly NewAuditEvent[],
  uses: readonly CredentialUse[],
  checkpointKey: Buffer | undefined,
): Promise<void> {
  const latest = new Map<string, CredentialUse>();
  const addresses = new Map<string, ClientAddressUse>();
  for (const use of uses) {
    const credential = 'secretId' in use ? `s${use.secretId}` : `k${use.keyId}`;
    const seen = latest.get(credential);
    if (!seen || seen.at <= use.at) latest.set(credential, use);
    const key = `${use.clientId}\0${use.ip}`;
    const seenAddress = addresses.get(key);
    if (!seenAddress || seenAddress.at <= use.at) addresses.set(key, { clientId: use.clientId, ip: use.ip, at: use.at });
  }
  await appendAuditEventsOn(tx, events, checkpointKey);
  for (const use of latest.values()) {
    if ('secretId' in use) await recordSecretUse(tx, use.secretId, use.at, use.ip);
    else await recordClientKeyUse(tx, use.keyId, use.at, use.ip);
  }
  await recordClientAddresses(tx, addresses.values());
}
