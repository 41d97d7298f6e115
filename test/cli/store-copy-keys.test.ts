import { createPublicKey, randomBytes, verify, type JsonWebKey } from 'node:crypto';
import { readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { openCore } from '../../electron/core.js';
import { aesGcmKeyWrapper, headlessKeyWrapper, MASTER_KEY_ENV, MASTER_KEY_FILE, type KeyWrapper } from '../../electron/crypto/key-wrap.js';
import { createPasswordHasher } from '../../electron/crypto/password.js';
import type { StorePool } from '../../electron/db/postgres.js';
import { openSqliteReadOnly } from '../../electron/db/sqlite-snapshot.js';
import { planKeyCopy } from '../../electron/db/store-copy-keys.js';
import { StoreCopyError } from '../../electron/db/store-copy-plan.js';
import { copyStore, openCopyTarget } from '../../electron/db/store-copy.js';
import { postgresStore } from '../../electron/db/store-postgres.js';
import { DATABASE_FILE } from '../../electron/paths.js';
import { CHECKPOINT_FILE } from '../../electron/services/audit-anchor.js';
import { SigningKeysService } from '../../electron/services/signing-keys.service.js';
import { safeStorageKeyWrapper, type SafeStorageLike } from '../../electron/shell/safe-storage-key-wrapper.js';
import { parseInputOf } from '../../shared/contract.js';
import { keyrack } from '../support/cli.js';
import { TEST_HASH_PARAMS, tempDir } from '../support/core.js';
import { describePostgres, postgresScratch, type TestDatabase } from '../support/postgres.js';

/**
 * `keyrack store copy` and the wrapped private keys (store-copy-keys.ts): the PostgreSQL nodes unwrap with
 * the master key they are given, so every key reaches the target under it (copied as it is, or re-wrapped),
 * and a key the copy cannot open refuses the copy with nothing written, unless it is asked to leave it out.
 * The desktop app's keychain is simulated by an AES-GCM wrapper of another key (the same format as a master
 * key, so only trying tells them apart) and by a fake safeStorage (whose blobs carry a mark).
 */

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function folder(prefix: string): string {
  const dir = tempDir(prefix);
  dirs.push(dir);
  return dir;
}

/** A store whose signing keys (one retired, one active) and checkpoint key `wrapper` wrapped, with a few events. */
async function storeWrappedBy(wrapper: (data: string) => KeyWrapper): Promise<{ data: string; activeKid: string; retiredKid: string }> {
  const data = folder('keyrack-copy-keys-');
  const keyWrapper = wrapper(data);
  const core = openCore({ dataDir: data, keyWrapper: () => keyWrapper, passwords: createPasswordHasher(TEST_HASH_PARAMS) });
  try {
    const session = await core.auth.setup({ name: 'alice', password: 'correct horse battery' });
    const admin = { kind: 'person' as const, userId: session.userId, name: session.name };
    const keys = new SigningKeysService(core.deps, () => keyWrapper);
    const retired = await keys.ensureActive('ES256');
    const active = await keys.rotate(admin, {}, 'ES256');
    expect(core.checkpointKey?.state).toBe('held');
    // A mailbox's upstream password, wrapped by the same wrapper (mail.service.ts).
    await core.mailboxes.create(admin, parseInputOf('mailboxes.create', { address: 'info@example.com' }));
    core.db.prepare(
      `INSERT INTO mail_settings (mailbox_id, upstream_host, upstream_port, upstream_tls, upstream_auth, upstream_user, upstream_secret, updated_at)
       SELECT id, 'smtp.example.com', 587, 'starttls', 'password', 'relay', ?, 1 FROM mailboxes`,
    ).run(keyWrapper.wrap(Buffer.from(RELAY_PASSWORD)));
    return { data, activeKid: active.kid, retiredKid: retired.kid };
  } finally {
    core.close();
  }
}

const RELAY_PASSWORD = 'relay horse';
const keychainSimulated = aesGcmKeyWrapper(randomBytes(32), 'the OS keychain (simulated)');
/** safeStorage's shape, its "encryption" a reversal: what matters here is the mark on its blobs. */
const fakeSafeStorage: SafeStorageLike = {
  isEncryptionAvailable: () => true,
  encryptString: (text) => Buffer.from(text).reverse(),
  decryptString: (blob) => Buffer.from(blob).reverse().toString(),
};

/** The nodes' view: the signing keys' service over the PostgreSQL store, with the master key they are given. */
async function signOnTarget(pool: StorePool, master: KeyWrapper): Promise<{ kid: string; verified: boolean }> {
  const node = folder('keyrack-copy-node-');
  const core = openCore({ dataDir: node, store: postgresStore(pool), passwords: createPasswordHasher(TEST_HASH_PARAMS) });
  try {
    const keys = new SigningKeysService(core.deps, () => master);
    const active = await keys.ensureActive('ES256');
    const token = await keys.signerFor(active).sign({ sub: 'copy-test' });
    const [header, claims, signature] = token.split('.') as [string, string, string];
    const publicKey = createPublicKey({ key: active.publicJwk as unknown as JsonWebKey, format: 'jwk' });
    const verified = verify('sha256', Buffer.from(`${header}.${claims}`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'));
    return { kid: active.kid, verified };
  } finally {
    core.close();
  }
}

interface TargetKeys {
  signing: Map<string, Buffer>;
  checkpoint: Buffer | undefined;
  checkpointRow: boolean;
  /** The mailbox's upstream password as wrapped on the target, null when left out; the row is always there. */
  mail: Buffer | null;
}

async function wrappedOnTarget(pool: StorePool): Promise<TargetKeys> {
  const { rows } = await pool.query('SELECT kid, private_key FROM signing_keys');
  const mail = await pool.query('SELECT upstream_secret, upstream_host FROM mail_settings');
  expect(mail.rows).toMatchObject([{ upstream_host: 'smtp.example.com' }]);
  const settings = await pool.query(`SELECT key, value FROM settings WHERE key IN ('audit.checkpoint_key', 'audit.checkpoint')`);
  const setting = (key: string) => settings.rows.find((r: { key: string }) => r.key === key) as { value: string } | undefined;
  const wrappedKey = setting('audit.checkpoint_key');
  return {
    signing: new Map(rows.map((r: { kid: string; private_key: Buffer }) => [r.kid, r.private_key])),
    checkpoint: wrappedKey ? Buffer.from(JSON.parse(wrappedKey.value) as string, 'base64') : undefined,
    checkpointRow: setting('audit.checkpoint') !== undefined,
    mail: (mail.rows[0] as { upstream_secret: Buffer | null }).upstream_secret,
  };
}

function sourceKeys(data: string): { signing: Map<string, Buffer>; checkpoint: Buffer; mail: Buffer } {
  const db = openSqliteReadOnly(join(data, DATABASE_FILE));
  try {
    const rows = db.prepare('SELECT kid, private_key FROM signing_keys').all() as { kid: string; private_key: Buffer }[];
    const setting = db.prepare(`SELECT value FROM settings WHERE key = 'audit.checkpoint_key'`).get() as { value: string };
    const mail = (db.prepare('SELECT upstream_secret FROM mail_settings').get() as { upstream_secret: Buffer }).upstream_secret;
    return { signing: new Map(rows.map((r) => [r.kid, r.private_key])), checkpoint: Buffer.from(JSON.parse(setting.value) as string, 'base64'), mail };
  } finally {
    db.close();
  }
}

describePostgres('keyrack store copy: wrapped keys for the nodes', () => {
  const scratch = postgresScratch();
  const tablesOn = async (database: TestDatabase) =>
    Number((await (await scratch.pool(database)).query(`SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public'`)).rows[0]!.n);

  test('a master-key store: its keys are copied as they are, and the nodes sign with the copied active key', async () => {
    const source = await storeWrappedBy((data) => headlessKeyWrapper(data, {}));
    const target = await scratch.database();
    const run = await keyrack(source.data, ['store', 'copy', '--to', target.url, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as { keys: unknown[]; tables: { table: string; rows: number }[] };
    expect(summary.keys).toEqual([
      { key: `signing key ${source.retiredKid}`, role: 'retired', fate: 'kept' },
      { key: `signing key ${source.activeKid}`, role: 'active', fate: 'kept' },
      { key: 'checkpoint key', role: 'checkpoint', fate: 'kept' },
      { key: 'mail upstream password of info@example.com', role: 'mail', fate: 'kept' },
    ]);
    expect(summary.tables.find((t) => t.table === 'signing_keys')!.rows).toBe(2);

    const pool = await scratch.pool(target);
    const copied = await wrappedOnTarget(pool);
    const original = sourceKeys(source.data);
    expect(copied.signing).toEqual(original.signing);
    expect(copied.checkpoint).toEqual(original.checkpoint);
    expect(copied.mail).toEqual(original.mail);
    // A node given the folder's key as KEYRACK_MASTER_KEY (not the file) opens it.
    const nodeMaster = headlessKeyWrapper(folder('keyrack-copy-env-'), { [MASTER_KEY_ENV]: readFileSync(join(source.data, MASTER_KEY_FILE), 'utf8') });
    expect(await signOnTarget(pool, nodeMaster)).toEqual({ kid: source.activeKid, verified: true });

    const verifyRun = await keyrack(source.data, ['log', 'verify', '--json'], '', { env: { KEYRACK_STORE: target.url } });
    expect(verifyRun.code, verifyRun.stderr + verifyRun.stdout).toBe(0);
    expect(JSON.parse(verifyRun.stdout)).toMatchObject({ firstProblem: null, checkpoint: { verdict: 'anchored' } });
  });

  test('keys the copy cannot open (another key than the master key): refused before anything is written, each key named', async () => {
    const source = await storeWrappedBy(() => keychainSimulated);
    const target = await scratch.database();
    const run = await keyrack(source.data, ['store', 'copy', '--to', target.url]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: The PostgreSQL nodes unwrap keys with master key file .*master\.key, and this copy cannot re-wrap these for them: /);
    expect(run.stderr).toContain(`signing key ${source.activeKid} (active): does not unwrap with master key file`);
    expect(run.stderr).toContain(`signing key ${source.retiredKid} (retired)`);
    expect(run.stderr).toContain('checkpoint key: does not unwrap');
    expect(run.stderr).toContain('mail upstream password of info@example.com: does not unwrap');
    expect(run.stderr).toContain('Nothing was written. Copy with --leave-out-unreadable-keys');
    expect(run.stderr).not.toContain('copying');
    // Not even the schema: the database is as empty as it was.
    expect(await tablesOn(target)).toBe(0);
  });

  test("the desktop app's keychain blobs are named as such", async () => {
    const source = await storeWrappedBy(() => safeStorageKeyWrapper(fakeSafeStorage, 'test'));
    const target = await scratch.database();
    const run = await keyrack(source.data, ['store', 'copy', '--to', target.url]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`signing key ${source.activeKid} (active): wrapped by the desktop app's OS keychain, which this process cannot open`);
    expect(await tablesOn(target)).toBe(0);
  });

  test('--leave-out-unreadable-keys: the copy holds none of them, says so, and the nodes create a new signing key', async () => {
    const source = await storeWrappedBy(() => keychainSimulated);
    const target = await scratch.database();
    const run = await keyrack(source.data, ['store', 'copy', '--to', target.url, '--leave-out-unreadable-keys']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/\ssigning_keys\s+0\s+copied/);
    expect(run.stdout).toContain(`signing key ${source.activeKid} (active): left out (does not unwrap with master key file`);
    expect(run.stdout).toContain('checkpoint key: left out');
    expect(run.stdout).toContain('mail upstream password of info@example.com: left out');
    expect(run.stdout).toContain('The nodes create a new signing key');

    const pool = await scratch.pool(target);
    const copied = await wrappedOnTarget(pool);
    // The checkpoint the left-out key signed goes with it: a new key would call it forged.
    // The mailbox's upstream stays, without its password.
    expect(copied).toEqual({ signing: new Map(), checkpoint: undefined, checkpointRow: false, mail: null });
    const signed = await signOnTarget(pool, headlessKeyWrapper(source.data, {}));
    expect(signed.verified).toBe(true);
    expect([source.activeKid, source.retiredKid]).not.toContain(signed.kid);

    // The SQLite store's checkpoint file, signed with the left-out key, is that store's, not the copy's: the
    // summary says to move it aside before this folder verifies the copy (a key the store holds now would
    // find it forged).
    expect(run.stdout).toContain(CHECKPOINT_FILE);
    renameSync(join(source.data, CHECKPOINT_FILE), join(source.data, `${CHECKPOINT_FILE}.sqlite`));
    const verifyRun = await keyrack(source.data, ['log', 'verify', '--json'], '', { env: { KEYRACK_STORE: target.url } });
    expect(verifyRun.code, verifyRun.stderr + verifyRun.stdout).toBe(0);
    expect(JSON.parse(verifyRun.stdout)).toMatchObject({ firstProblem: null });
  });

  test("KEYRACK_MASTER_KEY names the nodes' new key: keys under the folder's master.key are re-wrapped under it", async () => {
    const source = await storeWrappedBy((data) => headlessKeyWrapper(data, {}));
    const nodesKey = randomBytes(32).toString('base64url');
    const target = await scratch.database();
    const run = await keyrack(source.data, ['store', 'copy', '--to', target.url, '--json'], '', { env: { [MASTER_KEY_ENV]: nodesKey } });
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { keys: { fate: string }[] }).keys.map((k) => k.fate)).toEqual(['rewrapped', 'rewrapped', 'rewrapped', 'rewrapped']);

    const pool = await scratch.pool(target);
    const copied = await wrappedOnTarget(pool);
    const original = sourceKeys(source.data);
    const nodes = headlessKeyWrapper(folder('keyrack-copy-env-'), { [MASTER_KEY_ENV]: nodesKey });
    const folderKey = headlessKeyWrapper(source.data, {});
    for (const [kid, wrapped] of original.signing) {
      expect(nodes.unwrap(copied.signing.get(kid)!)).toEqual(folderKey.unwrap(wrapped));
      expect(() => folderKey.unwrap(copied.signing.get(kid)!)).toThrow();
    }
    // The same checkpoint key, so the copied checkpoint still authenticates.
    expect(nodes.unwrap(copied.checkpoint!)).toEqual(folderKey.unwrap(original.checkpoint));
    expect(copied.checkpointRow).toBe(true);
    expect(nodes.unwrap(copied.mail!).toString()).toBe(RELAY_PASSWORD);
    expect(await signOnTarget(pool, nodes)).toEqual({ kid: source.activeKid, verified: true });

    const verifyRun = await keyrack(source.data, ['log', 'verify', '--json'], '', { env: { KEYRACK_STORE: target.url } });
    expect(verifyRun.code, verifyRun.stderr + verifyRun.stdout).toBe(0);
  });

  test("the desktop app's keychain as a wrapper of the copying process: its keys are re-wrapped under the master key", async () => {
    const source = await storeWrappedBy(() => keychainSimulated);
    const target = await scratch.database();
    const master = headlessKeyWrapper(folder('keyrack-copy-master-'), {});
    const snapshot = openSqliteReadOnly(join(source.data, DATABASE_FILE), { snapshot: true });
    try {
      expect(() => planKeyCopy(snapshot, { target: master })).toThrow(StoreCopyError);
      const keys = planKeyCopy(snapshot, { target: master, sources: [keychainSimulated] });
      const summary = await copyStore(snapshot, scratch.keep(await openCopyTarget(target.url)), keys);
      expect(summary.keys.map((k) => [k.role, k.fate])).toEqual([['retired', 'rewrapped'], ['active', 'rewrapped'], ['checkpoint', 'rewrapped'], ['mail', 'rewrapped']]);
    } finally {
      snapshot.close();
    }
    const pool = await scratch.pool(target);
    expect(await signOnTarget(pool, master)).toEqual({ kid: source.activeKid, verified: true });
    const copied = await wrappedOnTarget(pool);
    expect(master.unwrap(copied.checkpoint!)).toEqual(keychainSimulated.unwrap(sourceKeys(source.data).checkpoint));
    expect(master.unwrap(copied.mail!).toString()).toBe(RELAY_PASSWORD);
  });
});

