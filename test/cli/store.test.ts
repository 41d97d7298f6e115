import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { headlessKeyWrapper, MASTER_KEY_ENV, MASTER_KEY_FILE } from '../../electron/crypto/key-wrap.js';
import { latestVersion } from '../../electron/db/migrate.js';
import { migrations } from '../../electron/db/migrations/index.js';
import { openDatabase, type Db } from '../../electron/db/open.js';
import type { StorePool } from '../../electron/db/postgres.js';
import { openSqliteReadOnly } from '../../electron/db/sqlite-snapshot.js';
import { copyStore, copyStoreToSqlite, openCopySource, openCopyTarget, openSqliteCopyTarget } from '../../electron/db/store-copy.js';
import { planKeyCopy, planKeyCopyFromPostgres } from '../../electron/db/store-copy-keys.js';
import { DATABASE_FILE } from '../../electron/paths.js';
import { keyrack, keyrackJson } from '../support/cli.js';
import { tempDir } from '../support/core.js';
import { describePostgres, postgresScratch, type TestDatabase } from '../support/postgres.js';
import { FOREIGN_RELATIONS, foreignDatabase, newerSchemaRefusal, newerStore, passwordLogin } from '../support/postgres-stores.js';
import { seedEvents } from '../log/seed-events.js';
import { catchUpAuditIndex } from '../../electron/repos/audit-index.repo.js';

const PROGRAM_VERSION = latestVersion(migrations);


/**
 * A store with something in every table: people, API users with secrets, a group with rights and a
 * filter, a mailbox assigned, an allowlist, settings, a signing key (wrapped by the data folder's master
 * key), a few hundred log events (token issuances and denials among them) with the search index caught
 * up, a revoked token, a login back-off, a known client address, a client's public key and a used assertion id, an activation and a registration.
 */
async function seededStore(): Promise<string> {
  const data = tempDir('keyrack-store-copy-');
  expect((await keyrack(data, ['init', '--name', 'alice', '--password-stdin'], 'correct horse battery')).code).toBe(0);
  await keyrackJson(data, ['people', 'create', '--name', 'bob', '--password-stdin'], 'another good passphrase');
  await keyrackJson(data, ['rights', 'add-resource', 'properties', '--action', 'read', '--action', 'write', '--filter', 'published_only']);
  await keyrackJson(data, ['groups', 'create', 'Website', '--right', 'properties:read', '--filter', 'properties:published_only']);
  await keyrackJson(data, ['mailboxes', 'create', 'info@example.com']);
  await keyrackJson(data, ['api-users', 'create', '--name', 'CRM Sync', '--group', 'Website', '--mailbox', 'info@example.com', '--allow', '10.0.0.0/8', '--allow', 'AWS']);
  await keyrackJson(data, ['api-users', 'create', '--name', 'Website feed', '--group', 'Website']);
  await keyrackJson(data, ['secrets', 'add', 'CRM Sync', '--label', 'staging', '--expires', '30d']);
  await keyrackJson(data, ['server', 'settings', 'set', '--issuer', 'https://keyrack.office.lan:8443']);
  await keyrackJson(data, ['keys', 'rotate']);
  // Keyrack's CA (tls_authorities), created in the store on first use; this node's certificate stays in data/tls.
  await keyrackJson(data, ['tls', 'show']);
  // A key credential (private_key_jwt): the API user's public key.
  const pem = join(data, 'crm.pub.pem');
  writeFileSync(pem, generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }));
  await keyrackJson(data, ['keys', 'add-client', 'CRM Sync', '--file', pem, '--label', 'laptop']);
  // An activation code (RFC 7591), and a registration made with it (below, as the token server records one).
  await keyrackJson(data, ['activations', 'create', 'Vendor', '--group', 'Website', '--approval']);
  const db = openDatabase(join(data, DATABASE_FILE));
  try {
    seedEvents(db, { count: 300, end: Date.now() + 3_600_000, spanMs: 3_600_000 });
    const clientId = (db.prepare("SELECT client_id FROM credentials LIMIT 1").get() as { client_id: string }).client_id;
    db.prepare('INSERT INTO revoked_tokens (jti, client_id, expires_at, revoked_at) VALUES (?, ?, ?, ?)').run('jti-1', clientId, 2e12, 1e12);
    db.prepare('INSERT INTO login_throttle (name, failures, last_failure_at, blocked_until) VALUES (?, 3, ?, ?)').run('Mallory', 1e12, 1e12 + 60_000);
    db.prepare('INSERT OR IGNORE INTO client_addresses (client_id, ip, last_seen_at) VALUES (?, ?, ?)').run(clientId, '10.1.2.3', 1e12);
    db.prepare('INSERT INTO client_assertion_jtis (client_id, jti, expires_at) VALUES (?, ?, ?)').run(clientId, 'assertion-1', 2e12);
    db.prepare(
      `INSERT INTO client_registrations (activation_id, user_id, client_id, state, auth_method, metadata, access_token_hash, source_ip, registered_at, updated_at)
       SELECT a.id, c.user_id, c.client_id, 'pending', 'client_secret_basic', '{"clientName":"CRM Sync","scope":null,"contacts":[],"softwareId":null,"softwareVersion":null,"kids":[]}', 'ab12', '10.1.2.3', 1e12, 1e12
       FROM activations a, credentials c WHERE c.client_id = ?`,
    ).run(clientId);
    // The mail relay's tables: a mailbox's upstream (its secret wrapped by the folder's master key, as the
    // CLI wraps it, so the copy keeps it as it is) and a queued message.
    db.prepare(
      `INSERT INTO mail_settings (mailbox_id, upstream_host, upstream_port, upstream_tls, upstream_auth, upstream_user, upstream_secret, reply_to, updated_at)
       SELECT id, 'smtp.example.com', 587, 'starttls', 'password', 'relay', ?, 'office@example.com', 1e12 FROM mailboxes LIMIT 1`,
    ).run(headlessKeyWrapper(data, {}).wrap(Buffer.from('relay password')));
    db.prepare(
      `INSERT INTO mail_queue (id, user_id, user_name, mailbox_id, mailbox_address, envelope_from, envelope_to, recipient_count,
         recipient_domains, message, size, source, state, give_up_at, created_at, updated_at)
       SELECT 'AAAAAAAAAAAAAAAAAAAAAA', c.user_id, 'CRM Sync', m.id, m.address, m.address, '["kunde@example.org"]', 1,
         '["example.org"]', x'46726f6d3a', 5, 'smtp', 'queued', 2e12, 1e12, 1e12
       FROM credentials c, mailboxes m WHERE c.client_id = ? LIMIT 1`,
    ).run(clientId);
    // A node's heartbeat (store_nodes), as keyrack serve writes it.
    db.prepare('INSERT INTO store_nodes (node, version, started_at, seen_at, url) VALUES (?, ?, ?, ?, ?)').run('node-a', '0.1.0', 1e12, 1e12, 'https://node-a.office.lan:8443');
    catchUpAuditIndex(db);
  } finally {
    db.close();
  }
  // One more event after the index's mark: the copy must index up to the mark, not to the end.
  await keyrackJson(data, ['log', '--limit', '1']);
  return data;
}

