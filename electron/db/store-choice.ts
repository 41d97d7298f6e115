import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATABASE_FILE } from '../paths.js';
import type { MigrationPlan } from './migrate.js';
import { describeStore, openPostgresStore, parseStoreUrl, StoreUrlError } from './postgres.js';
import { postgresStore } from './store-postgres.js';
import type { Store, StoreObserver } from './store.js';

/**
 * Which store a process uses (issue 10), chosen the same way by the CLI, `keyrack serve` and the desktop
 * app: the data folder's SQLite file, or a PostgreSQL database named by a URL without a password.
 *
 * Who wins, first to last: the `--store` flag, the environment variable KEYRACK_STORE, the setting in the
 * data folder's `store.json` (written by `keyrack store use`, read by the desktop app too), else SQLite.
 * A choice that cannot be read is refused, never skipped for the next one: a typo must not silently open
 * another store.
 */

/** The environment variable naming the store: a postgres:// URL, or `sqlite`. */
export const STORE_ENV = 'KEYRACK_STORE';

/** The data folder's setting: `{"store": "postgres://…"}`; absent means SQLite. */
export const STORE_SETTING_FILE = 'store.json';

export type StoreChoiceSource = 'flag' | 'env' | 'setting' | 'default';

export type StoreChoice =
  | { kind: 'sqlite'; source: StoreChoiceSource }
  | { kind: 'postgres'; url: string; source: StoreChoiceSource };

export interface StoreChoiceInput {
  /** `--store`. */
  flag?: string | undefined;
  /** KEYRACK_STORE (an empty value counts as unset). */
  env?: string | undefined;
  /** The data folder's setting (readStoreSetting). */
  setting?: string | undefined;
}

/** The setting file cannot be read as a store choice. */
export class StoreSettingError extends Error {
  constructor(file: string, problem: string) {
    super(`The store setting ${file} is not usable: ${problem}. Fix it, or remove it with \`keyrack store use sqlite\`.`);
    this.name = 'StoreSettingError';
  }
}

/**
 * flag > env > setting > SQLite. A URL is checked here (StoreUrlError: malformed, or holding a password);
 * nothing is opened.
 */
export function resolveStoreChoice(input: StoreChoiceInput): StoreChoice {
  const given: [StoreChoiceSource, string | undefined][] = [
    ['flag', input.flag],
    ['env', input.env === '' ? undefined : input.env],
    ['setting', input.setting],
  ];
  for (const [source, text] of given) {
    if (text === undefined) continue;
    return parseStoreChoice(text, source);
  }
  return { kind: 'sqlite', source: 'default' };
}

/** `sqlite`, or a postgres:// URL (checked, never holding a password). */
export function parseStoreChoice(text: string, source: StoreChoiceSource): StoreChoice {
  const trimmed = text.trim();
  if (trimmed.toLowerCase() === 'sqlite') return { kind: 'sqlite', source };
  if (trimmed === '') throw new StoreUrlError('it is empty');
  parseStoreUrl(trimmed);
  return { kind: 'postgres', url: trimmed, source };
}

/** The store named by the data folder's store.json, or undefined when there is none. */
export function readStoreSetting(dataDir: string): string | undefined {
  const file = join(dataDir, STORE_SETTING_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined;
    throw new StoreSettingError(file, (error as Error).message);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new StoreSettingError(file, 'it is not JSON');
  }
  const store = (value as { store?: unknown } | null)?.store;
  if (typeof store !== 'string') throw new StoreSettingError(file, 'it has no "store" text');
  return store;
}

/**
 * Writes the data folder's setting (owner-only, replaced in one rename), or removes it for SQLite. The
 * caller has checked the store opens.
 */
export function writeStoreSetting(dataDir: string, choice: StoreChoice): void {
  const file = join(dataDir, STORE_SETTING_FILE);
  if (choice.kind === 'sqlite') {
    rmSync(file, { force: true });
    return;
  }
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify({ store: choice.url }, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, file);
}

