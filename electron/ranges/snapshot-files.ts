import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROVIDERS, type Provider } from '../../shared/domain.js';
import { OWNER_ONLY, writeFileAtomic } from '../fs/atomic-write.js';
import { parseCidrRange } from '../net/address-ranges.js';
import type { RangeInfo } from '../../shared/ranges.dto.js';
import type { RangeSnapshot } from './types.js';

/** Snapshots live in <dataDir>/ranges/<provider>.json, one file per provider, so one failed update touches no other. */
export const rangesDir = (dataDir: string) => join(dataDir, 'ranges');
export const snapshotPath = (dataDir: string, provider: Provider) => join(rangesDir(dataDir), `${provider.toLowerCase()}.json`);

export interface StoredSnapshot extends RangeSnapshot {
  publishedAtSource: RangeInfo['publishedAtSource'];
}

/** Atomically (fs/atomic-write.ts): a crash leaves either the old snapshot or the new one, never half a file. */
export function writeSnapshot(dataDir: string, snapshot: StoredSnapshot): void {
  mkdirSync(rangesDir(dataDir), { recursive: true, mode: 0o700 });
  writeFileAtomic(snapshotPath(dataDir, snapshot.provider), `${JSON.stringify(snapshot)}\n`, OWNER_ONLY);
}

export type ReadResult =
  | { state: 'missing' }
  | { state: 'damaged'; reason: string }
  | { state: 'loaded'; snapshot: StoredSnapshot };

/** Reads and checks one stored snapshot; anything unexpected is `damaged` (and then matches nothing). */
export function readSnapshot(dataDir: string, provider: Provider): ReadResult {
  let text: string;
  try {
    text = readFileSync(snapshotPath(dataDir, provider), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing' };
    return { state: 'damaged', reason: `cannot read the snapshot file (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  let doc: Partial<StoredSnapshot>;
  try {
    doc = JSON.parse(text) as Partial<StoredSnapshot>;
  } catch {
    return { state: 'damaged', reason: 'the snapshot file is not valid JSON' };
  }
  if (doc.format !== 1 || doc.provider !== provider || !PROVIDERS.includes(doc.provider) || !Array.isArray(doc.prefixes) ||
      typeof doc.fetchedAt !== 'number' || typeof doc.source !== 'string') {
    return { state: 'damaged', reason: 'the snapshot file is not a Keyrack ranges snapshot' };
  }
  try {
    for (const prefix of doc.prefixes) parseCidrRange(String(prefix));
  } catch (error) {
    return { state: 'damaged', reason: (error as Error).message };
  }
  return {
    state: 'loaded',
    snapshot: {
      format: 1,
      provider,
      prefixes: doc.prefixes.map(String),
      publishedAt: typeof doc.publishedAt === 'string' ? doc.publishedAt : null,
      publishedAtSource: doc.publishedAtSource ?? null,
      version: typeof doc.version === 'string' ? doc.version : null,
      fetchedAt: doc.fetchedAt,
      source: doc.source,
    },
  };
}
