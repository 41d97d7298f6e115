import { X509Certificate, createPrivateKey } from 'node:crypto';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { aesGcmKeyWrapper, type KeyWrapper } from '../../electron/crypto/key-wrap.js';
import {
  describeTls,
  discardCertificateAuthority,
  loadOrCreateTlsMaterial,
  readTlsCertificates,
  tlsDir,
} from '../../electron/crypto/tls.js';
import { certificateNames } from '../../electron/crypto/x509-issue.js';
import type { Store } from '../../electron/db/store.js';
import { tempDir } from '../support/core.js';
import { describeEngines, type EngineCore } from '../support/engines.js';

/**
 * Issue 10: one CA for every node over one store. Each "node" here is a data folder of its own (its server
 * certificate, its names) over the store of one core; on PostgreSQL that store is the core's pool, on SQLite
 * the core's file. The nodes share the master key, as the issue says they are given.
 */

const DAY = 86_400_000;
const NODE_A = { hostnames: ['a.keyrack.test', 'keyrack.test', 'localhost'], addresses: ['127.0.0.1', '192.0.2.10'] };
// Under the CA node A created: b.keyrack.test is below keyrack.test, 127.0.0.2 in loopback's 127.0.0.0/8.
const NODE_B = { hostnames: ['b.keyrack.test', 'keyrack.test', 'localhost'], addresses: ['127.0.0.2'] };

interface AuthorityRow {
  purpose: string;
  cert_pem: string;
  wrapped_key: Buffer;
  fingerprint: string;
  origin: string;
}

