import { existsSync, mkdirSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import {
  createKeyFile,
  headlessKeyWrapper,
  keyFileWrapper,
  MASTER_KEY_ENV,
  MASTER_KEY_FILE,
  MasterKeyError,
  newMasterKeyText,
} from '../../crypto/key-wrap.js';
import { upgradeNotice, type MigrationPlan } from '../../db/migrate.js';
import { CHECKPOINT_FILE } from '../../services/audit-anchor.js';
import { parseStoreUrl, type StoreConnection } from '../../db/postgres.js';
import { STORE_ENV, STORE_SETTING_FILE, useStore, type StoreChoiceSource } from '../../db/store-choice.js';
import {
  assertSourceCurrent,
  copyStore,
  copyStoreToSqlite,
  discardSqliteStore,
  openCopySource,
  openCopyTarget,
  openSqliteCopyTarget,
  type CopyOptions,
  type CopySummary,
} from '../../db/store-copy.js';
import { describeWrappedKey, planKeyCopy, planKeyCopyFromPostgres, type CopyKeyWrappers, type KeyCopyPlan, type WrappedKeyOutcome } from '../../db/store-copy-keys.js';
import { openSqliteReadOnly } from '../../db/sqlite-snapshot.js';
import { readStoreStatus, type StoreStatus } from '../../db/store-status.js';
import { DATABASE_FILE } from '../../paths.js';
import { UsageError, type CliContext } from '../context.js';
import { fields, table, when } from '../format.js';
import { progressLine, promptHidden, type ProgressLine } from '../io.js';

/** A progress line per table at most this often (a million-event table would otherwise print a thousand). */
const PROGRESS_EVERY_MS = 250;

/** `keyrack store …`: the store itself rather than what is in it (issue 10, docs/scale-out.md). */
export function registerStore(program: Command, ctx: CliContext): void {
  const store = program.command('store').description('the store: its status, a copy to PostgreSQL and back, the master key for server nodes');

  store
    .command('status')
    .description(
      'name the store (--store, else $' + STORE_ENV + ', else the data folder\'s ' + STORE_SETTING_FILE + ', else its SQLite file), ' +
        'its schema version and the program\'s, how many API users, people and log events it holds, and the nodes seen in the last minute',
    )
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const choice = ctx.storeChoice();
      const status = { ...(await readStoreStatus(choice.kind === 'postgres' ? choice.url : undefined, ctx.dataDir)), chosenBy: choice.source };
      ctx.emit(opts.json, status, () => describeStatus(status));
    });

  store
    .command('use <store>')
    .description(
      `choose the store for this data folder (the CLI and the desktop app): sqlite, or postgres://user@host[:port]/database; ` +
        `kept in ${STORE_SETTING_FILE} there (--store and $${STORE_ENV} still win)`,
    )
    .option('--json', 'print the choice as JSON')
    .action(async (text: string, opts: { json?: boolean }) => {
      // db/store-choice.ts's useStore: checked and opened before store.json is written (shared with the desktop app).
      const used = await useStore(ctx.dataDir, text, {
        onMigrate: (plan) => {
          const notice = upgradeNotice(plan);
          if (notice) ctx.io.stderr.write(`${notice}\n`);
        },
        askPassword: ctx.io.stdin.isTTY ? () => promptHidden({ ...ctx.io, stdout: ctx.io.stderr }, 'PostgreSQL password: ') : undefined,
      });
      const result = { store: used.choice.kind, describe: used.describe, setting: used.setting };
      ctx.emit(opts.json, result, () =>
        used.choice.kind === 'sqlite'
          ? `This data folder uses its SQLite store again (${used.describe}); ${STORE_SETTING_FILE} is removed.\n`
          : `This data folder now uses the PostgreSQL store ${used.describe} (kept in ${result.setting}); ` +
            `--store and $${STORE_ENV} still win over it.\n`,
      );
    });

  store
    .command('copy')
    .description(
      'copy this data folder\'s SQLite store into an empty PostgreSQL store (--to), or a PostgreSQL store back into this data ' +
        'folder\'s new SQLite store (--from), checked, in one transaction on the target. ' +
        `Private keys and mail upstream passwords stay wrapped with the master key (${MASTER_KEY_ENV} if set, else the data folder's ${MASTER_KEY_FILE}): ` +
        `a key under it is copied as it is, one under the folder's ${MASTER_KEY_FILE} while ${MASTER_KEY_ENV} names another is ` +
        're-wrapped, and one this command cannot open (the desktop app\'s OS keychain) stops the copy before anything is written',
    )
    .option('--to <url>', 'copy into postgres://user@host[:port]/database (the password from PGPASSWORD or ~/.pgpass, never the URL)')
    .option('--from <url>', 'copy the PostgreSQL store postgres://user@host[:port]/database into this data folder\'s SQLite store, which must be new')
    .option(
      '--leave-out-unreadable-keys',
      'copy without the keys this command cannot unwrap: a new signing key is created (tokens signed with the old ones stop verifying); ' +
        'the log\'s checkpoint key is left out with the checkpoint it signed, a mail upstream password is typed again',
    )
    .option('--json', 'print the summary as JSON')
    .action(async (opts: { to?: string; from?: string; leaveOutUnreadableKeys?: boolean; json?: boolean }) => {
      if ((opts.to === undefined) === (opts.from === undefined)) throw new UsageError('store copy takes --to <url> or --from <url> (one of them)');
      const leaveOut = opts.leaveOutUnreadableKeys === true;
      if (opts.from !== undefined) await copyFromPostgres(ctx, opts.from, leaveOut, opts.json);
      else await copyToPostgres(ctx, opts.to!, leaveOut, opts.json);
    });

  store
    .command('master-key')
    .description('create a new 256-bit master key for server nodes (it unwraps the signing keys in the store)')
    .option('--out <file>', `the file to create, owner-only (default: ${MASTER_KEY_FILE} in the data folder, where keyrack serve looks)`)
    .option('--stdout', 'print the key itself on stdout instead, to pipe into a secret store; no file is written')
    .option('--json', 'print where it went as JSON')
    .action(async (opts: { out?: string; stdout?: boolean; json?: boolean }) => {
      if (opts.stdout && opts.out) throw new UsageError('choose --out or --stdout, not both');
      const key = newMasterKeyText();
      if (opts.stdout) {
        ctx.print(key);
        return;
      }
      const file = opts.out ?? join(ctx.dataDir, MASTER_KEY_FILE);
      writeNewKeyFile(file, key);
      const result = { file, mode: '0600', dataFolderFile: MASTER_KEY_FILE, environmentVariable: MASTER_KEY_ENV };
      ctx.emit(opts.json, result, () =>
        `Created a new master key in ${file} (readable by its owner only).\n` +
          `A node reads it as ${MASTER_KEY_FILE} in its data folder (--data or KEYRACK_DATA), or from the environment ` +
          `variable ${MASTER_KEY_ENV} set to the file's one line. Give every node over one store the same key, ` +
          'and keep a copy somewhere safe: the store\'s private keys cannot be unwrapped without it.\n',
      );
    });
}

