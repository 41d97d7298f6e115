import type { InputOf } from '../../../shared/contract.js';
import type { LogPage } from '../../../shared/dto.js';
import { auditCsvHeader, auditEventCsv } from './audit-csv.js';
import { UTF8_BOM } from './csv.js';

/** The log filters an export applies (everything of a log query but its paging). */
export type LogFilters = Omit<InputOf<'log.search'>, 'before' | 'limit'>;

export type LogSearch = (query: InputOf<'log.search'>) => Promise<LogPage>;

export interface ExportProgress {
  /** Events written so far. */
  rows: number;
  /**
   * An estimate in [0, 1]. Ids only grow, so the share of the id range between the newest matching
   * event and the current cursor walked so far is a monotonic stand-in for a total the log does not
   * count (counting would cost a second full scan). Reaches 1 exactly when the last page arrives.
   */
  fraction: number;
}

export interface LogExport {
  /** The CSV text in pieces, ready for `new Blob(chunks)` without one giant string. */
  chunks: string[];
  rows: number;
}

export class ExportCancelled extends Error {
  constructor() {
    super('The export was cancelled');
    this.name = 'ExportCancelled';
  }
}

/** The largest page log.search serves (shared/schemas.ts logQueryInput). */
export const EXPORT_PAGE_SIZE = 500;

/**
 * Pages through log.search with its keyset cursor, newest first, and builds the CSV. This runs in the
 * renderer for now: each page is one bridged call, so the main process never holds the whole export.
 * A main-side export (and Electron's save dialog) can replace the transport without touching the CSV rules.
 */
export async function exportLogCsv(
  search: LogSearch,
  filters: LogFilters,
  options: { onProgress?: (p: ExportProgress) => void; signal?: AbortSignal; pageSize?: number } = {},
): Promise<LogExport> {
  const pageSize = options.pageSize ?? EXPORT_PAGE_SIZE;
  const chunks = [UTF8_BOM + auditCsvHeader()];
  let rows = 0;
  let newestId: number | null = null;
  let before: number | undefined;
  for (;;) {
    if (options.signal?.aborted) throw new ExportCancelled();
    const page = await search({ ...filters, limit: pageSize, ...(before === undefined ? {} : { before }) });
    if (options.signal?.aborted) throw new ExportCancelled();
    if (page.rows.length > 0) {
      chunks.push(page.rows.map(auditEventCsv).join(''));
      rows += page.rows.length;
      newestId ??= page.rows[0]!.id;
    }
    if (page.nextCursor === null) {
      options.onProgress?.({ rows, fraction: 1 });
      return { chunks, rows };
    }
    before = page.nextCursor;
    options.onProgress?.({ rows, fraction: progressFraction(newestId ?? before, before) });
  }
}

/** Share of the ids from `newestId` down to 1 already passed once the cursor stands at `cursor`. */
export function progressFraction(newestId: number, cursor: number): number {
  if (newestId <= 0) return 1;
  const walked = newestId - cursor + 1;
  return Math.min(0.99, Math.max(0, walked / newestId));
}

/** A file name that sorts by date and says what it holds: keyrack-log-2026-01-15T09-00-00Z.csv */
export function exportFileName(now: Date): string {
  return `keyrack-log-${now.toISOString().replace(/\.\d{3}Z$/, 'Z').replaceAll(':', '-')}.csv`;
}