describeEngines((engine) => {
  const cores: EngineCore[] = [];
  const folders: string[] = [];
  afterEach(async () => {
    for (const core of cores.splice(0)) await core.cleanup();
    for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  const wrapper: KeyWrapper = aesGcmKeyWrapper(Buffer.alloc(32, 7), 'test master key');

  async function store(): Promise<Store> {
    const core = await engine.makeCore();
    cores.push(core);
    return core.deps.store;
  }
  function node(over: Store): { dataDir: string; store: Store } {
    const dataDir = tempDir('keyrack-tls-node-');
    folders.push(dataDir);
    return { dataDir, store: over };
  }
  const rows = (over: Store) => over.all<AuthorityRow>('SELECT * FROM tls_authorities');

  it('two nodes over one store get certificates with their own names from the same CA, kept in the store', async () => {
    const shared = await store();
    const a = node(shared);
    const b = node(shared);
    const fromA = await loadOrCreateTlsMaterial(a, wrapper, NODE_A);
    const fromB = await loadOrCreateTlsMaterial(b, wrapper, NODE_B);

    expect(fromB.caFingerprint).toBe(fromA.caFingerprint);
    expect(fromB.caCert).toBe(fromA.caCert);
    const ca = new X509Certificate(fromA.caCert);
    for (const [material, names] of [[fromA, NODE_A], [fromB, NODE_B]] as const) {
      const leaf = new X509Certificate(material.cert);
      expect(leaf.checkIssued(ca) && leaf.verify(ca.publicKey)).toBe(true);
      expect(certificateNames(material.cert)).toEqual(names);
      expect(material.report).toEqual({ issued: { names, reason: 'first' }, notCovered: [], caConstrained: true });
    }
    expect(new X509Certificate(fromA.cert).checkHost('b.keyrack.test')).toBeUndefined();
    expect(new X509Certificate(fromB.cert).checkHost('a.keyrack.test')).toBeUndefined();

    // One row; each folder holds its own server certificate and no CA.
    expect((await rows(shared)).map((r) => [r.purpose, r.fingerprint, r.origin])).toEqual([['server', fromA.caFingerprint, 'created']]);
    for (const home of [a, b]) expect(readdirSync(tlsDir(home.dataDir)).sort()).toEqual(['server.crt', 'server.key.wrapped']);

    // Reading (tls show, export-ca, the app's page) gives the store's CA and the node's own certificate.
    const shownB = await readTlsCertificates(b);
    expect(shownB).toMatchObject({ caCert: fromA.caCert, cert: fromB.cert, caFingerprint: fromA.caFingerprint, source: 'generated' });
    expect(describeTls(shownB!).dnsNames).toEqual(NODE_B.hostnames);

    // Loading again changes nothing: no new CA, no new certificate.
    const again = await loadOrCreateTlsMaterial(b, wrapper, NODE_B);
    expect([again.cert, again.caFingerprint, again.report?.issued]).toEqual([fromB.cert, fromA.caFingerprint, null]);
  });

  it("a node's name outside the first node's CA constraints is left out and reported, not vouched for", async () => {
    const shared = await store();
    const fromA = await loadOrCreateTlsMaterial(node(shared), wrapper, NODE_A);
    const elsewhere = { hostnames: ['c.other.test', 'keyrack.test'], addresses: ['127.0.0.1', '198.51.100.7'] };
    const fromC = await loadOrCreateTlsMaterial(node(shared), wrapper, elsewhere);
    expect(fromC.caFingerprint).toBe(fromA.caFingerprint);
    expect(fromC.report?.notCovered).toEqual(['c.other.test', '198.51.100.7']);
    expect(certificateNames(fromC.cert)).toEqual({ hostnames: ['keyrack.test'], addresses: ['127.0.0.1'] });
  });

  it('two nodes creating the CA at the same moment end with one CA, the one stored first', async () => {
    const shared = await store();
    // Both nodes read "no CA" and make one before either stores it: each transaction waits for the other's load.
    const racing = barrierOnTransactions(shared, 2);
    const [one, two] = await Promise.all([
      loadOrCreateTlsMaterial(node(racing.store), wrapper, NODE_A),
      loadOrCreateTlsMaterial(node(racing.store), wrapper, NODE_B),
    ]);
    expect(racing.entered()).toBe(2);
    expect(two.caFingerprint).toBe(one.caFingerprint);
    const stored = await rows(shared);
    expect(stored.map((r) => r.fingerprint)).toEqual([one.caFingerprint]);
    const ca = new X509Certificate(stored[0]!.cert_pem);
    for (const material of [one, two]) expect(new X509Certificate(material.cert).verify(ca.publicKey)).toBe(true);
  });

  it("an existing data folder's CA moves into the store with its fingerprint; another folder's is set aside", async () => {
    const shared = await store();
    const a = node(shared);
    // The folder as Keyrack left it before the store held the CA.
    const before = await loadOrCreateTlsMaterial(a.dataDir, wrapper, NODE_A);
    expect(readdirSync(tlsDir(a.dataDir))).toContain('ca.crt');

    const moved = await loadOrCreateTlsMaterial(a, wrapper, NODE_A);
    expect(moved.caFingerprint).toBe(before.caFingerprint);
    expect(moved.cert).toBe(before.cert); // same CA, same names: the server certificate stays
    expect(moved.report).toMatchObject({ issued: null, folderCa: { fingerprint: before.caFingerprint, outcome: 'moved' } });
    const [row] = await rows(shared);
    expect([row!.fingerprint, row!.origin, row!.cert_pem]).toEqual([before.caFingerprint, 'adopted', before.caCert]);
    expect(readdirSync(tlsDir(a.dataDir)).sort()).toEqual([
      'ca.crt.before-store', 'ca.key.wrapped.before-store', 'server.crt', 'server.key.wrapped',
    ]);

    // A second node with a CA of its own from before: the store's wins, the folder's is kept aside.
    const b = node(shared);
    const own = await loadOrCreateTlsMaterial(b.dataDir, wrapper, NODE_B);
    const joined = await loadOrCreateTlsMaterial(b, wrapper, NODE_B);
    expect(joined.caFingerprint).toBe(before.caFingerprint);
    expect(joined.report).toMatchObject({ issued: { reason: 'ca' }, folderCa: { fingerprint: own.caFingerprint, outcome: 'superseded' } });
    expect(existsSync(`${tlsDir(b.dataDir)}/ca.crt`)).toBe(false);
    expect((await rows(shared)).length).toBe(1);

    // A folder left with a CA certificate and no key (an error on its own) is no obstacle once the store has one.
    const c = node(shared);
    await loadOrCreateTlsMaterial(c.dataDir, wrapper, NODE_B);
    rmSync(`${tlsDir(c.dataDir)}/ca.key.wrapped`);
    await expect(loadOrCreateTlsMaterial(c.dataDir, wrapper, NODE_B)).rejects.toThrow(/ca\.key\.wrapped is missing/);
    expect((await loadOrCreateTlsMaterial(c, wrapper, NODE_B)).caFingerprint).toBe(before.caFingerprint);
    expect(readdirSync(tlsDir(c.dataDir))).toContain('ca.crt.before-store');
  });

  it('the CA private key is in the store only wrapped: the bytes are no key, the master key unwraps the CA\'s own', async () => {
    const shared = await store();
    const material = await loadOrCreateTlsMaterial(node(shared), wrapper, NODE_A);
    const [row] = await rows(shared);
    const bytes = row!.wrapped_key;
    expect(Buffer.isBuffer(bytes)).toBe(true);
    expect(bytes.toString('latin1')).not.toMatch(/PRIVATE KEY|-----BEGIN/);
    expect(() => createPrivateKey({ key: bytes, format: 'der', type: 'pkcs8' })).toThrow();
    expect(() => createPrivateKey({ key: bytes, format: 'der', type: 'sec1' })).toThrow();
    expect(() => createPrivateKey(bytes.toString('latin1'))).toThrow();
    const unwrapped = createPrivateKey({ key: wrapper.unwrap(bytes), format: 'der', type: 'pkcs8' });
    expect(new X509Certificate(material.caCert).checkPrivateKey(unwrapped)).toBe(true);

    // A node given another master key cannot issue from it, and is told why.
    const stranger = aesGcmKeyWrapper(Buffer.alloc(32, 8), 'another master key');
    await expect(loadOrCreateTlsMaterial(node(shared), stranger, NODE_B)).rejects.toThrow(/CA is in the store, wrapped by the master key every node is given/);
  });

  it('tls reset --new-ca replaces the store\'s CA for every node, and a moved folder CA does not come back', async () => {
    const shared = await store();
    const a = node(shared);
    const old = await loadOrCreateTlsMaterial(a.dataDir, wrapper, NODE_A);
    await loadOrCreateTlsMaterial(a, wrapper, NODE_A); // moved into the store
    const b = node(shared);
    await loadOrCreateTlsMaterial(b, wrapper, NODE_B);

    await discardCertificateAuthority(a);
    expect(await rows(shared)).toEqual([]);
    const renewed = await loadOrCreateTlsMaterial(a, wrapper, NODE_A);
    expect(renewed.caFingerprint).not.toBe(old.caFingerprint);
    const other = await loadOrCreateTlsMaterial(b, wrapper, NODE_B);
    expect(other.caFingerprint).toBe(renewed.caFingerprint);
    expect(other.report?.issued?.reason).toBe('ca');
    expect((await rows(shared)).map((r) => r.fingerprint)).toEqual([renewed.caFingerprint]);
  });

  it('an expired CA in the store is replaced once, whichever node finds it first', async () => {
    const shared = await store();
    const first = await loadOrCreateTlsMaterial(node(shared), wrapper, NODE_A);
    const later = Date.parse(new X509Certificate(first.caCert).validTo) + DAY;
    const [x, y] = await Promise.all([
      loadOrCreateTlsMaterial(node(shared), wrapper, NODE_A, { now: () => later }),
      loadOrCreateTlsMaterial(node(shared), wrapper, NODE_B, { now: () => later }),
    ]);
    expect(x.caFingerprint).not.toBe(first.caFingerprint);
    expect(y.caFingerprint).toBe(x.caFingerprint);
    expect((await rows(shared)).map((r) => r.fingerprint)).toEqual([x.caFingerprint]);
  });
});

/**
 * The store, but its transactions start only once `parties` of them have been asked for: the callers have
 * all read the table and made their CA by then, so they truly race to store it.
 */
function barrierOnTransactions(inner: Store, parties: number): { store: Store; entered: () => number } {
  let waiting = 0;
  let release!: () => void;
  const all = new Promise<void>((resolve) => (release = resolve));
  const store: Store = {
    dialect: inner.dialect,
    get: (sql, params) => inner.get(sql, params),
    all: (sql, params) => inner.all(sql, params),
    run: (sql, params) => inner.run(sql, params),
    close: () => inner.close(),
    async transaction(work) {
      waiting += 1;
      if (waiting >= parties) release();
      await all;
      return inner.transaction(work);
    },
  };
  return { store, entered: () => waiting };
}
