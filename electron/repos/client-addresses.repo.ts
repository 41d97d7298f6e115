import type { Queryable } from '../db/store.js';

/**
 * The addresses each client authenticated from (migration 0090). Written with the audit batch that logs a
 * token issuance (token-events.repo.ts), read only when a request's secret is not in the server's cache
 * (its back-off exemption and its place in the argon2 queue), so a cached request never reads it.
 *
 * Bounded: a row goes 30 days after its last success, and a client keeps its 1024 most recent addresses.
 * An address only gets here after a successful authentication from it, so the bound is generous for a
 * pool of workers and still caps what a client holding a valid secret could make the table hold.
 */

/** How long an address counts as the client's own after its last success. */
export const CLIENT_ADDRESS_MAX_AGE_MS = 30 * 24 * 60 * 60_000;
export const CLIENT_ADDRESSES_PER_CLIENT = 1024;
/**
 * A known address's time is refreshed at most this often: each refresh rewrites a page in the batch's
 * commit, and an hour is nothing against 30 days.
 */
export const CLIENT_ADDRESS_REFRESH_MS = 60 * 60_000;

export interface ClientAddressUse {
  clientId: string;
  ip: string;
  at: number;
}

/** When `clientId` last authenticated from `ip`, if the store remembers it. */
export async function findClientAddressSeenAt(q: Queryable, clientId: string, ip: string): Promise<number | undefined> {
  return (await q.get<{ at: number }>('SELECT last_seen_at AS at FROM client_addresses WHERE client_id = ? AND ip = ?', [clientId, ip]))?.at;
}

/**
 * Records successful authentications; runs inside the caller's transaction. A new address also prunes its
 * client's rows (too old, or beyond the most recent CLIENT_ADDRESSES_PER_CLIENT); a known one is only
 * touched when its time is more than CLIENT_ADDRESS_REFRESH_MS old.
 */
export async function recordClientAddresses(tx: Queryable, uses: Iterable<ClientAddressUse>): Promise<void> {
  for (const use of uses) {
    const inserted = await tx.run('INSERT INTO client_addresses (client_id, ip, last_seen_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', [
      use.clientId,
      use.ip,
      use.at,
    ]);
    if (inserted.changes === 1) {
      await tx.run(
        `DELETE FROM client_addresses WHERE client_id = ? AND (last_seen_at < ? OR ip NOT IN (
           SELECT ip FROM client_addresses WHERE client_id = ? ORDER BY last_seen_at DESC LIMIT ?))`,
        [use.clientId, use.at - CLIENT_ADDRESS_MAX_AGE_MS, use.clientId, CLIENT_ADDRESSES_PER_CLIENT],
      );
    } else {
      await tx.run('UPDATE client_addresses SET last_seen_at = ? WHERE client_id = ? AND ip = ? AND last_seen_at < ?', [
        use.at,
        use.clientId,
        use.ip,
        use.at - CLIENT_ADDRESS_REFRESH_MS,
      ]);
    }
  }
}

/** Forgets addresses not used for CLIENT_ADDRESS_MAX_AGE_MS (clients that stopped calling); at server start. */
export async function pruneClientAddresses(q: Queryable, now: number): Promise<number> {
  return (await q.run('DELETE FROM client_addresses WHERE last_seen_at < ?', [now - CLIENT_ADDRESS_MAX_AGE_MS])).changes;
}
