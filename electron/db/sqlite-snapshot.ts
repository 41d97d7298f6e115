import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Db } from './open.js';

/** There is no store file where one was expected. Nothing was created. */
export class NoStoreError extends Error {
  constructor(file: string) {
    super(`There is no Keyrack store at ${file}. Check --data (or KEYRACK_DATA).`);
    this.name = 'NoStoreError';
  }
}

/**
 * Opens a SQLite store read-only, for commands that look at it while the app or `keyrack serve` may be
 * writing to it (`keyrack store status`, `keyrack store copy`): never migrates, never creates a file,
 * never writes. With `snapshot`, a read transaction is opened and its first read taken, so every later
 * read sees the store as of that moment (WAL readers keep their snapshot while writers go on) until the
 * connection is closed.
 */
export function openSqliteReadOnly(file: string, options: { snapshot?: boolean } = {}): Db {
  if (!existsSync(file)) throw new NoStoreError(file);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    if (options.snapshot) {
      db.exec('BEGIN');
      // A deferred transaction takes its snapshot at its first read, not at BEGIN.
      db.prepare('SELECT count(*) FROM sqlite_schema').get();
    }
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** The store's schema version (PRAGMA user_version, which migrate.ts keeps). */
export function sqliteSchemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}
