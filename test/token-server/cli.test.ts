import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { openCore } from '../../electron/core.js';
import { parseCheckpoint } from '../../electron/crypto/audit-checkpoint.js';
import { MASTER_KEY_FILE } from '../../electron/crypto/key-wrap.js';
import { DATABASE_FILE } from '../../electron/paths.js';
import { readStoredCheckpoint } from '../../electron/repos/audit-checkpoint.repo.js';
import { CHECKPOINT_FILE } from '../../electron/services/audit-anchor.js';
import { tempDir } from '../support/core.js';
import { keyrack } from '../support/cli.js';
import { basic, post } from './support.js';

let data: string;
beforeEach(() => {
  data = tempDir('keyrack-serve-');
});
afterEach(() => rmSync(data, { recursive: true, force: true }));

describe('keyrack keys', () => {
  test('list before any key, rotate, rotate again: the previous key is retired and stays published', async () => {
    expect(await keyrack(data, ['keys', 'list'])).toMatchObject({
      code: 0,
      stdout: 'No signing keys yet: the token server creates one on its first start.\n',
    });
    const first = await keyrack(data, ['keys', 'rotate', '--json']);
    expect(first.code).toBe(0);
    const a = JSON.parse(first.stdout) as { kid: string; alg: string; active: boolean };
    expect(a).toMatchObject({ alg: 'ES256', active: true, retiredAt: null, publishedUntil: null });

    const second = await keyrack(data, ['keys', 'rotate', '--alg', 'RS256']);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^New signing key \S+ \(RS256\) is active\./);

    const listed = JSON.parse((await keyrack(data, ['keys', 'list', '--json'])).stdout) as Array<{
      kid: string;
      alg: string;
      active: boolean;
      retiredAt: number | null;
      publishedUntil: number | null;
    }>;
    expect(listed).toHaveLength(2);
    const old = listed.find((k) => k.kid === a.kid)!;
    expect(old.active).toBe(false);
    // One day (the longest token lifetime) and five minutes of clock skew after retirement.
    expect(old.publishedUntil! - old.retiredAt!).toBe(86_400_000 + 300_000);
    expect(listed.find((k) => k.active)!.alg).toBe('RS256');

    const text = (await keyrack(data, ['keys', 'list'])).stdout;
    expect(text.split('\n')[0]).toMatch(/^KID\s+ALG\s+STATE\s+CREATED\s+PUBLISHED UNTIL$/);
    expect(text).toContain('retired');

    const core = openCore({ dataDir: data });
    try {
      const rows = core.db.prepare(`SELECT reason, details FROM audit_events WHERE type = 'keys.rotated' ORDER BY id`).all() as {
        reason: string;
        details: string;
      }[];
      expect(rows.map((r) => r.reason)).toEqual(['rotation', 'rotation']);
      // The log names the key and how it is wrapped, never the key itself.
      expect(rows[1]!.details).not.toMatch(/PRIVATE|"d":/);
    } finally {
      core.close();
    }
  });

  test('a wrong algorithm is a usage error', async () => {
    expect(await keyrack(data, ['keys', 'rotate', '--alg', 'HS256'])).toMatchObject({
      code: 2,
      stderr: 'error: --alg: "HS256" is not ES256 or RS256\n',
    });
  });
});

describe('keyrack serve refuses to start', () => {
  let blocker: Server;
  afterEach(() => new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve())));

  test('on a port in use: one line, exit 1', async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const run = await keyrack(data, ['serve', '--port', String(port)]);
    expect(run.code).toBe(1);
    // In-process (TypeScript sources) the audit worker is not compiled, and serve says it writes inline first.
    expect(run.stderr.split('\n').filter((l) => l.startsWith('error:'))).toEqual([
      `error: Port ${port} on 127.0.0.1 is already in use; stop the other program or choose another port with --port`,
    ]);
    expect(run.stdout).toBe('');
  });

  test('on a damaged database: one line, exit 1, the file left alone', async () => {
    const garbage = Buffer.from('not a sqlite database, only text '.repeat(200));
    writeFileSync(join(data, DATABASE_FILE), garbage);
    const run = await keyrack(data, ['serve', '--port', '0']);
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(run.stderr).toMatch(/^error: .*is damaged/);
  });

  test('on a master key file others can read: one line saying what to do, exit 1', async () => {
    const keyFile = join(data, MASTER_KEY_FILE);
    writeFileSync(keyFile, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o644 });
    chmodSync(keyFile, 0o644); // whatever the umask made of it
    const run = await keyrack(data, ['serve', '--port', '0']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`error: ${keyFile} is readable by other users; run: chmod 600 ${keyFile}\n`);
    expect(run.stdout).toBe('');
  });

  test('on a port that is not a number: usage error', async () => {
    expect(await keyrack(data, ['serve', '--port', 'http'])).toMatchObject({ code: 2, stderr: 'error: --port: "http" is not a port (0 to 65535)\n' });
  });
});

