import { once } from 'node:events';
import { createReadStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { chainHash, GENESIS_HASH, type ChainedRow } from '../crypto/audit-chain.js';
import type { Queryable } from '../db/store.js';
import { openAtomicWriteStream } from '../fs/atomic-write.js';
import { readChainAnchor, verifyAuditChainInSteps, type ChainProblem, type ChainReport } from '../repos/audit.repo.js';

/**
 * Retention's archive: the events a prune removes, as gzip-compressed JSON Lines. The first line is a
 * header naming the id range and the chain's boundary hashes (the hash the first event links to, and the
 * last event's hash, which becomes the store's chain anchor); then one line per event, every stored
 * column included, so the archive re-verifies on its own and the remaining log verifies from its last hash.
 */
export const ARCHIVE_FORMAT = 'keyrack-audit-archive';
export const ARCHIVE_FOLDER = 'log-archive';
const PAGE = 5_000;

export interface ArchiveHeader {
  format: typeof ARCHIVE_FORMAT;
  version: 1;
  createdAt: number;
  firstId: number;
  lastId: number;
  count: number;
  /** Hex: the hash the first archived event links to (zeros at the start of the log). */
  prevHash: string;
  /** Hex: the last archived event's hash. */
  lastHash: string;
}

type ArchivedRow = ChainedRow & { prev_hash: string; hash: string };

export interface WrittenArchive {
  file: string;
  header: ArchiveHeader;
}

/**
 * Writes events firstId..lastId (oldest first) to `<dataDir>/log-archive/`, atomically (fs/atomic-write.ts),
 * so a crash never leaves an archive that looks whole but is not.
 * Reads in keyset pages through the Store port (constant memory; an open iterator would hold the connection
 * while the file drains).
 */
export async function writeArchive(
  q: Queryable,
  dataDir: string,
  range: { firstId: number; lastId: number; prevHash: Buffer; lastHash: Buffer },
  now: number,
): Promise<WrittenArchive> {
  const folder = join(dataDir, ARCHIVE_FOLDER);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
  const file = join(folder, `audit-${range.firstId}-${range.lastId}-${stamp}.jsonl.gz`);
  const header: ArchiveHeader = {
    format: ARCHIVE_FORMAT,
    version: 1,
    createdAt: now,
    firstId: range.firstId,
    lastId: range.lastId,
    count: range.lastId - range.firstId + 1,
    prevHash: range.prevHash.toString('hex'),
    lastHash: range.lastHash.toString('hex'),
  };
  const out = openAtomicWriteStream(file);
  const gzip = createGzip();
  // Settles once gzip has handed its last bytes to the file and ended it; an error on either side rejects.
  const piped = pipeline(gzip, out.stream);
  piped.catch(() => undefined); // awaited below; meanwhile an early error must not count as unhandled
  try {
    const put = async (text: string) => {
      if (!gzip.write(text)) await once(gzip, 'drain');
    };
    await put(`${JSON.stringify(header)}\n`);
    let written = 0;
    for (let from = range.firstId; ; ) {
      const rows = await q.all<ChainedRow & { prev_hash: Buffer; hash: Buffer }>(
        'SELECT * FROM audit_events WHERE id >= ? AND id <= ? ORDER BY id LIMIT ?',
        [from, range.lastId, PAGE],
      );
      if (rows.length === 0) break;
      let chunk = '';
      for (const row of rows) chunk += `${JSON.stringify({ ...row, prev_hash: row.prev_hash.toString('hex'), hash: row.hash.toString('hex') })}\n`;
      await put(chunk);
      written += rows.length;
      from = rows.at(-1)!.id + 1;
    }
    if (written !== header.count) throw new Error(`expected ${header.count} events to archive, found ${written}`);
    gzip.end();
    await piped;
    await out.commit();
  } catch (error) {
    gzip.destroy();
    await out.abort();
    throw error;
  }
  return { file, header };
}

export interface ArchiveReport {
  file: string;
  firstId: number | null;
  lastId: number | null;
  checked: number;
  /** The archive's own chain (or its header) is wrong: edited, missing or reordered lines, a bad header. */
  problem: { id: number | null; problem: ChainProblem | 'bad_header' | 'not_contiguous' | 'truncated' } | null;
  /** The hash the archive's last event carries (hex), when it verified. */
  lastHash: string | null;
}

/** Re-computes an archive's chain from its header's start hash; names the first line that does not verify. */
export async function verifyArchive(file: string, expectedStart?: { id: number; hash: string }): Promise<ArchiveReport> {
  const report: ArchiveReport = { file, firstId: null, lastId: null, checked: 0, problem: null, lastHash: null };
  const input = createReadStream(file);
  const lines = createInterface({ input: input.pipe(createGunzip()), crlfDelay: Infinity });
  let header: ArchiveHeader | undefined;
  let prevHash = GENESIS_HASH;
  let previousId = 0;
  try {
    for await (const line of lines) {
      if (header === undefined) {
        header = parseHeader(line);
        if (!header) return { ...report, problem: { id: null, problem: 'bad_header' } };
        report.firstId = header.firstId;
        report.lastId = header.lastId;
        if (expectedStart && (expectedStart.id !== header.firstId - 1 || expectedStart.hash !== header.prevHash)) {
          return { ...report, problem: { id: header.firstId, problem: 'not_contiguous' } };
        }
        if (header.firstId === 1 && header.prevHash !== GENESIS_HASH.toString('hex')) {
          return { ...report, problem: { id: 1, problem: 'bad_header' } };
        }
        prevHash = Buffer.from(header.prevHash, 'hex');
        previousId = header.firstId - 1;
        continue;
      }
      const row = JSON.parse(line) as ArchivedRow;
      const rowPrev = Buffer.from(row.prev_hash, 'hex');
      const rowHash = Buffer.from(row.hash, 'hex');
      const linked = rowPrev.equals(prevHash) && row.id === previousId + 1;
      const intact = chainHash(rowPrev, row).equals(rowHash);
      if (!intact || !linked) return { ...report, problem: { id: row.id, problem: intact ? 'broken_link' : 'edited' } };
      prevHash = rowHash;
      previousId = row.id;
      report.checked++;
    }
  } catch {
    // A damaged gzip stream or a line that is not JSON: the archive was altered or cut short.
    return { ...report, problem: { id: previousId + 1, problem: 'truncated' } };
  } finally {
    lines.close();
    input.destroy();
  }
  if (!header) return { ...report, problem: { id: null, problem: 'bad_header' } };
  if (previousId !== header.lastId || prevHash.toString('hex') !== header.lastHash) {
    return { ...report, problem: { id: previousId + 1, problem: 'truncated' } };
  }
  return { ...report, lastHash: header.lastHash };
}

function parseHeader(line: string): ArchiveHeader | undefined {
  try {
    const h = JSON.parse(line) as Partial<ArchiveHeader>;
    const hex = (v: unknown) => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);
    const int = (v: unknown) => Number.isSafeInteger(v) && (v as number) > 0;
    if (h.format !== ARCHIVE_FORMAT || h.version !== 1 || !int(h.firstId) || !int(h.lastId) || !hex(h.prevHash) || !hex(h.lastHash)) {
      return undefined;
    }
    return h as ArchiveHeader;
  } catch {
    return undefined;
  }
}

