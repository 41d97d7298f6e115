import type Database from 'better-sqlite3';

export interface Migration {
  /** Strictly increasing; numbered in tens so a fix can slot in between. A shipped migration is never edited. */
  readonly version: number;
  readonly name: string;
  up(db: Database.Database): void;
  /**
   * What the step does that takes time in proportion to the store (rebuilding an index over every event),
   * said before an upgrade starts so nobody takes the wait for a hang. Absent for the quick ones.
   */
  readonly takesLong?: string;
}

/** An upgrade about to run: from and to which schema, and what its long steps will do. */
export interface MigrationPlan {
  from: number;
  to: number;
  takesLong: string[];
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
 * transaction: a failure leaves the file exactly as it was. `onStart` hears the plan first, when there is
 * anything to do.
 */
export function migrate(
  db: Database.Database,
  list: readonly Migration[],
  onStart?: (plan: MigrationPlan) => void,
): { from: number; to: number } {
  assertOrdered(list);
  const from = db.pragma('user_version', { simple: true }) as number;
  const to = latestVersion(list);
  if (from > to) throw new DatabaseTooNewError(from, to);
  const pending = list.filter((m) => m.version > from);
  if (pending.length === 0) return { from, to: from };
  onStart?.({ from, to, takesLong: pending.flatMap((m) => (m.takesLong ? [m.takesLong] : [])) });
  db.transaction(() => {
    for (const migration of pending) {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }
  }).immediate();
  return { from, to };
}

/**
 * The line to show before an upgrade that will take a while, or null: a new store (nothing in it to
 * rebuild) and upgrades made only of quick steps pass silently.
 */
export function upgradeNotice(plan: MigrationPlan): string | null {
  if (plan.from === 0 || plan.takesLong.length === 0) return null;
  return `Upgrading the store from schema ${plan.from} to ${plan.to}, once: ${plan.takesLong.join('; ')}. Please wait…`;
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
