/**
 * A `keyrack serve` node whose PostgreSQL goes away (issue 10): token requests are answered 503 with
 * Retry-After within a second, never left hanging; /healthz says the store is unavailable while /livez says
 * the process is alive; when the database is back the node serves again by itself. The database sits behind
 * a loopback TCP proxy (support/tcp-proxy.ts) that cuts the way to it as a network does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { tempDir } from '../support/core.js';
import { keyrack } from '../support/cli.js';
import { describePostgres, postgresScratch } from '../support/postgres.js';
import { startTcpProxy, type ProxyMode, type TcpProxy } from '../support/tcp-proxy.js';
import { basic, post } from '../token-server/support.js';

describePostgres('keyrack serve when its PostgreSQL store is unreachable', () => {
  const scratch = postgresScratch();
  const root = tempDir('keyrack-unreachable-');
  let proxy: TcpProxy;
  let node: ChildProcess;
  let exited: Promise<number | null>;
  let url: string;
  let crm: { clientId: string; secret: string };
  const stderr: string[] = [];

  beforeAll(async () => {
    const database = await scratch.database();
    const env = { KEYRACK_STORE: database.url, KEYRACK_MASTER_KEY: randomBytes(32).toString('base64url') };
    for (const dir of ['admin', 'node']) mkdirSync(join(root, dir), { mode: 0o700 });
    const admin = (args: string[], stdin = '') => keyrack(join(root, 'admin'), args, stdin, { env });
    expect((await admin(['init', '--name', 'alice', '--password-stdin'], 'correct horse battery\n')).code).toBe(0);
    expect((await admin(['rights', 'add-resource', 'properties', '--action', 'read'])).code).toBe(0);
    expect((await admin(['groups', 'create', 'Website', '--right', 'properties:read'])).code).toBe(0);
    crm = JSON.parse((await admin(['api-users', 'create', '--name', 'CRM Sync', '--group', 'Website', '--json'])).stdout) as typeof crm;

    const { host, port, user, database: name } = database.address;
    proxy = await startTcpProxy(host, port);
    node = spawn(process.execPath, ['bin/keyrack.js', 'serve', '--port', '0', '--node', 'solo'], {
      env: { ...process.env, ...env, KEYRACK_STORE: `postgres://${user}@127.0.0.1:${proxy.port}/${name}`, KEYRACK_DATA: join(root, 'node') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    node.stderr!.on('data', (c: Buffer) => stderr.push(c.toString()));
    exited = new Promise((resolve) => node.on('exit', (code) => resolve(code)));
    const lines: string[] = [];
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: node.stdout! }).on('line', (line) => {
        lines.push(line);
        if (line.startsWith('Stop with')) resolve();
      });
      void exited.then((code) => reject(new Error(`serve exited with ${code}: ${stderr.join('')}`)));
    });
    url = /URL:\s+(\S+)/.exec(lines.join('\n'))![1]!;
  }, 60_000);

  afterAll(async () => {
    node?.kill('SIGKILL');
    await exited;
    await proxy?.close();
    rmSync(root, { recursive: true, force: true });
  });

  const token = () => post(url, '/oauth2/token', { grant_type: 'client_credentials' }, { authorization: basic(crm.clientId, crm.secret) });

  async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
    const started = performance.now();
    const value = await work();
    return { value, ms: performance.now() - started };
  }

  /** Token requests until one is answered 200 (the node reconnected), for at most 10 s. */
  async function servesAgain(): Promise<void> {
    const deadline = performance.now() + 10_000;
    for (;;) {
      const reply = await token();
      if (reply.status === 200) return;
      expect(reply.status).toBe(503);
      if (performance.now() > deadline) throw new Error('the node did not serve again within 10 s of the store coming back');
      await sleep(100);
    }
  }

  test.each<[string, Exclude<ProxyMode, 'forward'>]>([
    ['a network that drops packets (no answer at all)', 'blackhole'],
    ['a database that is down (connections refused)', 'refuse'],
  ])('%s: 503 temporarily_unavailable with Retry-After within a second; /healthz 503; serves again once it is back', async (_name, cut) => {
    expect((await token()).status).toBe(200);
    await proxy.setMode(cut);
    for (let i = 0; i < 3; i++) {
      const { value: reply, ms } = await timed(token);
      expect(ms).toBeLessThan(1_000);
      expect(reply.status).toBe(503);
      expect(reply.headers.get('retry-after')).toBe('1');
      expect(reply.headers.get('cache-control')).toBe('no-store');
      expect(reply.json).toEqual({
        error: 'temporarily_unavailable',
        error_description: 'The server cannot reach its store right now; retry after the number of seconds in Retry-After',
      });
    }
    const { value: health, ms } = await timed(() => fetch(`${url}/healthz`));
    expect(ms).toBeLessThan(1_000);
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ status: 'alive', problem: 'store_unavailable' });
    expect((await fetch(`${url}/livez`)).status).toBe(200);

    await proxy.setMode('forward');
    await servesAgain();
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect(node.exitCode).toBe(null);
  }, 30_000);
});
