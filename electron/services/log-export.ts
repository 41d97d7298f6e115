import type { Writable } from 'node:stream';
import type { Db } from '../db/open.js';
import type { Store } from '../db/store.js';
import { bringAuditIndexUpToDate, catchUpAuditIndex } from '../repos/audit-index.repo.js';
import {
  auditRawRowsPage,
  countAuditEvents,
  countAuditEventsOn,
  findAuditRows,
  type AuditFilters,
  type AuditQuery,
  type AuditRow,
  type RawAuditRow,
} from '../repos/audit-search.repo.js';
import type { LogExportFormat } from '../../shared/log.schemas.js';
import { csvRecord, UTF8_BOM } from './csv.js';

/**
 * Streams the audit log (or the part matching the log view's filters) as CSV or JSON Lines, newest first
 * like the view, in constant memory: keyset-paged reads of PAGE_SIZE rows, one chunk written per page,
 * waiting for the file to drain before the next read.
 *
 * On SQLite the pages are read as raw arrays on the connection (half the cost of objects at a million
 * events, which the Store port does not offer); on a PostgreSQL store they are read through the port, the
 * same keyset pages of the same query, each row made the same array, so the file is byte for byte the same.
 */
export const EXPORT_PAGE_SIZE = 5_000;

export interface ExportOptions {
  /** Called after each page: events written so far, and the total counted at the start. */
  onProgress?: (written: number, total: number) => void;
  /** Checked between pages; an aborted export stops and reports cancelled. */
  signal?: AbortSignal;
}

export interface ExportOutcome {
  written: number;
  total: number;
  cancelled: boolean;
}

export const CSV_COLUMNS = [
  'id', 'time', 'actor_kind', 'actor', 'type', 'target_user_id', 'target', 'outcome', 'reason', 'source_ip', 'details',
] as const;

/** Where the export reads: the core's connection and its store (ServiceDeps has both). */
export interface ExportSource {
  db: Db;
  store: Store;
}

/** Reads the pages: the connection's raw arrays on SQLite, the port's rows on PostgreSQL. */
interface PageReader {
  page(q: AuditQuery): Promise<{ rows: RawAuditRow[]; nextCursor: number | null }>;
}

/** Catches up the full-text index when free text is asked for, counts the matching events, and gives the page reader. */
async function readerFor({ db, store }: ExportSource, filters: AuditFilters): Promise<{ total: number; reader: PageReader }> {
  if (store.dialect === 'postgres') {
    if (filters.text !== undefined) await bringAuditIndexUpToDate(store);
    const total = await countAuditEventsOn(store, filters);
    return {
      total,
      reader: {
        async page(q) {
          const { rows, nextCursor } = await findAuditRows(store, q);
          return { rows: rows.map(rawRow), nextCursor };
        },
      },
    };
  }
  if (filters.text !== undefined) catchUpAuditIndex(db); // free text reads the full-text index
  return { total: countAuditEvents(db, filters), reader: { page: (q) => Promise.resolve(auditRawRowsPage(db, q)) } };
}

/** A row of the port as the array the SQLite path reads (EVENT_COLUMNS order). */
function rawRow(r: AuditRow): RawAuditRow {
  return [r.id, r.at, r.actor_kind, r.actor_id, r.actor_name, r.type, r.target_user_id, r.target_name, r.outcome, r.reason, r.source_ip, r.details];
}

export async function exportAuditLog(
  source: ExportSource,
  filters: AuditFilters,
  format: LogExportFormat,
  out: Writable,
  options: ExportOptions = {},
): Promise<ExportOutcome> {
  const { total, reader } = await readerFor(source, filters);
  const encode = format === 'csv' ? csvLine : jsonLine;
  // Before any page: a caller starting this in the background knows the total once this is called.
  options.onProgress?.(0, total);
  if (format === 'csv') await write(out, UTF8_BOM + csvRecord(CSV_COLUMNS));
  let written = 0;
  let before: number | undefined;
  for (;;) {
    // A macrotask between pages: the desktop's main process keeps answering the window (and the cancel
    // button) while a million events stream out.
    await new Promise((resolve) => setImmediate(resolve));
    if (options.signal?.aborted) return { written, total, cancelled: true };
    const page = await reader.page({ ...filters, before, limit: EXPORT_PAGE_SIZE });
    if (page.rows.length > 0) {
      let chunk = '';
      for (const row of page.rows) chunk += encode(row);
      await write(out, chunk);
      written += page.rows.length;
      options.onProgress?.(written, total);
    }
    if (page.nextCursor === null) return { written, total, cancelled: false };
    before = page.nextCursor;
  }
}

/** Resolves once the chunk is buffered; waits for 'drain' when the stream asks for it (backpressure). */
function write(out: Writable, chunk: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    out.once('error', onError);
    const ready = () => {
      out.off('error', onError);
      resolve();
    };
    if (out.write(chunk, 'utf8')) ready();
    else out.once('drain', ready);
  });
}

/**
 * One JSON Lines record: the event as log.search returns it. `details` is stored as validated JSON text
 * (a CHECK json_valid), so it is spliced in as is instead of parsed and serialised again.
 */
export function jsonLine(r: RawAuditRow): string {
  const [id, at, actorKind, actorId, actorName, type, targetUserId, targetName, outcome, reason, sourceIp, details] = r;
  const head = JSON.stringify({ id, at, actorKind, actorId, actorName, type, targetUserId, targetName, outcome, reason, sourceIp });
  return `${head.slice(0, -1)},"details":${details ?? 'null'}}\n`;
}

function csvLine(r: RawAuditRow): string {
  const [id, at, actorKind, , actorName, type, targetUserId, targetName, outcome, reason, sourceIp, details] = r;
  return csvRecord([id, new Date(at).toISOString(), actorKind, actorName, type, targetUserId, targetName, outcome, reason, sourceIp, details]);
}
