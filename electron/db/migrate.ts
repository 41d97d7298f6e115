import type Database from 'better-sqlite3';

/**
 * What a PostgreSQL step runs on: the client holding the migration's transaction (postgres-migrate.ts).
 * Only this one method, so that `pg` keeps its single importer (postgres.ts). BIGINT comes back as a
 * number there (postgres.ts sets the type parsers).
 */
export interface PostgresClient {
  query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

/**
 * One step of the schema, in both dialects side by side: `up` on SQLite, `postgres` on PostgreSQL. Both must
 * leave the same logical schema and the same rows (test/db/postgres-schema.test.ts compares them); the
 * mapping of types, NOCASE and full-text search is in docs/scale-out.md.
 */
export interface Migration {
  /** Strictly increasing; numbered in tens so a fix can slot in between. A shipped migration is never edited. */
  readonly version: number;
  readonly name: string;
  up(db: Database.Database): void;
  /**
   * The same step on PostgreSQL: SQL text (several statements allowed), a function on the migration's
   * client for a step that computes in JavaScript, or null for a step that has nothing to do there (say why
   * beside it).
   */
  readonly postgres: string | ((client: PostgresClient) => Promise<void>) | null;
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

/** What brings a store from its schema version to this program's: the steps, and the plan to announce. */
export interface PendingMigrations {
  plan: MigrationPlan;
  steps: readonly Migration[];
}

/**
 * The steps a store at version `from` needs, for either engine's runner (this file's `migrate` for SQLite,
 * postgres-migrate.ts): refuses a list out of order and a store newer than the list.
 */
export function pendingMigrations(list: readonly Migration[], from: number): PendingMigrations {
  assertOrdered(list);
  const to = latestVersion(list);
  if (from > to) throw new DatabaseTooNewError(from, to);
  const steps = list.filter((m) => m.version > from);
  return { plan: { from, to, takesLong: steps.flatMap((m) => (m.takesLong ? [m.takesLong] : [])) }, steps };
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
  const from = db.pragma('user_version', { simple: true }) as number;
  const { plan, steps } = pendingMigrations(list, from);
  if (steps.length === 0) return { from, to: from };
  onStart?.(plan);
  db.transaction(() => {
    for (const migration of steps) {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }
  }).immediate();
  return { from, to: plan.to };
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
