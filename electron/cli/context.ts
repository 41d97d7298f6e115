import { parseDateText, latestTime, TIME_HORIZON_MS, TIME_HORIZON_YEARS } from '../../shared/time.js';
import { openCore, type Core } from '../core.js';
import { headlessKeyWrapper, type KeyWrapper } from '../crypto/key-wrap.js';
import { openCheckpointKeyOn, type CheckpointKeyState } from '../services/audit-anchor.js';
import { upgradeNotice } from '../db/migrate.js';
import { chooseStore, openChosenStore, STORE_ENV, type ChosenStore, type StoreChoice } from '../db/store-choice.js';
import { resolveDataDir } from '../paths.js';
import { cliActor, type Actor } from '../services/context.js';
import { promptHidden, type CliIo } from './io.js';
import { json } from './format.js';

/** A wrong flag or value: exit code 2, with the command's usage hint. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * What every command gets: the store, its actor, and output helpers.
 *
 * The store (issue 10): `--store`, else KEYRACK_STORE, else the data folder's store.json, else its SQLite
 * file (store-choice.ts). Opening PostgreSQL is asynchronous (connect, maybe a password prompt, migrate)
 * while `core()` is synchronous for the commands' sake, so the program's preAction hook calls
 * `openStore()` before every action that uses the store (all but program.ts's WITHOUT_STORE list):
 * the PostgreSQL pool is opened and migrated there, and `core()` then builds the core over it. SQLite
 * needs nothing up front: `core()` opens the file on first use, as before. The pool is closed by close().
 */
export class CliContext {
  private opened: Core | undefined;
  private chosen: ChosenStore | undefined;
  private choice: StoreChoice | undefined;
  private storeCheckpointKey: CheckpointKeyState | undefined;
  dataFlag: string | undefined;
  storeFlag: string | undefined;

  constructor(readonly io: CliIo) {}

  /** The store this invocation uses: flag > KEYRACK_STORE > the data folder's store.json > SQLite. */
  storeChoice(): StoreChoice {
    return (this.choice ??= chooseStore(this.dataDir, { flag: this.storeFlag, env: this.io.env[STORE_ENV] }));
  }

  /** Opens the chosen store ahead of the action (PostgreSQL: connect, prompt if asked, migrate). */
  async openStore(): Promise<void> {
    const choice = this.storeChoice();
    if (choice.kind === 'sqlite' || this.chosen) return;
    this.chosen = await openChosenStore(choice, {
      dataDir: this.dataDir,
      onMigrate: (plan) => this.upgradeNotice(plan),
      askPassword: this.io.stdin.isTTY ? () => this.askPassword() : undefined,
    });
    // The log's checkpoint key is the store's on PostgreSQL (every node signs with it), under the master key.
    const store = this.chosen.store;
    if (store) this.storeCheckpointKey = await openCheckpointKeyOn(store, () => this.keyWrapper());
  }

  /** The master key (file or KEYRACK_MASTER_KEY): wraps the log's checkpoint key, as it wraps signing keys. */
  private keyWrapper(): KeyWrapper {
    return headlessKeyWrapper(this.dataDir, this.io.env);
  }

  /** Hidden, on stderr (stdout may be JSON for a script). */
  private askPassword(): Promise<string> {
    const choice = this.storeChoice();
    const where = choice.kind === 'postgres' ? ` for ${choice.url.trim()}` : '';
    return promptHidden({ ...this.io, stdout: this.io.stderr }, `PostgreSQL password${where}: `);
  }

  private upgradeNotice(plan: Parameters<typeof upgradeNotice>[0]): void {
    const notice = upgradeNotice(plan);
    if (notice) this.io.stderr.write(`${notice}\n`);
  }

  get actor(): Actor {
    return cliActor(this.io.osUser);
  }

  get dataDir(): string {
    return resolveDataDir(this.dataFlag, this.io.env);
  }

  core(): Core {
    if (this.storeChoice().kind === 'postgres' && !this.chosen) {
      // Never a silent fall back to the SQLite file: a command that uses the store must be opened first.
      throw new Error('the PostgreSQL store was not opened before this command (CliContext.openStore)');
    }
    this.opened ??= openCore({
      dataDir: this.dataDir,
      store: this.chosen?.store,
      checkpointKey: this.storeCheckpointKey,
      onMigrate: (plan) => this.upgradeNotice(plan),
      onNotice: (message) => this.io.stderr.write(`${message}\n`),
      keyWrapper: () => this.keyWrapper(),
    });
    return this.opened;
  }

  print(text: string): void {
    this.io.stdout.write(text);
  }

  /** `--json` output, or the human form. */
  emit(asJson: boolean | undefined, value: unknown, human: () => string): void {
    this.print(asJson ? json(value) : human());
  }

  async close(): Promise<void> {
    this.opened?.close();
    this.opened = undefined;
    const chosen = this.chosen;
    this.chosen = undefined;
    this.storeCheckpointKey = undefined;
    await chosen?.close();
  }
}

const DURATION = /^(\d+)\s*(m|min|h|d|w)$/i;
const UNIT_MS: Record<string, number> = { m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * A moment: `2027-01-31`, an ISO date-time, `now`, or a duration from now (`30m`, `12h`, `7d`, `2w`).
 * Impossible dates (2027-02-30) and anything more than a century away are refused here, with the flag's
 * name, rather than rolled over or stored (shared/time.ts says why).
 */
export function parseWhen(text: string, now: number, flag: string): number {
  const trimmed = text.trim();
  if (trimmed.toLowerCase() === 'now') return now;
  const duration = DURATION.exec(trimmed);
  if (duration) {
    const ms = Number(duration[1]) * UNIT_MS[duration[2]!.toLowerCase()]!;
    if (ms > TIME_HORIZON_MS) throw new UsageError(`${flag}: "${text}" is more than ${TIME_HORIZON_YEARS} years`);
    return now + ms;
  }
  const parsed = parseDateText(trimmed);
  if (parsed && !parsed.ok) throw new UsageError(`${flag}: ${parsed.message}`);
  if (parsed?.ok) {
    if (parsed.ms > latestTime(now)) throw new UsageError(`${flag}: "${text}" is more than ${TIME_HORIZON_YEARS} years from now`);
    if (parsed.ms < 0) throw new UsageError(`${flag}: "${text}" is before 1970`);
    return parsed.ms;
  }
  throw new UsageError(`${flag}: "${text}" is not a date (2027-01-31, 2027-01-31T12:00Z) or a duration (30m, 12h, 7d, 2w)`);
}

export function parsePositiveInt(text: string, flag: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new UsageError(`${flag}: "${text}" is not a positive whole number`);
  return Number(text);
}

/** Commander collector for repeatable flags. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
