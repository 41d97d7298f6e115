import { hostname } from 'node:os';
import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createPasswordHasher } from '../../electron/crypto/password.js';
import { sqliteStore } from '../../electron/db/store-sqlite.js';
import type { Queryable } from '../../electron/db/store.js';
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

  test('a log write that fails answers 500 and hands out no token', async () => {
    // In the schema, so on the server's own connection too (token-server/context.ts), where it writes.
    await refuseAuditWrites(f, 'disk full');
    try {
      const reply = await tokenRequest(f);
      expect(reply.status).toBe(500);
      expect(reply.json).toEqual({ error: 'server_error', error_description: 'The server could not complete the request' });
      expect(reply.text).not.toContain('disk full');
    } finally {
      await allowAuditWrites(f);
    }
    expect((await tokenRequest(f)).status).toBe(200);
  });
});

/** A trigger that fails every insert into the log with `message`, in either engine's dialect. */
async function refuseAuditWrites(g: Fixture, message: string): Promise<void> {
  const store = g.core.deps.store;
  if (store.dialect === 'sqlite') {
    await store.run(`CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events BEGIN SELECT RAISE(ABORT, '${message}'); END`);
    return;
  }
  await store.run(`CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '${message}'; END $$`);
  await store.run('CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION refuse_audit()');
}

async function allowAuditWrites(g: Fixture): Promise<void> {
  const store = g.core.deps.store;
  if (store.dialect === 'sqlite') return void (await store.run('DROP TRIGGER refuse_audit'));
  await store.run('DROP TRIGGER refuse_audit ON audit_events');
  await store.run('DROP FUNCTION refuse_audit()');
}

describe('last use', () => {
  test('time and address are recorded before the answer leaves, and survive the server and the connection closing', async () => {
    const g = await startFixture();
    const at = g.core.clock.now();
    expect((await tokenRequest(g)).status).toBe(200);
    // Read through a connection the server does not write on, while it still runs: already committed.
    const reader = secondReader(g);
    const read = () => reader.store.get('SELECT last_used_at AS at, last_used_ip AS ip FROM client_secrets WHERE id = ?', [g.crm.secretId]);
    expect(await read()).toEqual({ at, ip: '127.0.0.1' });
    await g.server.close();
    g.core.close();
    expect(await read()).toEqual({ at, ip: '127.0.0.1' });
    reader.close();
    await g.core.cleanup();
  });
});

/**
 * A reader beside the server: on SQLite a read-only connection of its own to the file; on PostgreSQL the
 * core's pool (the server commits on its own transaction's connection; the pool sees only what committed).
 */
function secondReader(g: Fixture): { store: Queryable; close(): void } {
  if (g.core.deps.store.dialect === 'postgres') return { store: g.core.deps.store, close: () => {} };
  const db = new Database(join(g.core.dataDir, DATABASE_FILE), { readonly: true });
  return { store: sqliteStore(db), close: () => db.close() };
}

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
