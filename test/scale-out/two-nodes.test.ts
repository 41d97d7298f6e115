/**
 * Issue 10's two-node test: two `keyrack serve` processes (the compiled CLI, as shipped) on different ports
 * over one PostgreSQL database, administered through the CLI from a third data folder. Loopback only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from 'jose';
import pg from 'pg';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { tempDir } from '../support/core.js';
import { keyrack } from '../support/cli.js';
import { describePostgres, postgresScratch, type TestDatabase } from '../support/postgres.js';
import { basic, post } from '../token-server/support.js';

interface Node {
  name: string;
  url: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  stderr: string[];
}

describePostgres('two keyrack serve nodes over one PostgreSQL store', () => {
  const scratch = postgresScratch();
  const root = tempDir('keyrack-two-nodes-');
  const masterKey = randomBytes(32).toString('base64url');
  let database: TestDatabase;
  let env: NodeJS.ProcessEnv;
  const nodes: Node[] = [];
  let crm: { clientId: string; secret: string };

  const admin = (args: string[], stdin = '') => keyrack(join(root, 'admin'), args, stdin, { env });

  beforeAll(async () => {
    database = await scratch.database();
    env = { KEYRACK_STORE: database.url, KEYRACK_MASTER_KEY: masterKey };
    for (const dir of ['admin', 'a', 'b']) mkdirSync(join(root, dir), { mode: 0o700 });
    expect((await admin(['init', '--name', 'alice', '--password-stdin'], 'correct horse battery\n')).code).toBe(0);
    expect((await admin(['rights', 'add-resource', 'properties', '--action', 'read'])).code).toBe(0);
    expect((await admin(['groups', 'create', 'Website', '--right', 'properties:read'])).code).toBe(0);
    crm = JSON.parse((await admin(['api-users', 'create', '--name', 'CRM Sync', '--group', 'Website', '--json'])).stdout) as typeof crm;
    nodes.push(await startNode('a', ['--prune-log']), await startNode('b'));
  }, 60_000);

  afterAll(async () => {
    for (const node of nodes) node.child.kill('SIGKILL');
    await Promise.all(nodes.map((n) => n.exited));
    rmSync(root, { recursive: true, force: true });
  });

  async function startNode(name: string, extra: string[] = []): Promise<Node> {
    const child = spawn(process.execPath, ['bin/keyrack.js', 'serve', '--port', '0', '--node', name, ...extra], {
      env: { ...process.env, ...env, KEYRACK_DATA: join(root, name) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stderr: string[] = [];
    child.stderr!.on('data', (c: Buffer) => stderr.push(c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const lines: string[] = [];
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: child.stdout! }).on('line', (line) => {
        lines.push(line);
        if (line.startsWith('Stop with')) resolve();
      });
      void exited.then((code) => reject(new Error(`node ${name} exited with ${code}: ${stderr.join('')}`)));
    });
    expect(lines).toContain(`  Node:            ${name} (on a shared PostgreSQL store)`);
    return { name, url: /URL:\s+(\S+)/.exec(lines.join('\n'))![1]!, child, exited, stderr };
  }

  const token = (node: Node, client: { clientId: string; secret: string }) =>
    post(node.url, '/oauth2/token', { grant_type: 'client_credentials' }, { authorization: basic(client.clientId, client.secret) });

  /**
   * How long after `since` (the change committed: the CLI command returned) every node refuses `client`:
   * polled every 20 ms, for at most 5 s. A refusal itself takes the failure floor (tens of ms).
   */
  async function refusedEverywhereAfter(client: { clientId: string; secret: string }, since: number): Promise<number> {
    for (const node of nodes.filter((n) => n.child.exitCode === null && n.child.signalCode === null)) {
      for (;;) {
        const reply = await token(node, client);
        if (reply.status === 401) break;
        expect(reply.status).toBe(200);
        if (performance.now() - since > 5_000) throw new Error(`node ${node.name} still issues tokens after 5 s`);
        await sleep(20);
      }
    }
    return performance.now() - since;
  }

  async function storeRows<R extends pg.QueryResultRow>(sql: string): Promise<R[]> {
    const client = new pg.Client({ ...database.address });
    await client.connect();
    try {
      return (await client.query<R>(sql)).rows;
    } finally {
      await client.end();
    }
  }

  test('both nodes issue tokens with one issuer key set: a token from A verifies against B\'s JWKS, and the reverse', async () => {
    const [a, b] = nodes as [Node, Node];
    for (const [from, to] of [
      [a, b],
      [b, a],
    ] as const) {
      const reply = await token(from, crm);
      expect(reply.status).toBe(200);
      const jwks = (await (await fetch(`${to.url}/jwks.json`)).json()) as JSONWebKeySet;
      const { payload } = await jwtVerify(reply.json.access_token as string, createLocalJWKSet(jwks));
      expect(payload.scope).toBe('properties:read');
    }
    // One node of a shared store prunes the log (its archives stay in its data folder); the others say so.
    expect(a.stderr.join('')).not.toContain('log retention');
    // No issuer set yet: every node says that nodes of a shared store need one.
    for (const node of nodes) expect(node.stderr.join('')).toContain('token server: no issuer is set, so this node names its own URL;');
    expect(b.stderr.join('')).toContain('log retention: not pruned by this node (one node of a shared store prunes: keyrack serve --prune-log)\n');
    // The log says which node decided.
    const rows = await storeRows<{ node: string }>(`SELECT details::json->>'node' AS node FROM audit_events WHERE type = 'token.issued'`);
    expect(new Set(rows.map((r) => r.node))).toEqual(new Set(['a', 'b']));
    // store status lists both nodes' heartbeats.
    const status = await admin(['store', 'status', '--json']);
    expect(status.code).toBe(0);
    const seen = (JSON.parse(status.stdout) as { nodes: { node: string }[] }).nodes.map((n) => n.node);
    expect(seen).toEqual(expect.arrayContaining(['a', 'b']));
  });

  test('a signing key rotated through the CLI is published by both nodes and signs their next tokens within a few seconds', async () => {
    const rotated = JSON.parse((await admin(['keys', 'rotate', '--json'])).stdout) as { kid: string };
    const since = performance.now();
    for (const node of nodes) {
      for (;;) {
        const jwks = (await (await fetch(`${node.url}/jwks.json`)).json()) as JSONWebKeySet;
        const reply = await token(node, crm);
        const kid = JSON.parse(Buffer.from((reply.json.access_token as string).split('.')[0]!, 'base64url').toString()) as { kid: string };
        if (jwks.keys.some((k) => k.kid === rotated.kid) && kid.kid === rotated.kid) break;
        if (performance.now() - since > 5_000) throw new Error(`node ${node.name} did not take up key ${rotated.kid} within 5 s`);
        await sleep(100);
      }
    }
    expect(performance.now() - since).toBeLessThan(3_000);
  });

  test('a secret revoked through the CLI is refused by both nodes within 1 s', async () => {
    const user = JSON.parse((await admin(['api-users', 'create', '--name', 'Billing', '--group', 'Website', '--json'])).stdout) as {
      clientId: string;
      secret: string;
      secretId: number;
    };
    for (const node of nodes) expect((await token(node, user)).status).toBe(200); // both have verified (and cached) it
    const listed = JSON.parse((await admin(['secrets', 'list', 'Billing', '--json'])).stdout) as { id: number }[];
    expect((await admin(['secrets', 'revoke', 'Billing', '--secret', String(listed[0]!.id)])).code).toBe(0);
    expect(await refusedEverywhereAfter(user, performance.now())).toBeLessThan(1_000);
  });

  test('a user disabled while both nodes serve it is refused by both within 1 s', async () => {
    const user = JSON.parse((await admin(['api-users', 'create', '--name', 'Payroll', '--group', 'Website', '--json'])).stdout) as {
      clientId: string;
      secret: string;
    };
    for (const node of nodes) expect((await token(node, user)).status).toBe(200);
    expect((await admin(['api-users', 'disable', 'Payroll'])).code).toBe(0);
    expect(await refusedEverywhereAfter(user, performance.now())).toBeLessThan(1_000);
  });

  test('interleaved load on both nodes keeps one hash chain: keyrack log verify passes, the head anchored', async () => {
    const replies = await Promise.all(Array.from({ length: 120 }, (_, i) => token(nodes[i % 2]!, crm)));
    expect(replies.map((r) => r.status)).toEqual(replies.map(() => 200));
    const verified = await admin(['log', 'verify']);
    expect(verified.stderr).toBe('');
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/The head is anchored: the signed checkpoint of event \d+ \(.+\) matches\.\n$/);
  });

  test('SIGKILL of one node under load: the other keeps serving, and every token answered 200 is in the log', async () => {
    const [a, b] = nodes as [Node, Node];
    const issued: { node: string; jti: string; at: number }[] = [];
    let killedAt = Infinity;
    const worker = async (node: Node, until: number) => {
      while (performance.now() < until) {
        try {
          const reply = await token(node, crm);
          if (reply.status === 200) issued.push({ node: node.name, jti: decodeJwt(reply.json.access_token as string).jti!, at: performance.now() });
          else expect(reply.status).toBe(200);
        } catch {
          // Node A's connections die with it: a refused or reset connection is no answer, and no token.
          if (node === a) await sleep(5);
          else throw new Error('node B failed a request');
        }
      }
    };
    const until = performance.now() + 1_500;
    const load = [...Array.from({ length: 4 }, () => worker(a, until)), ...Array.from({ length: 4 }, () => worker(b, until))];
    await sleep(400);
    a.child.kill('SIGKILL');
    killedAt = performance.now();
    await Promise.all(load);
    expect(await a.exited).toBe(null);

    expect(issued.filter((t) => t.node === 'a').length).toBeGreaterThan(0);
    expect(issued.filter((t) => t.node === 'b' && t.at > killedAt + 200).length).toBeGreaterThan(0);
    const logged = new Set(
      (await storeRows<{ jti: string }>(`SELECT details::json->>'jti' AS jti FROM audit_events WHERE type = 'token.issued'`)).map((r) => r.jti),
    );
    expect(issued.filter((t) => !logged.has(t.jti))).toEqual([]);
    // The chain stays whole across the kill.
    expect((await admin(['log', 'verify'])).code).toBe(0);
  }, 20_000);
});
