import { join } from 'node:path';
import type { ParsedInputOf } from '../../shared/contract.js';
import { AppError, ValidationError } from '../../shared/errors.js';
import type { StoreChosen, StorePageStatus } from '../../shared/store.dto.js';
import type { Core } from '../core.js';
import { DatabaseTooNewError, latestVersion } from '../db/migrate.js';
import { migrations } from '../db/migrations/index.js';
import { describeStore, parseStoreUrl, StoreDatabaseMissingError, StoreLoginError, StoreUnreachableError, StoreUrlError } from '../db/postgres.js';
import { DatabaseEncodingError, ForeignDatabaseError } from '../db/postgres-migrate.js';
import { chooseStore, STORE_SETTING_FILE, StoreSettingError, useStore, type StoreChoice, type StoreUsed } from '../db/store-choice.js';
import { readStoreStatus } from '../db/store-status.js';
import { DATABASE_FILE } from '../paths.js';
import { recordEvent } from './audit.js';
import { authorize } from './authorize.js';
import type { Actor } from './context.js';
import type { HandlerRuntime } from './runtime.js';

/** How long choosing a PostgreSQL store waits for its server before calling it unreachable. */
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * The Server page's Store card (issue 10): the store this process opened and how it was chosen, and the
 * choice for the next start, written to the data folder's store.json exactly as `keyrack store use` writes it
 * (db/store-choice.ts useStore: the store must open first). Reading needs an active session, as the rest of
 * the page; choosing needs `server.manage` and leaves a `settings.changed` event. The app never switches
 * stores while it runs: the choice takes effect at its next start.
 *
 * The password of a PostgreSQL store is never asked for here: it comes from PGPASSWORD or ~/.pgpass of the
 * account running the app, as at the app's start (main.ts has no prompt either).
 */
export class StoreAdmin {
  constructor(
    private readonly core: Core,
    private readonly runtime: HandlerRuntime,
  ) {}

  async status(actor: Actor): Promise<StorePageStatus> {
    await authorize(this.core.deps, actor, null, 'settings.changed');
    return this.pageStatus();
  }

  async choose(actor: Actor, input: ParsedInputOf<'store.choose'>): Promise<StoreChosen> {
    await authorize(this.core.deps, actor, 'server.manage', 'settings.changed');
    const before = this.nextChoice();
    let used: StoreUsed;
    try {
      used = await useStore(this.core.dataDir, input.kind === 'sqlite' ? 'sqlite' : input.url, { connectTimeoutMs: CONNECT_TIMEOUT_MS });
    } catch (error) {
      // Said on the field, in the core's plain words (which never repeat a password: the URL holds none).
      const problem = storeProblem(error);
      if (problem === null) throw error;
      throw new ValidationError({ url: problem });
    }
    await this.core.deps.store.transaction((tx) =>
      recordEvent(tx, this.core.deps, actor, {
        type: 'settings.changed',
        details: {
          area: 'store',
          setting: STORE_SETTING_FILE,
          from: 'choice' in before ? this.describe(before.choice) : null,
          to: used.describe,
        },
      }),
    );
    return { engine: used.choice.kind, store: used.describe, status: await this.pageStatus() };
  }

  private async pageStatus(): Promise<StorePageStatus> {
    const opened = this.openedStore();
    const now = this.core.deps.clock.now();
    const base = {
      engine: opened.kind,
      store: this.describe(opened),
      chosenBy: opened.source,
      sqliteFile: join(this.core.dataDir, DATABASE_FILE),
      programSchemaVersion: latestVersion(migrations),
      at: now,
    };
    const envOverrides = this.runtime.storeEnv !== undefined && this.runtime.storeEnv !== '';
    const next = this.nextChoice();
    const nextPart = {
      next: 'choice' in next ? { engine: next.choice.kind, store: this.describe(next.choice), chosenBy: next.choice.source } : null,
      nextProblem: 'problem' in next ? next.problem : null,
      envOverrides,
    };
    try {
      const read = await readStoreStatus(opened.kind === 'postgres' ? opened.url : undefined, this.core.dataDir, now);
      return {
        ...base,
        schemaVersion: read.schemaVersion,
        nodes: read.nodes.map((n) => ({ node: n.node, version: n.version, url: n.url, startedAt: n.startedAt, seenAt: n.seenAt })),
        problem: null,
        ...nextPart,
      };
    } catch (error) {
      // The store went away since the start (a PostgreSQL server down): the card still says which it is.
      const problem = storeProblem(error);
      if (problem === null) throw error;
      return { ...base, schemaVersion: null, nodes: [], problem, ...nextPart };
    }
  }

  /** What main opened; without word from main, the core's own SQLite file (the web bridge, tests). */
  private openedStore(): StoreChoice {
    if (this.runtime.openedStore) return this.runtime.openedStore;
    if (this.core.deps.store.dialect !== 'sqlite') {
      throw new AppError('not_found', 'This process did not say which PostgreSQL store it opened');
    }
    return { kind: 'sqlite', source: 'default' };
  }

  /** What the next start opens: KEYRACK_STORE, else store.json, else SQLite (as main.ts chooses). */
  private nextChoice(): { choice: StoreChoice } | { problem: string } {
    try {
      return { choice: chooseStore(this.core.dataDir, { env: this.runtime.storeEnv }) };
    } catch (error) {
      if (error instanceof StoreUrlError || error instanceof StoreSettingError) return { problem: error.message };
      throw error;
    }
  }

  private describe(choice: StoreChoice): string {
    return choice.kind === 'sqlite' ? join(this.core.dataDir, DATABASE_FILE) : describeStore(parseStoreUrl(choice.url));
  }
}

/**
 * The words for a store that cannot be used, or null for an error nobody foresaw (it stays internal).
 * PostgreSQL's own refusals (a SQLSTATE code: no right to create tables, say) are said as the server said them.
 */
function storeProblem(error: unknown): string | null {
  if (
    error instanceof StoreUrlError ||
    error instanceof StoreUnreachableError ||
    error instanceof StoreLoginError ||
    error instanceof StoreDatabaseMissingError ||
    error instanceof ForeignDatabaseError ||
    error instanceof DatabaseEncodingError ||
    error instanceof DatabaseTooNewError
  ) {
    return error.message;
  }
  const { code, severity, message } = (error ?? {}) as { code?: unknown; severity?: unknown; message?: unknown };
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && typeof severity === 'string' && typeof message === 'string') {
    return `PostgreSQL refused: ${message} (SQLSTATE ${code}).`;
  }
  return null;
}
