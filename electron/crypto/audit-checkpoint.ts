import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A checkpoint of the audit log's head: the newest event's id and chain hash, and when it was written,
 * authenticated with HMAC-SHA256 under a key the store holds only wrapped (by the master key or the OS
 * keychain; see electron/services/audit-anchor.ts).
 *
 * Why: the hash chain alone (audit-chain.ts) is keyless. Anyone who can write the store can delete the
 * newest events, or edit one and recompute every hash after it with the same public function, and the
 * chain verifies. A checkpoint they cannot forge pins the head: a log that ends before it lost its tail,
 * a log whose event at its id has another hash was rewritten.
 */
export interface Checkpoint {
  /** The head's event id: ids have no gaps, so this is also where the log must reach. */
  id: number;
  hash: Buffer;
  /** The head event's time (ms): when the checkpoint vouches for the log up to. */
  at: number;
  mac: Buffer;
}

export type ChainHead = Omit<Checkpoint, 'mac'>;

/** Domain separation: this key MACs nothing else, and a later format never verifies as this one. */
const LABEL = 'keyrack audit checkpoint v1';

export function checkpointMac(key: Buffer, head: ChainHead): Buffer {
  return createHmac('sha256', key).update(`${LABEL}\n${head.id}\n${head.at}\n`).update(head.hash).digest();
}

export function signCheckpoint(key: Buffer, head: ChainHead): Checkpoint {
  return { ...head, mac: checkpointMac(key, head) };
}

export function checkpointAuthentic(key: Buffer, checkpoint: Checkpoint): boolean {
  const expected = checkpointMac(key, checkpoint);
  return checkpoint.mac.length === expected.length && timingSafeEqual(checkpoint.mac, expected);
}

/** The JSON form, in the store's settings and in the file beside it. */
export function encodeCheckpoint(c: Checkpoint): string {
  return JSON.stringify({ v: 1, id: c.id, at: c.at, hash: c.hash.toString('hex'), mac: c.mac.toString('hex') });
}

/** Null for anything that is not a well-formed checkpoint (a damaged or foreign file is not trusted). */
export function parseCheckpoint(text: string): Checkpoint | null {
  try {
    const v = JSON.parse(text) as Record<string, unknown>;
    if (v.v !== 1 || !Number.isSafeInteger(v.id) || !Number.isSafeInteger(v.at)) return null;
    if (typeof v.hash !== 'string' || !/^[0-9a-f]{64}$/.test(v.hash)) return null;
    if (typeof v.mac !== 'string' || !/^[0-9a-f]{64}$/.test(v.mac)) return null;
    return { id: v.id as number, at: v.at as number, hash: Buffer.from(v.hash, 'hex'), mac: Buffer.from(v.mac, 'hex') };
  } catch {
    return null;
  }
}
