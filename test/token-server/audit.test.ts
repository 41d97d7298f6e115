import { hostname } from 'node:os';
import { rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createPasswordHasher } from '../../electron/crypto/password.js';
import { DATABASE_FILE } from '../../electron/paths.js';
import { verifyAuditChainInSteps } from '../../electron/repos/audit.repo.js';
import { TEST_HASH_PARAMS } from '../support/core.js';
import { auditText, basic, claimsOf, lastEventId, NO_BACKOFF, ON_POSTGRES, post, startFixture, tokenEvents, tokenRequest, type Fixture } from './support.js';

let f: Fixture;
beforeAll(async () => {
  f = await startFixture({ tuning: NO_BACKOFF });
});
afterAll(() => f.close());

/** On a shared store every token event names the node that decided (its host name by default). */
const NODE = ON_POSTGRES ? { node: hostname() } : {};

describe('every issuance and every denial is an audit event', () => {
  test('an issuance: client id, user, address, outcome, jti, and nothing secret', async () => {
    const before = await lastEventId(f);
    const reply = await tokenRequest(f, { scope: 'properties:read' });
    const claims = claimsOf(reply.json.access_token as string);
    const events = await tokenEvents(f, before);
    expect(events).toEqual([
      {
        type: 'token.issued',
        outcome: 'success',
        reason: null,
        actorName: 'CRM Sync',
        targetUserId: f.crm.userId,
        sourceIp: '127.0.0.1',
        details: {
          clientId: f.crm.clientId,
          jti: claims.jti,
          scope: 'properties:read',
          aud: 'urn:keyrack:lan-api',
          exp: claims.exp,
          method: 'client_secret_basic',
          secretId: f.crm.secretId,
          ...NODE,
        },
      },
    ]);
  });

  test('a denial: the same fields with the reason, and neither the presented nor the real secret', async () => {
    const before = await lastEventId(f);
    const presented = 'Guess-0123456789-abcdefghijklmnopqrstuvwx';
    await post(f.url, '/oauth2/token', { grant_type: 'client_credentials', client_id: f.crm.clientId, client_secret: presented });
    expect((await tokenEvents(f, before))).toEqual([
      {
        type: 'token.denied',
        outcome: 'failure',
        reason: 'wrong_secret',
        actorName: 'CRM Sync',
        targetUserId: f.crm.userId,
        sourceIp: '127.0.0.1',
        details: { clientId: f.crm.clientId, error: 'invalid_client', method: 'client_secret_post', ...NODE },
      },
    ]);
    const text = await auditText(f);
    expect(text).not.toContain(presented);
    expect(text).not.toContain(f.crm.secret);
    expect(text).not.toContain(basic(f.crm.clientId, f.crm.secret).slice(6));
  });

  test('concurrent requests share commits, and the hash chain still verifies', async () => {
    const replies = await Promise.all(Array.from({ length: 40 }, () => tokenRequest(f)));
    expect(replies.every((r) => r.status === 200)).toBe(true);
    const jtis = new Set(replies.map((r) => claimsOf(r.json.access_token as string).jti));
    const logged = new Set((await tokenEvents(f)).map((e) => e.details.jti));
    for (const jti of jtis) expect(logged.has(jti)).toBe(true);
    expect((await verifyAuditChainInSteps(f.core.deps.store)).firstProblem).toBeNull();
  });

  // A trigger in the SQLite schema makes the write fail; the PostgreSQL side of failing writes is
  // test/scale-out/store-unreachable.test.ts (503 when the store cannot be reached).
  test.skipIf(ON_POSTGRES)('a log write that fails answers 500 and hands out no token', async () => {
    // In the schema, so on the server's own connection too (token-server/context.ts), where it writes.
    f.core.db.exec(`CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    try {
      const reply = await tokenRequest(f);
      expect(reply.status).toBe(500);
      expect(reply.json).toEqual({ error: 'server_error', error_description: 'The server could not complete the request' });
      expect(reply.text).not.toContain('disk full');
    } finally {
      f.core.db.exec('DROP TRIGGER refuse_audit');
    }
    expect((await tokenRequest(f)).status).toBe(200);
  });
});

// Reads the SQLite file beside the server on a connection of its own (the two-node test covers PostgreSQL).
describe.skipIf(ON_POSTGRES)('last use', () => {
  test('time and address are recorded before the answer leaves, and survive the server and the connection closing', async () => {
    const g = await startFixture();
    const at = g.core.clock.now();
    expect((await tokenRequest(g)).status).toBe(200);
    // Read through a second connection while the server still runs: already committed.
    const file = join(g.core.dataDir, DATABASE_FILE);
    const reader = new Database(file, { readonly: true });
    const read = () => reader.prepare('SELECT last_used_at AS at, last_used_ip AS ip FROM client_secrets WHERE id = ?').get(g.crm.secretId);
    expect(read()).toEqual({ at, ip: '127.0.0.1' });
    await g.server.close();
    g.core.close();
    expect(read()).toEqual({ at, ip: '127.0.0.1' });
    reader.close();
    rmSync(g.core.dataDir, { recursive: true, force: true });
  });
});

describe('stopping', () => {
  test('a request in flight finishes with its log entry; its keep-alive connection does not hold the stop', async () => {
    const real = createPasswordHasher(TEST_HASH_PARAMS);
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const g = await startFixture({
      passwords: { ...real, verify: async (hash, secret) => (await gate, real.verify(hash, secret)) },
    });
    const agent = new Agent({ keepAlive: true });
    try {
      const inFlight = new Promise<number>((resolve, reject) => {
        const req = request(`${g.url}/oauth2/token`, {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(g.crm.clientId, g.crm.secret) },
        }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode!));
        });
        req.on('error', reject);
        req.end('grant_type=client_credentials');
      });
      await until(() => g.server.context.argon2.active === 1);
      const stopped = g.server.close();
      release();
      expect(await inFlight).toBe(200);
      await stopped;
      expect((await tokenEvents(g)).map((e) => e.type)).toEqual(['token.issued']);
    } finally {
      agent.destroy();
      await g.core.cleanup();
    }
  });
});

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await sleep(10);
  expect(condition()).toBe(true);
}