describe('keyrack serve in a child process (needs `npm run build`, which npm test runs first)', () => {
  test('prints URL and issuer, issues tokens, stops on SIGTERM with the log flushed', async () => {
    expect((await keyrack(data, ['init', '--name', 'alice', '--password-stdin'], 'correct horse battery\n')).code).toBe(0);
    expect((await keyrack(data, ['rights', 'add-resource', 'properties', '--action', 'read'])).code).toBe(0);
    expect((await keyrack(data, ['groups', 'create', 'Website', '--right', 'properties:read'])).code).toBe(0);
    const created = JSON.parse(
      (await keyrack(data, ['api-users', 'create', '--name', 'CRM Sync', '--group', 'Website', '--json'])).stdout,
    ) as { clientId: string; secret: string };

    const child = spawn(process.execPath, ['bin/keyrack.js', 'serve', '--port', '0'], {
      env: { ...process.env, KEYRACK_DATA: data },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stderr: string[] = [];
    child.stderr.on('data', (c: Buffer) => stderr.push(c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const lines: string[] = [];
    const rl = createInterface({ input: child.stdout });
    const started = new Promise<void>((resolve, reject) => {
      rl.on('line', (line) => {
        lines.push(line);
        if (line.startsWith('Stop with')) resolve();
      });
      void exited.then((code) => reject(new Error(`serve exited with ${code}: ${stderr.join('')}`)));
    });
    try {
      await started;
      const url = /URL:\s+(\S+)/.exec(lines.join('\n'))![1]!;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(lines).toContain(`  Issuer:          ${url}`);
      expect(lines.join('\n')).toContain('TLS:             off (loopback only');

      const reply = await post(url, '/oauth2/token', { grant_type: 'client_credentials' }, { authorization: basic(created.clientId, created.secret) });
      expect(reply.status).toBe(200);
      expect(reply.json.scope).toBe('properties:read');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    // The compiled CLI commits the log on its worker thread (no fallback message).
    expect(stderr.join('')).toBe('');
    const all = lines.join('\n');
    expect(all).toContain('SIGTERM: stopping');
    expect(lines.at(-1)).toBe('Stopped.');

    const core = openCore({ dataDir: data });
    try {
      const issued = core.db.prepare(`SELECT count(*) AS n FROM audit_events WHERE type = 'token.issued'`).get() as { n: number };
      expect(issued.n).toBe(1);
      const use = core.db.prepare('SELECT last_used_at AS at, last_used_ip AS ip FROM client_secrets').get() as { at: number; ip: string };
      expect(use.ip).toBe('127.0.0.1');
      expect(use.at).toBeGreaterThan(0);
      // The worker signed the issuance's batch, and serve's close copied that checkpoint beside the store.
      const head = core.db.prepare('SELECT max(id) AS id FROM audit_events').get() as { id: number };
      expect(readStoredCheckpoint(core.db)).toMatchObject({ id: head.id });
      expect(parseCheckpoint(readFileSync(join(data, CHECKPOINT_FILE), 'utf8'))).toMatchObject({ id: head.id });
    } finally {
      core.close();
    }
    const verified = await keyrack(data, ['log', 'verify']);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/\nThe head is anchored: the signed checkpoint of event \d+ \(.+\) matches\.\n$/);
  }, 20_000);
});
