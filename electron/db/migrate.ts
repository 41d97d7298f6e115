import type Database from 'better-sqlite3';

export interface Migration {
  /** Strictly increasing; numbered in tens so a fix can slot in between. A shipped migration is never edited. */
  readonly version: number;
  readonly name: string;
  up(db: Database.Database): void;
}

/** The database was written by a newer Keyrack: opening it with this one could lose data. */
export class DatabaseTooNewError extends Error {
  constructor(
    readonly databaseVersion: number,
    readonly appVersion: number,
  ) {
    super(
      `This database has schema version ${databaseVersion}, newer than this Keyrack understands ` +
        `(${appVersion}). Update Keyrack before opening it.`,
    );
    this.name = 'DatabaseTooNewError';
  }
}

export function latestVersion(list: readonly Migration[]): number {
  return list.at(-1)?.version ?? 0;
}

/**
 * Brings the schema to the newest version on `PRAGMA user_version`. All pending steps run in one
 * transaction: a failure leaves the file exactly as it was.
 */
export function migrate(db: Database.Database, list: readonly Migration[]): { from: number; to: number } {
  assertOrdered(list);
  const from = db.pragma('user_version', { simple: true }) as number;
  const to = latestVersion(list);
  if (from > to) throw new DatabaseTooNewError(from, to);
  const pending = list.filter((m) => m.version > from);
  if (pending.length === 0) return { from, to: from };
  db.transaction(() => {
    for (const migration of pending) {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }
  }).immediate();
  return { from, to };
}

function assertOrdered(list: readonly Migration[]): void {
  list.forEach((m, i) => {
    if (!Number.isInteger(m.version) || m.version <= 0) throw new Error(`migration ${m.name}: bad version`);
    const previous = list[i - 1];
    if (previous && previous.version >= m.version) {
      throw new Error(`migrations out of order: ${previous.version} then ${m.version}`);
    }
  });
}