/** The choice a process in `dataDir` makes: the flag and the environment, then the data folder's setting. */
export function chooseStore(dataDir: string, input: Omit<StoreChoiceInput, 'setting'>): StoreChoice {
  const early = resolveStoreChoice({ ...input, setting: undefined });
  if (early.source !== 'default') return early;
  return resolveStoreChoice({ setting: readStoreSetting(dataDir) });
}

/** An opened store; the SQLite one is the core's own connection to the data folder's file. */
export interface ChosenStore {
  readonly kind: StoreChoice['kind'];
  /** The port to give openCore; undefined for SQLite (the core makes one over its own connection). */
  readonly store: Store | undefined;
  /** The SQLite file, or the PostgreSQL URL (never holding a password). */
  readonly describe: string;
  /** Ends the PostgreSQL pool; nothing for SQLite (the core closes its file). */
  close(): Promise<void>;
}

export interface OpenChosenStoreOptions {
  dataDir: string;
  /** Hears an upgrade's plan before it runs (upgradeNotice words it), on PostgreSQL as on SQLite. */
  onMigrate?: (plan: MigrationPlan) => void;
  /** A hidden prompt, asked only when the server wants a password PGPASSWORD and ~/.pgpass did not give. */
  askPassword?: () => Promise<string>;
  connectTimeoutMs?: number;
  observer?: StoreObserver;
}

/**
 * The longest one statement of the CLI or the app may take on PostgreSQL before it counts as unreachable
 * (StoreUnavailableError, said in plain words): far above any statement of theirs (each works in short
 * transactions and pages), so only a database that stopped answering (a cut network drops packets, and TCP
 * would wait minutes) reaches it. The token server's own view waits far less (token-server/server.ts).
 */
export const ADMIN_STATEMENT_DEADLINE_MS = 30_000;

/**
 * Opens the chosen store. PostgreSQL: connects (StoreUnreachableError, StoreLoginError, … in plain words)
 * and migrates, refusing another application's database or a newer schema before anything is written.
 * SQLite: nothing to open here; openCore opens and migrates the file.
 */
export async function openChosenStore(choice: StoreChoice, options: OpenChosenStoreOptions): Promise<ChosenStore> {
  if (choice.kind === 'sqlite') {
    return { kind: 'sqlite', store: undefined, describe: join(options.dataDir, DATABASE_FILE), close: async () => undefined };
  }
  const pool = await openPostgresStore(choice.url, {
    onMigrate: options.onMigrate,
    askPassword: options.askPassword,
    connectTimeoutMs: options.connectTimeoutMs,
  });
  const store = postgresStore(pool, options.observer, { deadlineMs: ADMIN_STATEMENT_DEADLINE_MS });
  let closed: Promise<void> | undefined;
  return {
    kind: 'postgres',
    store,
    describe: describeStore(parseStoreUrl(choice.url)),
    close: () => (closed ??= store.close()),
  };
}

/** What useStore chose and wrote. */
export interface StoreUsed {
  choice: StoreChoice;
  /** The SQLite file, or the PostgreSQL URL (never holding a password). */
  describe: string;
  /** The data folder's store.json (removed again for SQLite). */
  setting: string;
}

/**
 * `keyrack store use` and the desktop app's Store card: makes `text` (`sqlite`, or a postgres:// URL) this
 * data folder's store for the next start. A malformed URL is refused before anything is opened (StoreUrlError);
 * the store must then open (reachable, the login accepted, a Keyrack store or an empty database, which gets
 * this program's schema, a schema this program knows) before store.json names it: when it does not, the
 * error of openChosenStore is thrown and nothing is written.
 */
export async function useStore(dataDir: string, text: string, options: Omit<OpenChosenStoreOptions, 'dataDir' | 'observer'> = {}): Promise<StoreUsed> {
  const choice = parseStoreChoice(text, 'setting');
  const opened = await openChosenStore(choice, { ...options, dataDir });
  await opened.close();
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  writeStoreSetting(dataDir, choice);
  return { choice, describe: opened.describe, setting: join(dataDir, STORE_SETTING_FILE) };
}