/** `store copy --to`: the data folder's SQLite store into an empty PostgreSQL store. */
async function copyToPostgres(ctx: CliContext, url: string, leaveOut: boolean, json: boolean | undefined): Promise<void> {
  parseStoreUrl(url); // a malformed URL is refused before anything is opened
  // One read transaction for the whole copy: a snapshot, whatever the app or a node writes meanwhile.
  const sqlite = openSqliteReadOnly(join(ctx.dataDir, DATABASE_FILE), { snapshot: true });
  try {
    assertSourceCurrent(sqlite);
    // Before the target is opened: a key the nodes could not unwrap refuses the copy with nothing written.
    const keys = planKeyCopy(sqlite, copyKeyWrappers(ctx, leaveOut));
    const pool = await openCopyTarget(url, migrateNotice(ctx));
    try {
      const line = progressLine(ctx.io);
      const summary = await copyStore(sqlite, pool, keys, copyProgress(line));
      line.done();
      ctx.emit(json, summary, () => describeCopy(summary, 'PostgreSQL'));
    } finally {
      await pool.end();
    }
  } finally {
    sqlite.close();
  }
}

/**
 * `store copy --from`: a PostgreSQL store, read as one snapshot, into the data folder's SQLite store, which
 * is created (or must hold nothing a new store does not). Everything that can refuse the copy is checked
 * before the SQLite file is touched (the URL, the login, the database, its schema, the wrapped keys); a
 * copy that fails later rolls back, and a store file it created is removed again.
 */
async function copyFromPostgres(ctx: CliContext, url: string, leaveOut: boolean, json: boolean | undefined): Promise<void> {
  parseStoreUrl(url); // a malformed URL is refused before anything is opened
  const source = await openCopySource(url);
  try {
    const keys = await planKeysForSqlite(ctx, source.client, leaveOut);
    const madeFolder = !existsSync(ctx.dataDir);
    mkdirSync(ctx.dataDir, { recursive: true, mode: 0o700 });
    const file = join(ctx.dataDir, DATABASE_FILE);
    let target: ReturnType<typeof openSqliteCopyTarget> | undefined;
    let copied = false;
    try {
      target = openSqliteCopyTarget(file, migrateNotice(ctx));
      const line = progressLine(ctx.io);
      const summary = await copyStoreToSqlite(source.client, target.db, keys, copyProgress(line));
      copied = true;
      line.done();
      ctx.emit(json, summary, () => describeCopy(summary, 'SQLite'));
    } finally {
      target?.db.close();
      if (!copied && target?.created) discardSqliteStore(file);
      if (!copied && madeFolder) rmdirQuietly(ctx.dataDir);
    }
  } finally {
    await source.close();
  }
}

