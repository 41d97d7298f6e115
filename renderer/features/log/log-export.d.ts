import type { InputOf } from '../../../shared/contract.js';
import type { LogPage } from '../../../shared/dto.js';
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
export declare class ExportCancelled extends Error {
    constructor();
}
/** The largest page log.search serves (shared/schemas.ts logQueryInput). */
export declare const EXPORT_PAGE_SIZE = 500;
/**
 * Pages through log.search with its keyset cursor, newest first, and builds the CSV. This runs in the
 * renderer for now: each page is one bridged call, so the main process never holds the whole export.
 * A main-side export (and Electron's save dialog) can replace the transport without touching the CSV rules.
 */
export declare function exportLogCsv(search: LogSearch, filters: LogFilters, options?: {
    onProgress?: (p: ExportProgress) => void;
    signal?: AbortSignal;
    pageSize?: number;
}): Promise<LogExport>;
/** Share of the ids from `newestId` down to 1 already passed once the cursor stands at `cursor`. */
export declare function progressFraction(newestId: number, cursor: number): number;
/** A file name that sorts by date and says what it holds: keyrack-log-2026-01-15T09-00-00Z.csv */
export declare function exportFileName(now: Date): string;