/** Every row of a table, each as JSON of its values (BLOBs as hex), sorted: equal sets compare equal. */
function rowSet(rows: Record<string, unknown>[], columns: string[]): string[] {
  const value = (v: unknown) => (Buffer.isBuffer(v) ? `x${v.toString('hex')}` : typeof v === 'bigint' ? Number(v) : v);
  return rows.map((r) => JSON.stringify(columns.map((c) => value(r[c])))).sort();
}

function sqliteTables(db: Db): string[] {
  return (db.prepare(`SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite%'`).all() as { name: string }[]).map((t) => t.name);
}

describePostgres('keyrack store copy', () => {
  const scratch = postgresScratch();
  let data: string;
  let target: TestDatabase;
  let pool: StorePool;
  let copy: { code: number; stdout: string; stderr: string };
  const count = async (sql: string) => Number((await pool.query(sql)).rows[0]!.n);

  beforeAll(async () => {
    data = await seededStore();
    target = await scratch.database();
    copy = await keyrack(data, ['store', 'copy', '--to', target.url, '--json']);
    pool = await scratch.pool(target);
  }, 120_000);
  afterAll(() => rmSync(data, { recursive: true, force: true }));

  test('copies every table: the same rows on both sides', async () => {
    expect(copy.code, copy.stderr).toBe(0);
    const summary = JSON.parse(copy.stdout) as { tables: { table: string; rows: number }[]; chainVerified: number };
    const db = openDatabase(join(data, DATABASE_FILE));
    try {
      const tables = sqliteTables(db);
      expect(summary.tables.map((t) => t.table).sort()).toEqual([...tables].sort());
      const empty: string[] = [];
      for (const table of tables) {
        const columns = (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
        const select = `SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM "${table}"`;
        const source = db.prepare(select).all() as Record<string, unknown>[];
        // The copy's own read was logged after the snapshot: the log has one more event now, not on the copy.
        const sourceRows = table === 'audit_events' ? source.filter((r) => (r.id as number) <= summary.tables.find((t) => t.table === table)!.rows) : source;
        if (sourceRows.length === 0) empty.push(table);
        expect(rowSet((await pool.query(select)).rows, columns), table).toEqual(rowSet(sourceRows, columns));
      }
      // The seed reaches every table but the transient ones (retention's authorisation lives only inside its own transaction).
      expect(empty).toEqual(['audit_prune_authorization']);
      expect(summary.chainVerified).toBe(summary.tables.find((t) => t.table === 'audit_events')!.rows);
    } finally {
      db.close();
    }
  });

  test('the search index is rebuilt for the events the copied mark covers', async () => {
    const through = await count('SELECT through_id AS n FROM audit_index_state');
    expect(through).toBeGreaterThan(300);
    expect(await count('SELECT count(*) AS n FROM audit_fts')).toBe(through);
    expect(await count(`SELECT count(*) AS n FROM audit_fts WHERE text @@ to_tsquery('simple', 'issued')`)).toBeGreaterThan(0);
  });

  test('identity sequences continue past the copied ids', async () => {
    const maxUser = await count('SELECT max(id) AS n FROM users');
    const { rows } = await pool.query(
      `INSERT INTO users (kind, name, created_at, created_by, updated_at) VALUES ('api', 'after the copy', 0, 'test', 0) RETURNING id`,
    );
    expect(Number(rows[0]!.id)).toBe(maxUser + 1);
    const maxEvent = await count('SELECT max(id) AS n FROM audit_events');
    const event = await pool.query(
      `INSERT INTO audit_events (at, actor_kind, actor_name, type, outcome) VALUES ($1, 'cli', 'cli:test', 'test.event', 'success') RETURNING id`,
      [Date.now() + 7_200_000],
    );
    expect(Number(event.rows[0]!.id)).toBe(maxEvent + 1);
  });

  test("Keyrack's CA travels with the copy: a second node over PostgreSQL, given the master key, serves from it", async () => {
    const onSqlite = await keyrackJson<{ caFingerprint: string }>(data, ['tls', 'show']);
    const node = tempDir('keyrack-second-node-');
    try {
      const env = { [MASTER_KEY_ENV]: readFileSync(join(data, MASTER_KEY_FILE), 'utf8').trim() };
      const shown = await keyrackJson<{ caFingerprint: string; source: string; dnsNames: string[] }>(node, ['tls', 'show', '--store', target.url], '', env);
      expect(shown).toMatchObject({ caFingerprint: onSqlite.caFingerprint, source: 'generated' });
      const printed = await keyrack(node, ['tls', 'export-ca', '-', '--store', target.url], '', { env });
      expect(printed.code, printed.stderr).toBe(0);
      expect(printed.stdout).toBe((await keyrack(data, ['tls', 'export-ca', '-'])).stdout);
    } finally {
      rmSync(node, { recursive: true, force: true });
    }
  });

  test('reports progress per table on stderr', () => {
    expect(copy.stderr).toMatch(/copying audit_events: \d+ \/ \d+ rows/);
    expect(copy.stderr).toMatch(/copying users: 4 \/ 4 rows/);
    expect(copy.stderr).toContain('verifying the copy');
    expect(copy.stderr).toMatch(/verified (\d+) \/ \1 events/);
  });

  test('store status names each store and counts the same', async () => {
    const sqlite = await keyrackJson<Record<string, unknown>>(data, ['store', 'status']);
    expect(sqlite).toMatchObject({ engine: 'sqlite', store: join(data, DATABASE_FILE), schemaVersion: PROGRAM_VERSION, programSchemaVersion: PROGRAM_VERSION, apiUsers: 2, people: 2 });
    const viaEnv = await keyrackJson<Record<string, unknown>>(data, ['store', 'status'], '', { KEYRACK_STORE: target.url });
    expect(viaEnv).toMatchObject({ engine: 'postgres', store: target.url, schemaVersion: PROGRAM_VERSION, people: 2 });
    // The row inserted by the sequence test above is one more API user; the events likewise.
    expect(viaEnv.apiUsers).toBeGreaterThanOrEqual(2);
    const human = await keyrack(data, ['store', 'status', '--store', target.url]);
    expect(human.stdout).toMatch(/Store:\s+PostgreSQL postgres:\/\//);
    expect(human.stdout).toMatch(/Schema:\s+\d+ \(current\)/);
  });

  test('refuses a store that is not empty, and writes nothing', async () => {
    const before = await count('SELECT count(*) AS n FROM audit_events');
    const again = await keyrack(data, ['store', 'copy', '--to', target.url]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^error: The PostgreSQL store is not empty: .*users \(\d+ rows\)/);
    expect(await count('SELECT count(*) AS n FROM audit_events')).toBe(before);
  });

  test("refuses another application's database, and writes nothing", async () => {
    const other = await foreignDatabase(scratch);
    const run = await keyrack(data, ['store', 'copy', '--to', other.database.url]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: This PostgreSQL database is not a Keyrack store/);
    expect(await other.relations()).toEqual(FOREIGN_RELATIONS);
    const status = await keyrack(data, ['store', 'status', '--store', other.database.url]);
    expect(status).toMatchObject({ code: 1, stderr: expect.stringMatching(/not a Keyrack store/) });
  });

  /**
   * A store made by `prepare`, copied into a new database: the copy must fail with exit 1. Returns its
   * output, and the rows the target holds afterwards in `users` and `audit_events` (0 and 0: nothing kept).
   */
  async function failedCopy(prepare: (db: Db) => void): Promise<{ stderr: string; users: number; events: number }> {
    const odd = tempDir('keyrack-store-odd-');
    try {
      const db = openDatabase(join(odd, DATABASE_FILE));
      prepare(db);
      db.close();
      const empty = await scratch.database();
      const run = await keyrack(odd, ['store', 'copy', '--to', empty.url]);
      expect(run.code).toBe(1);
      const fresh = await scratch.pool(empty);
      const rows = async (table: string) => Number((await fresh.query(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);
      return { stderr: run.stderr, users: await rows('users'), events: await rows('audit_events') };
    } finally {
      rmSync(odd, { recursive: true, force: true });
    }
  }

  test('a table the copy cannot map stops it before anything is copied', async () => {
    const failed = await failedCopy((db) => db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT) STRICT'));
    expect(failed).toMatchObject({ stderr: expect.stringContaining('notes is missing on PostgreSQL'), users: 0, events: 0 });
    expect(failed.stderr).not.toContain('copying');
  });

  test('a row PostgreSQL refuses rolls the whole copy back, named by its table', async () => {
    const failed = await failedCopy((db) => {
      // SQLite keeps a NUL character in text; PostgreSQL refuses it.
      db.exec(`INSERT INTO users (kind, name, description, created_at, created_by, updated_at) VALUES ('api', 'nul', 'a' || char(0) || 'b', 0, 'test', 0)`);
      seedEvents(db, { count: 20, end: Date.now(), spanMs: 60_000 });
    });
    expect(failed.stderr).toMatch(/copying audit_events: 20 \/ 20 rows/);
    expect(failed.stderr).toMatch(/\nerror: PostgreSQL refused a row of users \(.*\); nothing was kept\.\n$/);
    // The events were copied before users (foreign-key order puts audit_events first): rolled back too.
    expect(failed).toMatchObject({ users: 0, events: 0 });
  });

  test('a log whose chain does not verify is not kept', async () => {
    const failed = await failedCopy((db) => {
      seedEvents(db, { count: 20, end: Date.now(), spanMs: 60_000 });
      db.exec(`DROP TRIGGER audit_events_no_update; UPDATE audit_events SET reason = 'edited' WHERE id = 5`);
    });
    expect(failed.stderr).toMatch(/\nerror: The copied log's hash chain does not verify at event 5 \(edited\); nothing was kept\./);
    expect(failed).toMatchObject({ users: 0, events: 0 });
  });

  test('copies the snapshot taken when it opened the store, whatever is written after', async () => {
    const file = join(data, DATABASE_FILE);
    const snapshot = openSqliteReadOnly(file, { snapshot: true });
    const writer = openDatabase(file);
    try {
      const before = (snapshot.prepare('SELECT count(*) AS n FROM audit_events').get() as { n: number }).n;
      seedEvents(writer, { count: 50, end: Date.now() + 7_200_000, spanMs: 60_000 });
      const empty = await scratch.database();
      const targetPool = scratch.keep(await openCopyTarget(empty.url));
      const summary = await copyStore(snapshot, targetPool, planKeyCopy(snapshot, { target: headlessKeyWrapper(data, {}) }));
      expect(summary.tables.find((t) => t.table === 'audit_events')!.rows).toBe(before);
      expect(summary.chainVerified).toBe(before);
      expect((writer.prepare('SELECT count(*) AS n FROM audit_events').get() as { n: number }).n).toBe(before + 50);
    } finally {
      snapshot.close();
      writer.close();
    }
  });

  test('store status: a wrong password is refused in one line that never holds it; the right one from PGPASSWORD works', async () => {
    const login = await passwordLogin(await scratch.database(), 'right-horse');
    try {
      login.usePassword('wrong-horse');
      const wrong = await keyrack(data, ['store', 'status', '--store', login.url]);
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toMatch(/^error: PostgreSQL at .* refused the login/);
      expect(wrong.stderr.trim().split('\n')).toHaveLength(1);
      expect(wrong.stderr).not.toContain('wrong-horse');
      login.usePassword('right-horse');
      const right = await keyrackJson<Record<string, unknown>>(data, ['store', 'status', '--store', login.url]);
      expect(right).toMatchObject({ engine: 'postgres', schemaVersion: 0, programSchemaVersion: PROGRAM_VERSION, apiUsers: 0 });
    } finally {
      await login.end();
    }
  });

  test('store status: a schema newer than the program is refused without counting', async () => {
    const newer = await newerStore(scratch);
    const run = await keyrack(data, ['store', 'status', '--store', newer.database.url]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(newerSchemaRefusal(newer.version));
  });

  test('an unreachable server is one line, exit 1', async () => {
    const run = await keyrack(data, ['store', 'status', '--store', 'postgres://nobody@127.0.0.1:1/keyrack']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: The PostgreSQL server at 127\.0\.0\.1:1 cannot be reached/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});

/** Every row of a SQLite table with integers exact (BigInt as text) and BLOBs as hex, sorted. */
function exactRows(db: Db, table: string, where = ''): string[] {
  const value = (v: unknown) => (Buffer.isBuffer(v) ? `x${v.toString('hex')}` : typeof v === 'bigint' ? `${v}n` : v);
  const rows = db.prepare(`SELECT * FROM "${table}"${where}`).raw(true).safeIntegers(true).all() as unknown[][];
  return rows.map((r) => JSON.stringify(r.map(value))).sort();
}

/** A value beyond JavaScript's safe integers, and text in several scripts and normal forms: both must survive byte for byte. */
const HUGE = 9_007_199_254_740_993n; // 2^53 + 1
const TEXT = 'Zoë Zoe\u0308 🔑 東京 \u202eRTL\u202c';

describePostgres('keyrack store copy --from (back to one machine)', () => {
  const scratch = postgresScratch();
  let data: string;
  let back: string;
  let source: TestDatabase;
  let copied: number;
  let run: { code: number; stdout: string; stderr: string };

  /** A new data folder holding the seeded store's master key, as the one machine would. */
  function folderWithMasterKey(): string {
    const folder = tempDir('keyrack-store-back-');
    copyFileSync(join(data, MASTER_KEY_FILE), join(folder, MASTER_KEY_FILE));
    chmodSync(join(folder, MASTER_KEY_FILE), 0o600);
    return folder;
  }

  beforeAll(async () => {
    data = await seededStore();
    const db = openDatabase(join(data, DATABASE_FILE));
    try {
      db.prepare('INSERT INTO revoked_tokens (jti, client_id, expires_at, revoked_at) SELECT ?, client_id, ?, 1 FROM credentials LIMIT 1').run('jti-huge', HUGE);
      db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run('test.text', JSON.stringify(TEXT));
    } finally {
      db.close();
    }
    source = await scratch.database();
    const forward = await keyrack(data, ['store', 'copy', '--to', source.url, '--json']);
    expect(forward.code, forward.stderr).toBe(0);
    copied = (JSON.parse(forward.stdout) as { tables: { table: string; rows: number }[] }).tables.find((t) => t.table === 'audit_events')!.rows;
    back = folderWithMasterKey();
    run = await keyrack(back, ['store', 'copy', '--from', source.url, '--json']);
  }, 180_000);
  afterAll(() => {
    rmSync(data, { recursive: true, force: true });
    rmSync(back, { recursive: true, force: true });
  });

  test('SQLite → PostgreSQL → SQLite: the same rows in every table, integers and text exact', () => {
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as { tables: { table: string; rows: number }[]; rebuilt: { table: string; rows: number }[]; chainVerified: number };
    const original = openSqliteReadOnly(join(data, DATABASE_FILE));
    const copy = openSqliteReadOnly(join(back, DATABASE_FILE));
    try {
      const tables = sqliteTables(original);
      expect(sqliteTables(copy)).toEqual(tables);
      expect(summary.tables.map((t) => t.table).sort()).toEqual([...tables].sort());
      for (const table of tables) {
        // The forward copy's own read was logged after its snapshot: not on PostgreSQL, so not on the copy.
        const where = table === 'audit_events' ? ` WHERE id <= ${copied}` : '';
        expect(exactRows(copy, table), table).toEqual(exactRows(original, table, where));
        expect(summary.tables.find((t) => t.table === table)!.rows, table).toBe(exactRows(copy, table).length);
      }
      expect(exactRows(copy, 'revoked_tokens').some((r) => r.includes(`"${HUGE}n"`))).toBe(true);
      expect(copy.prepare(`SELECT value FROM settings WHERE key = 'test.text'`).get()).toEqual({ value: JSON.stringify(TEXT) });
      expect(summary.chainVerified).toBe(copied);
      expect(summary.rebuilt).toEqual([{ table: 'audit_fts', rows: (copy.prepare('SELECT through_id FROM audit_index_state').get() as { through_id: number }).through_id }]);
    } finally {
      original.close();
      copy.close();
    }
  });

  test('the copy is a working store: log verify passes, the search index answers, the signing key opens', async () => {
    const verify = await keyrack(back, ['log', 'verify']);
    expect(verify.code, verify.stderr + verify.stdout).toBe(0);
    expect(verify.stdout).toContain('The log is intact');
    const db = openDatabase(join(back, DATABASE_FILE));
    try {
      expect((db.prepare(`SELECT count(*) AS n FROM audit_fts WHERE audit_fts MATCH 'issued'`).get() as { n: number }).n).toBeGreaterThan(0);
    } finally {
      db.close();
    }
    const keys = await keyrackJson<unknown[]>(back, ['keys', 'list']);
    expect(keys.length).toBeGreaterThan(0);
    expect(run.stdout).not.toContain('left out');
  });

  test('reports progress per table on stderr and says how to choose the copy', async () => {
    expect(run.stderr).toMatch(/copying audit_events: \d+ \/ \d+ rows/);
    expect(run.stderr).toMatch(/copying users: 4 \/ 4 rows/);
    expect(run.stderr).toMatch(/verified (\d+) \/ \1 events/);
    const other = await scratch.database();
    expect((await keyrack(data, ['store', 'copy', '--to', other.url])).code).toBe(0);
    const human = folderWithMasterKey();
    try {
      const text = await keyrack(human, ['store', 'copy', '--from', other.url]);
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toMatch(/Copied \d+ rows into SQLite in [\d.]+ s; the row counts match/);
      expect(text.stdout).toContain('keyrack store use sqlite');
    } finally {
      rmSync(human, { recursive: true, force: true });
    }
  });

  test('copies the snapshot taken when it began, while a node goes on writing', async () => {
    const live = await scratch.database();
    expect((await keyrack(data, ['store', 'copy', '--to', live.url])).code).toBe(0);
    const snapshot = await openCopySource(live.url);
    const folder = folderWithMasterKey();
    try {
      const users = Number((await snapshot.client.query('SELECT count(*) AS n FROM users')).rows[0]!.n);
      const events = Number((await snapshot.client.query('SELECT count(*) AS n FROM audit_events')).rows[0]!.n);
      // A node writing meanwhile: a person created over the store, with its log event on the chain.
      const env = { [MASTER_KEY_ENV]: readFileSync(join(data, MASTER_KEY_FILE), 'utf8').trim() };
      const created = await keyrack(folder, ['people', 'create', '--name', 'carol', '--password-stdin', '--store', live.url], 'a third good passphrase', { env });
      expect(created.code, created.stderr).toBe(0);
      const target = openSqliteCopyTarget(join(folder, DATABASE_FILE));
      try {
        const keys = await planKeyCopyFromPostgres(snapshot.client, { target: headlessKeyWrapper(folder, {}), targetEngine: 'sqlite' });
        const summary = await copyStoreToSqlite(snapshot.client, target.db, keys);
        expect(summary.tables.find((t) => t.table === 'users')!.rows).toBe(users);
        expect(summary.chainVerified).toBe(events);
      } finally {
        target.db.close();
      }
      const after = await scratch.pool(live);
      expect(Number((await after.query('SELECT count(*) AS n FROM users')).rows[0]!.n)).toBe(users + 1);
    } finally {
      await snapshot.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test('a PostgreSQL log whose chain does not verify is not kept: the store file it created is gone', async () => {
    const damaged = await scratch.database();
    expect((await keyrack(data, ['store', 'copy', '--to', damaged.url])).code).toBe(0);
    const pool = await scratch.pool(damaged);
    await pool.query(`DROP TRIGGER audit_events_no_update ON audit_events`);
    await pool.query(`UPDATE audit_events SET reason = 'edited' WHERE id = 7`);
    const folder = folderWithMasterKey();
    const failed = await keyrack(folder, ['store', 'copy', '--from', damaged.url]);
    expect(failed.code).toBe(1);
    expect(existsSync(join(folder, DATABASE_FILE))).toBe(false);
    rmSync(folder, { recursive: true, force: true });
    // Progress lines first (the copy ran), then the refusal.
    expect(failed.stderr).toMatch(/copying audit_events: \d+ \/ \d+ rows/);
    expect(failed.stderr).toMatch(/\nerror: The copied log's hash chain does not verify at event 7 \(edited\); nothing was kept\. Run `keyrack log verify` on the PostgreSQL store/);
  });

  /** A copy back that must be refused in one line with exit 1, leaving the folder without a store. */
  async function refused(args: string[], folder = tempDir('keyrack-store-refused-')): Promise<string> {
    try {
      const failed = await keyrack(folder, ['store', 'copy', ...args]);
      expect(failed.code, failed.stdout).toBe(1);
      expect(failed.stderr.trim().split('\n'), failed.stderr).toHaveLength(1);
      expect(existsSync(join(folder, DATABASE_FILE))).toBe(false);
      return failed.stderr;
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }

  test('refuses a SQLite store that is not empty, and writes nothing', async () => {
    const db = openSqliteReadOnly(join(back, DATABASE_FILE));
    const before = exactRows(db, 'audit_events').length;
    db.close();
    const again = await keyrack(back, ['store', 'copy', '--from', source.url]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^error: The SQLite store is not empty: .*users \(\d+ rows\).*Nothing was written\.\n$/);
    const after = openSqliteReadOnly(join(back, DATABASE_FILE));
    expect(exactRows(after, 'audit_events')).toHaveLength(before);
    after.close();
  });

  test('refuses a SQLite store another writer holds (after its busy timeout), and writes nothing', async () => {
    const folder = folderWithMasterKey();
    const writer = openDatabase(join(folder, DATABASE_FILE));
    try {
      writer.exec('BEGIN IMMEDIATE');
      const busy = await keyrack(folder, ['store', 'copy', '--from', source.url]);
      expect(busy.code).toBe(1);
      expect(busy.stderr).toMatch(/^error: The SQLite store is in use by another writer .*Nothing was written\.\n$/);
      writer.exec('ROLLBACK');
      expect(exactRows(writer, 'users')).toEqual([]);
    } finally {
      writer.close();
      rmSync(folder, { recursive: true, force: true });
    }
  }, 30_000);

  test('refuses an unreachable server, an empty database, another application\'s and other schema versions', async () => {
    expect(await refused(['--from', 'postgres://nobody@127.0.0.1:1/keyrack'])).toMatch(/^error: The PostgreSQL server at 127\.0\.0\.1:1 cannot be reached/);
    expect(await refused(['--from', (await scratch.database()).url])).toMatch(/^error: This PostgreSQL database holds no Keyrack store yet/);
    expect(await refused(['--from', (await foreignDatabase(scratch)).database.url])).toMatch(/^error: This PostgreSQL database is not a Keyrack store/);
    const newer = await newerStore(scratch);
    expect(await refused(['--from', newer.database.url])).toBe(newerSchemaRefusal(newer.version));
    const older = await newerStore(scratch, -1);
    expect(await refused(['--from', older.database.url])).toMatch(/^error: The PostgreSQL store has schema version \d+, older than this Keyrack's/);
    // A SQLite store in the folder at another schema version is not opened for writing (it would be upgraded).
    const oldFolder = folderWithMasterKey();
    const oldDb = new Database(join(oldFolder, DATABASE_FILE));
    oldDb.pragma(`user_version = ${PROGRAM_VERSION - 1}`);
    oldDb.close();
    const oldRun = await keyrack(oldFolder, ['store', 'copy', '--from', source.url]);
    expect(oldRun.code).toBe(1);
    expect(oldRun.stderr).toMatch(/^error: The SQLite store .* has schema version \d+, not this Keyrack's \(\d+\), so it is not a new store\..*Nothing was written\.\n$/);
    const after = new Database(join(oldFolder, DATABASE_FILE), { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(PROGRAM_VERSION - 1);
    after.close();
    rmSync(oldFolder, { recursive: true, force: true });
  });

  test('refuses a wrong password in one line that never holds it', async () => {
    const login = await passwordLogin(await scratch.database(), 'right-horse'); // end() drops its database
    try {
      login.usePassword('wrong-horse');
      const stderr = await refused(['--from', login.url]);
      expect(stderr).toMatch(/^error: PostgreSQL at .* refused the login/);
      expect(stderr).not.toContain('wrong-horse');
    } finally {
      await login.end();
    }
  });

  test('keys the folder\'s master key cannot open: refused with nothing written, or left out when told', async () => {
    const stranger = tempDir('keyrack-store-stranger-');
    try {
      const stderr = await refused(['--from', source.url], stranger);
      expect(stderr).toMatch(/^error: The PostgreSQL store's keys \(signing key .* \(active\), checkpoint key, .*\) are wrapped with the nodes' master key, and there is none here: .*--leave-out-unreadable-keys\. Nothing was written\.\n$/);
      // Another master key than the nodes': the keys do not open with it.
      const otherKey = tempDir('keyrack-store-other-master-');
      expect((await keyrack(otherKey, ['store', 'master-key'])).code).toBe(0);
      expect(await refused(['--from', source.url], otherKey)).toMatch(
        /^error: This data folder's SQLite store unwraps keys with master key file .*, and this copy cannot re-wrap these for it: signing key .* \(active\): does not unwrap with .*Nothing was written\./,
      );
      const other = tempDir('keyrack-store-other-key-');
      const leftOut = await keyrack(other, ['store', 'copy', '--from', source.url, '--leave-out-unreadable-keys']);
      try {
        expect(leftOut.code, leftOut.stderr).toBe(0);
        expect(leftOut.stdout).toContain('left out');
        const db = openSqliteReadOnly(join(other, DATABASE_FILE));
        expect(exactRows(db, 'signing_keys')).toEqual([]);
        expect(exactRows(db, 'mail_settings')[0]).toContain('null');
        db.close();
        expect((await keyrack(other, ['log', 'verify'])).code).toBe(0);
      } finally {
        rmSync(other, { recursive: true, force: true });
      }
    } finally {
      rmSync(stranger, { recursive: true, force: true });
    }
  });
});

describe('store URLs the CLI refuses before connecting', () => {
  const data = tempDir('keyrack-store-url-');
  afterAll(() => rmSync(data, { recursive: true, force: true }));

  // Checked first: no store in the data folder is needed to be told the URL is wrong.
  test.each([
    ['a malformed URL', ['store', 'copy', '--to', 'db.office.lan/keyrack'], /not a URL/],
    ['a malformed --from', ['store', 'copy', '--from', 'db.office.lan/keyrack'], /not a URL/],
    ['both --to and --from', ['store', 'copy', '--to', 'postgres://a@b/c', '--from', 'postgres://a@b/d'], /--to <url> or --from <url>/],
    ['a password in the URL', ['store', 'copy', '--to', 'postgres://keyrack:hunter2@127.0.0.1:1/keyrack'], /contains a password/],
    ['a malformed --store', ['store', 'status', '--store', 'mysql://db/keyrack'], /starts with "mysql:\/\/"/],
  ])('%s: a usage error naming the problem, never the password', async (_, args, reason) => {
    const run = await keyrack(data, args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(reason);
    expect(run.stderr).not.toContain('hunter2');
  });

  test('status of the data folder\'s SQLite store, without a store: says so, creates nothing', async () => {
    const none = tempDir('keyrack-store-none-');
    try {
      const run = await keyrack(none, ['store', 'status']);
      expect(run).toMatchObject({ code: 1, stderr: expect.stringMatching(/^error: There is no Keyrack store at /) });
      expect(() => statSync(join(none, DATABASE_FILE))).toThrow();
    } finally {
      rmSync(none, { recursive: true, force: true });
    }
  });
});

describe('keyrack store master-key', () => {
  const data = tempDir('keyrack-master-key-');
  afterAll(() => rmSync(data, { recursive: true, force: true }));

  test("creates an owner-only key file that keyrack serve's wrapper reads, and never overwrites it", async () => {
    const run = await keyrack(data, ['store', 'master-key']);
    expect(run.code, run.stderr).toBe(0);
    const file = join(data, MASTER_KEY_FILE);
    expect(run.stdout).toContain(file);
    expect(run.stdout).toContain(MASTER_KEY_ENV);
    const text = readFileSync(file, 'utf8');
    expect(run.stdout).not.toContain(text.trim());
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(text.trim(), 'base64url')).toHaveLength(32);

    // Round trip: wrapped by the node that reads the file, unwrapped by one given the same key in its environment.
    const wrapped = headlessKeyWrapper(data, {}).wrap(Buffer.from('a private signing key'));
    const elsewhere = tempDir('keyrack-master-key-node-');
    try {
      expect(headlessKeyWrapper(elsewhere, { [MASTER_KEY_ENV]: text }).unwrap(wrapped).toString()).toBe('a private signing key');
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }

    const again = await keyrack(data, ['store', 'master-key', '--out', file]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^error: .*already exists; Keyrack never replaces a master key/);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  test('--stdout prints a key for a secret store and writes no file; --json says where a file went', async () => {
    const run = await keyrack(data, ['store', 'master-key', '--stdout']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^[A-Za-z0-9_-]{43}\n$/);
    const out = join(data, 'node-a.key');
    const json = await keyrackJson<Record<string, unknown>>(data, ['store', 'master-key', '--out', out]);
    expect(json).toEqual({ file: out, mode: '0600', dataFolderFile: MASTER_KEY_FILE, environmentVariable: MASTER_KEY_ENV });
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect((await keyrack(data, ['store', 'master-key', '--out', out, '--stdout'])).code).toBe(2);
  });
});
