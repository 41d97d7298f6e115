import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/open.js';
import { appendAuditEvents, type NewAuditEvent } from './audit.repo.js';
import { recordClientAddresses, type ClientAddressUse } from './client-addresses.repo.js';
import { touchClientKeyStatement } from './client-keys.repo.js';
import { TOUCH_SECRET_SQL } from './credentials.repo.js';

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

/** The last-use update, prepared once per connection (it runs for every batch on the hot path). */
const touchStatements = new WeakMap<Db, Statement<[number, string, number, number]>>();

function touchStatement(db: Db): Statement<[number, string, number, number]> {
  let touch = touchStatements.get(db);
  if (!touch) {
    touch = db.prepare(TOUCH_SECRET_SQL);
    touchStatements.set(db, touch);
  }
  return touch;
}

/**
 * Writes a batch of token-server audit events and credential last uses in one IMMEDIATE transaction: one commit
 * (one fsync under synchronous=FULL) for the whole batch. Several uses of one credential in a batch collapse to
 * the latest; each (client, address) of the batch is recorded once.
 *
 * The events join the log's hash chain through appendAuditEvents (audit.repo.ts), the same append every
 * admin action uses, with the chain's tail read once per batch.
 */
export function appendTokenEvents(db: Db, events: readonly NewAuditEvent[], uses: readonly CredentialUse[]): void {
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
  const touch = touchStatement(db);
  db.transaction(() => {
    appendAuditEvents(db, events);
    for (const use of latest.values()) {
      if ('secretId' in use) touch.run(use.at, use.ip, use.secretId, use.at);
      else touchClientKeyStatement(db).run(use.at, use.ip, use.keyId, use.at);
    }
    recordClientAddresses(db, addresses.values());
  }).immediate();
}