export interface AcrossArchivesReport {
  ok: boolean;
  archives: ArchiveReport[];
  /** The store's log, verified from the last archive's last hash (null when an archive failed first). */
  log: ChainReport | null;
  /** The store's chain anchor names another boundary than the newest archive's end. */
  anchorMismatch: boolean;
}

/**
 * `keyrack log verify --archive FILE...`: each archive re-verified on its own and joined to the previous
 * one (oldest first, by id), then the store's log verified from the newest archive's last hash, which
 * must also be the boundary the store recorded when it pruned. An archive edited, cut short or missing
 * from the sequence fails here, as does a store whose oldest events were removed some other way.
 */
export async function verifyAcrossArchives(q: Queryable, files: readonly string[], onProgress?: (checked: number) => void): Promise<AcrossArchivesReport> {
  const headers = await Promise.all(files.map(async (file) => ({ file, first: await firstIdOf(file) })));
  headers.sort((a, b) => (a.first ?? 0) - (b.first ?? 0));
  const archives: ArchiveReport[] = [];
  let previous: { id: number; hash: string } | undefined;
  for (const { file } of headers) {
    const report = await verifyArchive(file, previous);
    archives.push(report);
    if (report.problem) return { ok: false, archives, log: null, anchorMismatch: false };
    previous = { id: report.lastId!, hash: report.lastHash! };
  }
  const start = previous && { id: previous.id, hash: Buffer.from(previous.hash, 'hex') };
  const anchor = await readChainAnchor(q);
  const anchorMismatch = start !== undefined && (!anchor || anchor.id !== start.id || !anchor.hash.equals(start.hash));
  // Progress every 10 000 events, as the CLI prints it; no pause between pages (the CLI has no window).
  const log = await verifyAuditChainInSteps(q, onProgress, start, 10_000, false);
  return { ok: log.firstProblem === null && !anchorMismatch, archives, log, anchorMismatch };
}

async function firstIdOf(file: string): Promise<number | null> {
  const input = createReadStream(file);
  const lines = createInterface({ input: input.pipe(createGunzip()), crlfDelay: Infinity });
  try {
    for await (const line of lines) return parseHeader(line)?.firstId ?? null;
  } catch {
    // Unreadable: verifyArchive reports it in its place.
  } finally {
    lines.close();
    input.destroy();
  }
  return null;
}
