import { createHash } from 'node:crypto';

/**
 * The audit log's hash chain: each event's hash covers its predecessor's hash and a canonical encoding of
 * its own row, id included, so an edited, deleted, inserted or reordered event breaks the chain where it
 * happened. Changing the encoding needs a migration that re-chains: old hashes would no longer verify.
 */
export const GENESIS_HASH = Buffer.alloc(32);

export interface ChainedRow {
  id: number;
  at: number;
  actor_kind: string;
  actor_id: number | null;
  actor_name: string;
  type: string;
  target_user_id: number | null;
  target_name: string | null;
  outcome: string;
  reason: string | null;
  source_ip: string | null;
  /** The JSON text exactly as stored. */
  details: string | null;
}

/** A fixed-order JSON array: unambiguous (strings are quoted and escaped) and stable across versions. */
export function canonicalEncoding(r: ChainedRow): string {
  return JSON.stringify([
    1, // encoding version
    r.id,
    r.at,
    r.actor_kind,
    r.actor_id,
    r.actor_name,
    r.type,
    r.target_user_id,
    r.target_name,
    r.outcome,
    r.reason,
    r.source_ip,
    r.details,
  ]);
}

export function chainHash(prevHash: Buffer, row: ChainedRow): Buffer {
  return createHash('sha256').update(prevHash).update(canonicalEncoding(row)).digest();
}
