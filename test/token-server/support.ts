import { randomBytes } from 'node:crypto';
import { aesGcmKeyWrapper, type KeyWrapper } from '../../electron/crypto/key-wrap.js';
import { createAllowlistChecker } from '../../electron/net/allowlist-checker.js';
import type { PasswordHasher } from '../../electron/crypto/password.js';
import { EMPTY_RANGE_SET, type ProviderRangeSet } from '../../electron/ranges/types.js';
import type { Actor } from '../../electron/services/context.js';
import { SigningKeysService } from '../../electron/services/signing-keys.service.js';
import { DEFAULT_TOKEN_SERVER_SETTINGS } from '../../electron/services/token-server-settings.js';
import { startTokenServer, type RunningTokenServer, type TokenServerTuning } from '../../electron/token-server/server.js';
import { parseInputOf } from '../../shared/contract.js';
import type { TokenServerSettings } from '../../shared/token-server.dto.js';
import type { Core } from '../../electron/core.js';
import { coreWithAdmin, type TestClock } from '../support/core.js';
import { postgresEngine } from '../support/engines.js';
import { seedCatalogue } from '../support/fixtures.js';

/**
 * The engine under the fixture's server: SQLite, or PostgreSQL when KEYRACK_TEST_ENGINE=postgres (the
 * vitest project "token server on PostgreSQL" runs these suites again that way, vitest.config.ts). What a
 * test reads or changes in the store goes through `core.deps.store`, in the store's dialect where they differ.
 */
export const ON_POSTGRES = process.env.KEYRACK_TEST_ENGINE === 'postgres';
/** Created at import, in the test file's collection: its databases are dropped after the file. */
const postgres = ON_POSTGRES ? postgresEngine() : undefined;

export interface Client {
  clientId: string;
  secret: string;
  userId: number;
  secretId: number;
}

/** The fixture's core on either engine: read what it stored through `core.deps.store`, which both have. */
export type FixtureCore = Core & { clock: TestClock; cleanup(): void | Promise<void> };

export interface Fixture {
  core: FixtureCore;
  admin: Actor;
  wrapper: KeyWrapper;
  keys: SigningKeysService;
  server: RunningTokenServer;
  /** CRM Sync: properties:read, mail:send, filter published_only, mailbox info@example.com. */
  crm: Client;
  /** A resource server holding keyrack:introspect. */
  rs: Client;
  url: string;
  close(): Promise<void>;
}

export interface FixtureOptions {
  settings?: Partial<TokenServerSettings>;
  tuning?: Partial<TokenServerTuning>;
  crmAllowlist?: string[];
  /** The server's argon2 hasher (default: the store's, with fast test parameters). */
  passwords?: PasswordHasher;
  /** The provider ranges the allowlist's provider words match (default: none loaded). */
  ranges?: () => ProviderRangeSet;
}

/** Fast tuning for tests: the failure floor and back-off are turned down, the logic stays. */
export const TEST_TUNING: Partial<TokenServerTuning> = { failureFloorMinMs: 1, failureFloorInitialVerifyMs: 1 };

/** A store with a catalogue, two API users and a running server on 127.0.0.1, port 0, on the real clock. */
export async function startFixture(options: FixtureOptions = {}): Promise<Fixture> {
  const { core, admin }: { core: FixtureCore; admin: Actor } = postgres ? await postgres.coreWithAdmin() : await coreWithAdmin();
  core.clock.set(Date.now());
  const { group, mailbox } = await seedCatalogue(core, admin);
  const introspectors = await core.groups.create(admin, parseInputOf('groups.create', { name: 'Resource servers', rights: [{ resource: 'keyrack', action: 'introspect' }] }));
  const crm = await core.users.createApiUser(admin, parseInputOf('users.createApiUser', {
    name: 'CRM Sync',
    groupIds: [group.id],
    mailboxIds: [mailbox.id],
    allowlist: options.crmAllowlist ?? [],
  }));
  const rs = await core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'Listings API', groupIds: [introspectors.id] }));
  const wrapper = aesGcmKeyWrapper(randomBytes(32), 'test master key');
  const keys = new SigningKeysService(core.deps, () => wrapper);
  const server = await startTokenServer({
    deps: options.passwords ? { ...core.deps, passwords: options.passwords } : core.deps,
    keys,
    settings: { ...DEFAULT_TOKEN_SERVER_SETTINGS, audiences: ['https://other.example.lan'], ...options.settings },
    allowlist: createAllowlistChecker(options.ranges ?? (() => EMPTY_RANGE_SET)),
    host: '127.0.0.1',
    port: 0,
    tuning: { ...TEST_TUNING, ...options.tuning },
    // vitest runs the TypeScript sources; the worker is a compiled file (audit-sink.test.ts runs it from dist/).
    auditWriter: 'inline',
  });
  const client = (c: typeof crm): Client => ({ clientId: c.clientId, secret: c.secret, userId: c.user.id, secretId: c.secretInfo.id });
  return {
    core,
    admin,
    wrapper,
    keys,
    server,
    crm: client(crm),
    rs: client(rs),
    url: server.url,
    async close() {
      await server.close();
      await core.cleanup();
    },
  };
}