/** The data folder removed again when the copy that made it failed (only if empty: never anything else's). */
function rmdirQuietly(folder: string): void {
  try {
    rmdirSync(folder);
  } catch {
    // Not empty or already gone: leave it.
  }
}

function migrateNotice(ctx: CliContext): (plan: MigrationPlan) => void {
  return (plan) => {
    const notice = upgradeNotice(plan);
    if (notice) ctx.io.stderr.write(`${notice}\n`);
  };
}

/** Progress on stderr: a line per table (throttled), the steps, the chain check. */
function copyProgress(line: ProgressLine): CopyOptions {
  const copying = throttled(line);
  const verifying = throttled(line);
  return {
    onProgress: ({ table: name, copied, total }) => copying(`copying ${name}: ${copied} / ${total} rows`, copied === total),
    onStep: (text) => line.update(text),
    onVerifyProgress: (checked, total) => verifying(`verified ${checked} / ${total} events`, checked === total),
  };
}

/**
 * The nodes unwrap with the master key this command's environment names (headlessKeyWrapper: the variable,
 * else the folder's file). When the variable names another key than the folder's file, the file may be what
 * wrapped the store's keys: those are re-wrapped under the variable's key.
 */
function copyKeyWrappers(ctx: CliContext, leaveOutUnreadable: boolean): CopyKeyWrappers {
  const target = headlessKeyWrapper(ctx.dataDir, ctx.io.env);
  const folderKey = ctx.io.env[MASTER_KEY_ENV] ? keyFileWrapper(ctx.dataDir) : undefined;
  return { target, sources: folderKey ? [folderKey] : [], leaveOutUnreadable };
}

/**
 * `--from`: the data folder's SQLite store unwraps with the same master key as the nodes did (the CLI and
 * `keyrack serve` use headlessKeyWrapper), so the keys are checked against it, and re-wrapped from the
 * folder's file as for `--to`. Without any master key here none is created (that would be a write before
 * the copy, and a key that opens nothing): a store holding wrapped keys is refused, saying where the key
 * goes, unless --leave-out-unreadable-keys.
 */
async function planKeysForSqlite(ctx: CliContext, client: StoreConnection, leaveOut: boolean): Promise<KeyCopyPlan> {
  const file = join(ctx.dataDir, MASTER_KEY_FILE);
  if (ctx.io.env[MASTER_KEY_ENV] || existsSync(file)) {
    return planKeyCopyFromPostgres(client, { ...copyKeyWrappers(ctx, leaveOut), targetEngine: 'sqlite' });
  }
  const none = (): never => {
    throw new MasterKeyError('no master key here');
  };
  const keys = await planKeyCopyFromPostgres(client, {
    target: { description: 'a master key (there is none here)', wrap: none, unwrap: none },
    leaveOutUnreadable: true,
    targetEngine: 'sqlite',
  });
  if (keys.outcomes.length > 0 && !leaveOut) {
    throw new MasterKeyError(
      `The PostgreSQL store's keys (${keys.outcomes.map(describeWrappedKey).join(', ')}) are wrapped with the nodes' master key, ` +
        `and there is none here: put it in ${file} (chmod 600) or set ${MASTER_KEY_ENV}, then copy again, or copy with ` +
        '--leave-out-unreadable-keys. Nothing was written.',
    );
  }
  return keys;
}

/** Refuses an existing file in words: replacing a key in use would make every key it wrapped unreadable. */
function writeNewKeyFile(file: string, key: string): void {
  try {
    createKeyFile(file, key);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'EEXIST') {
      throw new MasterKeyError(`${file} already exists; Keyrack never replaces a master key (the keys it wrapped would be lost). Choose another --out.`);
    }
    if (code === 'ENOENT') throw new MasterKeyError(`the folder of ${file} does not exist`);
    throw error;
  }
}

/** Updates `line` at most every PROGRESS_EVERY_MS, and always for the last update of a step. */
function throttled(line: ProgressLine): (text: string, last: boolean) => void {
  let at = 0;
  return (text, last) => {
    const now = Date.now();
    if (!last && now - at < PROGRESS_EVERY_MS) return;
    at = now;
    line.update(text);
  };
}

