import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { migrate, type MigrationPlan } from './migrate.js';
import { migrations } from './migrations/index.js';

export type Db = Database.Database;

export interface OpenDatabaseOptions {
  /** Path to a better-sqlite3 binary built for another runtime (the Electron app passes its own). */
  nativeBinding?: string;
  /** Milliseconds a writer waits for another connection's lock before failing. */
  busyTimeoutMs?: number;
  /** Stores up to this size get SQLite's quick_check at every open; see needsIntegrityCheck. */
  fullCheckMaxBytes?: number;
  /** Hears an upgrade's plan before it runs (upgradeNotice in migrate.ts words it). */
  onMigrate?: (plan: MigrationPlan) => void;
}

/** How long a writer waits for another connection's lock before failing, unless told otherwise. */
const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/** quick_check reads every page: ~1 s per 100 MB here, so it is cheap below this size. */
export const FULL_CHECK_MAX_BYTES = 64 * 1024 * 1024;

/** The file is not a SQLite database, or SQLite's own check found damage. Nothing was written. */
export class DatabaseDamagedError extends Error {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(
      `The database ${file} is damaged (${detail}). Keyrack will not open it: ` +
        'restore it from a backup, or move it aside to start with an empty store.',
    );
    this.name = 'DatabaseDamagedError';
  }
}

const DAMAGE_CODES = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT', 'SQLITE_CORRUPT_INDEX', 'SQLITE_CORRUPT_VTAB']);

/**
 * Opens (creating if needed) the store, applies the durability settings every connection must have,
 * refuses a damaged file, and migrates it to the schema this app knows.
 *
 * WAL + synchronous=FULL: a committed transaction is on disk before the call returns, so nothing an
 * admin or a client saw acknowledged is lost on a power cut.
 */
export function openDatabase(file: string, options: OpenDatabaseOptions = {}): Db {
  const check = needsIntegrityCheck(file, options.fullCheckMaxBytes ?? FULL_CHECK_MAX_BYTES);
  const db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  try {
    applyConnectionSettings(db, options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS);
    if (check) {
      const result = db.pragma('quick_check', { simple: true });
      if (result !== 'ok') throw new DatabaseDamagedError(file, `quick_check: ${String(result)}`);
    }
    migrate(db, migrations, options.onMigrate);
    return db;
  } catch (error) {
    db.close();
    const code = (error as { code?: string }).code;
    if (code && DAMAGE_CODES.has(code)) throw new DatabaseDamagedError(file, (error as Error).message);
    throw error;
  }
}

/**
 * Another connection to a store that openDatabase opened, checked and migrated (the token server's audit
 * writer thread, audit-worker.ts): the same connection settings, so what it commits is as durable, and
 * none of the checks. Never creates the file.
 */
export function openConnection(file: string, options: Pick<OpenDatabaseOptions, 'nativeBinding' | 'busyTimeoutMs'> = {}): Db {
  const db = new Database(file, { fileMustExist: true, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) });
  try {
    applyConnectionSettings(db, options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Whether this open runs SQLite's quick_check over the whole file. Always for a store of ordinary size.
 * A large store (a year of token events is ~500 MB, ~5 s of checking) is checked when its last session
 * did not end cleanly: the last connection to close checkpoints the WAL and deletes it, so a WAL file
 * with content at open means a crash, a power cut, or another process (the CLI beside the app) still
 * using the store, and in each case the check runs. After a clean shutdown SQLite still verifies every
 * page it reads (a damaged one fails that statement with SQLITE_CORRUPT); only the up-front scan is
 * skipped, so a store of a million events opens in milliseconds.
 */
export function needsIntegrityCheck(file: string, fullCheckMaxBytes: number): boolean {
  const size = fileSize(file);
  if (size <= fullCheckMaxBytes) return true;
  return fileSize(`${file}-wal`) > 0;
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** What every connection to the store must have, whoever opens it (openDatabase, openConnection). */
function applyConnectionSettings(db: Db, busyTimeoutMs: number): void {
  db.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
  // journal_mode is the first statement that reads the header, so a non-database file fails here.
  const mode = db.pragma('journal_mode = WAL', { simple: true });
  if (mode !== 'wal' && mode !== 'memory') throw new Error(`SQLite refused WAL mode (got ${String(mode)})`);
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
}