export function basic(clientId: string, secret: string): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${enc(clientId)}:${enc(secret)}`).toString('base64')}`;
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown>;
}

/** POSTs a form (string or fields) to a path of the server. */
export async function post(
  url: string,
  path: string,
  body: string | Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: typeof body === 'string' ? body : new URLSearchParams(body).toString(),
  });
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    // not JSON: the test looks at text
  }
  return { status: response.status, headers: response.headers, text, json };
}

export function tokenRequest(f: Fixture, fields: Record<string, string> = {}, client: Client = f.crm): Promise<Reply> {
  return post(f.url, '/oauth2/token', { grant_type: 'client_credentials', ...fields }, { authorization: basic(client.clientId, client.secret) });
}

/** The payload of a compact JWS, unverified (for assertions only). */
export function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
}

export function headerOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as Record<string, unknown>;
}

export interface AuditRecord {
  type: string;
  outcome: string;
  reason: string | null;
  actorName: string;
  targetUserId: number | null;
  sourceIp: string | null;
  details: Record<string, unknown>;
}

/** The token server's audit events after `afterId`, oldest first (a reply leaves only after its event is committed). */
export async function tokenEvents(f: Fixture, afterId = 0): Promise<AuditRecord[]> {
  const rows = await f.core.deps.store.all<Omit<AuditRecord, 'details'> & { details: string | null }>(
    `SELECT type, outcome, reason, actor_name AS "actorName", target_user_id AS "targetUserId", source_ip AS "sourceIp", details
     FROM audit_events WHERE id > ? AND type LIKE 'token.%' ORDER BY id`,
    [afterId],
  );
  return rows.map((r) => ({ ...r, details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : {} }));
}

export async function lastEventId(f: Fixture): Promise<number> {
  return (await f.core.deps.store.get<{ id: number }>('SELECT coalesce(max(id), 0) AS id FROM audit_events'))!.id;
}

/** Every column of every audit event as one text, to look for leaked secrets. */
export async function auditText(f: Fixture): Promise<string> {
  return JSON.stringify(await f.core.deps.store.all('SELECT * FROM audit_events'));
}

let clientCounter = 0;

/** A fresh API user in the Website group (properties:read, mail:send) unless other groups are given. */
export async function newClient(
  f: Fixture,
  input: { groupNames?: string[]; allowlist?: string[]; expiresAt?: number; secretExpiresAt?: number } = {},
): Promise<Client> {
  const ids: number[] = [];
  for (const name of input.groupNames ?? ['Website']) ids.push((await f.core.deps.store.get<{ id: number }>('SELECT id FROM groups WHERE name = ?', [name]))!.id);
  const created = await f.core.users.createApiUser(f.admin, parseInputOf('users.createApiUser', {
    name: `Client ${++clientCounter}`,
    groupIds: ids,
    allowlist: input.allowlist ?? [],
    ...(input.expiresAt === undefined ? {} : { expiresAt: input.expiresAt }),
    ...(input.secretExpiresAt === undefined ? {} : { secretExpiresAt: input.secretExpiresAt }),
  }));
  return { clientId: created.clientId, secret: created.secret, userId: created.user.id, secretId: created.secretInfo.id };
}

export const AUTH_FAILED = { error: 'invalid_client', error_description: 'Client authentication failed' };
export const CHALLENGE = 'Basic realm="keyrack", charset="UTF-8"';

/** Back-off that never engages: for tests of other things that fail many authentications from 127.0.0.1. */
export const NO_BACKOFF: Partial<TokenServerTuning> = {
  addressBackoff: { freeFailures: 1_000_000, firstDelayMs: 1, maxDelayMs: 1, resetAfterMs: 1, maxKeys: 100 },
  clientBackoff: { freeFailures: 1_000_000, firstDelayMs: 1, maxDelayMs: 1, resetAfterMs: 1, maxKeys: 100 },
};