/** How the store was chosen, in the words of the flag, variable or file that chose it. */
const CHOSEN_BY: Record<StoreChoiceSource, string> = {
  flag: 'chosen by --store',
  env: `chosen by $${STORE_ENV}`,
  setting: `chosen by ${STORE_SETTING_FILE}`,
  default: 'the default',
};

function describeStatus(s: StoreStatus & { chosenBy: StoreChoiceSource }): string {
  const schema =
    s.schemaVersion === s.programSchemaVersion
      ? `${s.schemaVersion} (current)`
      : s.schemaVersion === 0
        ? `none yet (this program creates version ${s.programSchemaVersion})`
        : `${s.schemaVersion} (this program's is ${s.programSchemaVersion}; it upgrades the store when it opens it)`;
  return fields([
    ['Store', `${s.engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'} ${s.store} (${CHOSEN_BY[s.chosenBy]})`],
    ['Schema', schema],
    ['API users', s.apiUsers],
    ['People', s.people],
    ['Log events', s.logEvents],
    ['Nodes (last minute)', s.nodes.length === 0 ? 'none' : s.nodes.length],
  ]) + (s.nodes.length === 0 ? '' : table(
    s.nodes.map((n) => ({ ...n, url: n.url ?? '', seen: `${Math.max(0, Math.round((s.at - n.seenAt) / 1000))} s ago`, started: when(n.startedAt) })),
    [['node', 'Node'], ['version', 'Version'], ['url', 'Address'], ['started', 'Started'], ['seen', 'Seen']],
  ));
}

function describeCopy(summary: CopySummary, target: 'PostgreSQL' | 'SQLite'): string {
  const rows = [
    ...summary.tables.map((t) => ({ table: t.table, rows: t.rows, how: 'copied' })),
    ...summary.rebuilt.map((t) => ({ table: t.table, rows: t.rows, how: 'rebuilt' })),
  ];
  const total = summary.tables.reduce((n, t) => n + t.rows, 0);
  return (
    table(rows, [['table', 'Table'], ['rows', 'Rows'], ['how', 'How']]) +
    `Copied ${total} rows into ${target} in ${summary.seconds.toFixed(1)} s; the row counts match and the log's hash chain ` +
    `verifies on the copy (${summary.chainVerified} events).\n` +
    describeKeys(summary.keys, target) +
    (target === 'SQLite'
      ? `This data folder's commands use the copy once it is chosen: keyrack store use sqlite (unless --store or $${STORE_ENV} names another).\n`
      : '')
  );
}

const KEY_FATES: Record<WrappedKeyOutcome['fate'], string> = {
  kept: 'copied as it was (already under the master key)',
  rewrapped: 're-wrapped under the master key',
  'left out': 'left out',
};

/** What follows from leaving out a key of each role, said once per role left out. */
const LEFT_OUT_MEANS: Record<WrappedKeyOutcome['role'], string> = {
  active: 'The nodes create a new signing key at their first start; tokens signed with a left-out key no longer verify.',
  retired: 'Tokens signed with a left-out retired key no longer verify (its public half is not published).',
  checkpoint:
    `The nodes sign the log's checkpoints with a new key; this folder's ${CHECKPOINT_FILE} (the SQLite store's, signed with ` +
    'the left-out key) would read as forged against the copy: move it aside before verifying the copy from here.',
  mail: 'A left-out mail upstream password is entered again (the Mailboxes page, or keyrack mailboxes upstream set <mailbox> --secret-stdin).',
};

/** The same for a copy back into SQLite: this folder's Keyrack, not the nodes, makes the new keys. */
const LEFT_OUT_MEANS_SQLITE: Record<WrappedKeyOutcome['role'], string> = {
  ...LEFT_OUT_MEANS,
  active: 'Keyrack creates a new signing key when it next starts over this store; tokens signed with a left-out key no longer verify.',
  checkpoint:
    `The log's checkpoints are signed with a new key; a ${CHECKPOINT_FILE} written against the PostgreSQL store would read as forged ` +
    'against the copy: move it aside before verifying the copy.',
};

/** One line per wrapped key; a left-out key says why, and what follows from it. */
function describeKeys(keys: WrappedKeyOutcome[], target: 'PostgreSQL' | 'SQLite'): string {
  const lines = keys.map((k) => `${describeWrappedKey(k)}: ${KEY_FATES[k.fate]}${k.why ? ` (${k.why})` : ''}\n`);
  const leftOut = new Set(keys.filter((k) => k.fate === 'left out').map((k) => k.role));
  const means = target === 'SQLite' ? LEFT_OUT_MEANS_SQLITE : LEFT_OUT_MEANS;
  for (const role of leftOut) lines.push(`${means[role]}\n`);
  return lines.join('');
}
