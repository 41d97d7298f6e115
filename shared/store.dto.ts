/** What the Store card shows (issue 10): the store this process opened, and what the next start opens. */

/** Who chose a store: `--store` (the CLI only), KEYRACK_STORE, the data folder's store.json, or nobody (SQLite). */
export type StoreChosenBy = 'flag' | 'env' | 'setting' | 'default';

/** A `keyrack serve` node whose heartbeat the store saw in the last minute. */
export interface StoreNodeInfo {
  node: string;
  version: string;
  url: string | null;
  startedAt: number;
  seenAt: number;
}

export interface StorePageStatus {
  /** The store this process opened at its start. */
  engine: 'sqlite' | 'postgres';
  /** The SQLite file, or the PostgreSQL URL (it never holds a password). */
  store: string;
  chosenBy: StoreChosenBy;
  /** The data folder's SQLite file, whichever store is in use (what choosing SQLite means here). */
  sqliteFile: string;
  /** The store's schema version, or null when it could not be read just now (see `problem`). */
  schemaVersion: number | null;
  programSchemaVersion: number;
  /** When this was read (epoch ms): the nodes' "seen … ago" count from it. */
  at: number;
  /** The nodes seen in the last minute, the most recent first (PostgreSQL; a SQLite store has none). */
  nodes: StoreNodeInfo[];
  /** Why the store's status could not be read just now (the PostgreSQL server unreachable, say), or null. */
  problem: string | null;
  /** What the next start opens, as the app chooses it: KEYRACK_STORE, else store.json, else SQLite. */
  next: { engine: 'sqlite' | 'postgres'; store: string; chosenBy: StoreChosenBy } | null;
  /** Why the next start's choice cannot be read (a broken store.json or KEYRACK_STORE), or null. */
  nextProblem: string | null;
  /** KEYRACK_STORE is set in this process's environment: it wins over the setting chosen here. */
  envOverrides: boolean;
}

/** After a store was chosen: store.json written (or removed for SQLite); the app uses it from its next start. */
export interface StoreChosen {
  engine: 'sqlite' | 'postgres';
  store: string;
  status: StorePageStatus;
}
