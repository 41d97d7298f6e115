import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { basic, NO_BACKOFF, post, startFixture, tokenEvents, lastEventId, type Fixture, type Reply } from './support.js';

/**
 * RFC 6749 §5.2 conformance of POST /oauth2/token, one row per error path: exact status, the headers the
 * RFC requires and the exact JSON body. Client authentication failures (§5.2 invalid_client) are 401 with a
 * Basic challenge (RFC 7617 §2, RFC 9110 §15.5.2).
 */

let f: Fixture;
beforeAll(async () => {
  // Back-off is tested on its own (guessing.test.ts); here the failures must not turn into 429s.
  f = await startFixture({ tuning: NO_BACKOFF });
});
afterAll(() => f.close());

const CHALLENGE = 'Basic realm="keyrack", charset="UTF-8"';
const body = (error: string, description: string) => ({ error, error_description: description });
const AUTH_FAILED = body('invalid_client', 'Client authentication failed');

interface Row {
  name: string;
  /** Raw form body, or fields. */
  form: string | Record<string, string>;
  headers?: (f: Fixture) => Record<string, string>;
  path?: string;
  status: number;
  json: Record<string, string>;
  challenge?: boolean;
  reason?: string;
}

const good = (f: Fixture) => ({ authorization: basic(f.crm.clientId, f.crm.secret) });
const grant = { grant_type: 'client_credentials' };

const ROWS: Row[] = [
  { name: 'no grant_type', form: {}, headers: good, status: 400, json: body('invalid_request', 'grant_type is required'), reason: 'missing_grant_type' },
  { name: 'empty grant_type counts as absent (§3.1)', form: 'grant_type=', headers: good, status: 400, json: body('invalid_request', 'grant_type is required') },
  {
    name: 'authorization_code grant',
    form: { grant_type: 'authorization_code', code: 'x' },
    headers: good,
    status: 400,
    json: body('unsupported_grant_type', 'Only the client_credentials grant is supported'),
    reason: 'unsupported_grant_type',
  },
  { name: 'password grant', form: { grant_type: 'password', username: 'a', password: 'b' }, headers: good, status: 400, json: body('unsupported_grant_type', 'Only the client_credentials grant is supported') },
  { name: 'refresh_token grant', form: { grant_type: 'refresh_token', refresh_token: 'r' }, headers: good, status: 400, json: body('unsupported_grant_type', 'Only the client_credentials grant is supported') },
  {
    name: 'a parameter twice (§3.2)',
    form: 'grant_type=client_credentials&scope=properties%3Aread&scope=mail%3Asend',
    headers: good,
    status: 400,
    json: body('invalid_request', 'The parameter scope appears more than once'),
    reason: 'duplicate_parameter',
  },
  { name: 'grant_type twice', form: 'grant_type=client_credentials&grant_type=client_credentials', headers: good, status: 400, json: body('invalid_request', 'The parameter grant_type appears more than once') },
  { name: 'a malformed %-escape', form: 'grant_type=client_credentials&scope=%zz', headers: good, status: 400, json: body('invalid_request', 'The body has a malformed %-escape'), reason: 'bad_percent_encoding' },
  { name: 'a %-escape that is not UTF-8', form: 'grant_type=client_credentials&scope=%C3%28', headers: good, status: 400, json: body('invalid_request', 'The body has a malformed %-escape') },
  { name: 'an escaped NUL', form: 'grant_type=client_credentials&scope=a%00b', headers: good, status: 400, json: body('invalid_request', 'A parameter contains a control character'), reason: 'control_character' },
  {
    name: 'raw bytes outside printable ASCII',
    form: 'grant_type=client_credentials&scope=caf\u00e9',
    headers: good,
    status: 400,
    json: body('invalid_request', 'The body must be printable ASCII, with everything else %-encoded'),
    reason: 'bad_form_bytes',
  },
  {
    name: 'too many parameters',
    form: Array.from({ length: 40 }, (_, i) => `p${i}=1`).join('&') + '&grant_type=client_credentials',
    headers: good,
    status: 400,
    json: body('invalid_request', 'Too many parameters'),
  },
  {
    name: 'a JSON body',
    form: '{"grant_type":"client_credentials"}',
    headers: (f) => ({ ...good(f), 'content-type': 'application/json' }),
    status: 400,
    json: body('invalid_request', 'The body must be application/x-www-form-urlencoded'),
    reason: 'wrong_content_type',
  },
  {
    name: 'parameters in the URL (§2.3.1)',
    form: grant,
    path: '/oauth2/token?client_secret=x',
    headers: good,
    status: 400,
    json: body('invalid_request', 'Parameters go in the POST body, never in the URL'),
    reason: 'query_string',
  },
  { name: 'no client authentication at all', form: grant, status: 401, json: AUTH_FAILED, challenge: true, reason: 'no_credentials' },
  { name: 'a Bearer Authorization header', form: grant, headers: () => ({ authorization: 'Bearer abc' }), status: 401, json: AUTH_FAILED, challenge: true, reason: 'not_basic_auth' },
  { name: 'Basic with broken base64', form: grant, headers: () => ({ authorization: 'Basic %%%%' }), status: 401, json: AUTH_FAILED, challenge: true, reason: 'malformed_basic_auth' },
  {
    name: 'Basic without a colon',
    form: grant,
    headers: () => ({ authorization: `Basic ${Buffer.from('no-colon').toString('base64')}` }),
    status: 401,
    json: AUTH_FAILED,
    challenge: true,
    reason: 'malformed_basic_auth',
  },
  {
    name: 'Basic with a malformed %-escape inside',
    form: grant,
    headers: () => ({ authorization: `Basic ${Buffer.from('a%zz:b').toString('base64')}` }),
    status: 401,
    json: AUTH_FAILED,
    challenge: true,
    reason: 'malformed_basic_auth',
  },
  {
    name: 'Basic with an empty secret',
    form: grant,
    headers: (f) => ({ authorization: `Basic ${Buffer.from(`${f.crm.clientId}:`).toString('base64')}` }),
    status: 401,
    json: AUTH_FAILED,
    challenge: true,
    reason: 'no_credentials',
  },
  { name: 'client_secret_post without the secret', form: (() => ({ ...grant, client_id: 'keyrack-crm-sync' }))(), status: 401, json: AUTH_FAILED, challenge: true, reason: 'no_credentials' },
  {
    name: 'both methods at once (§2.3)',
    form: (() => ({ ...grant, client_id: 'keyrack-crm-sync', client_secret: 'whatever' }))(),
    headers: good,
    status: 400,
    json: body('invalid_request', 'Use one client authentication method, not both'),
    reason: 'two_auth_methods',
  },
  {
    name: 'a body client_id naming another client than Basic',
    form: (() => ({ ...grant, client_id: 'keyrack-listings-api' }))(),
    headers: good,
    status: 400,
    json: body('invalid_request', 'client_id differs from the client in the Authorization header'),
    reason: 'client_id_mismatch',
  },
  { name: 'an unknown client', form: grant, headers: () => ({ authorization: basic('keyrack-nobody', 'x'.repeat(43)) }), status: 401, json: AUTH_FAILED, challenge: true, reason: 'unknown_client' },
  { name: 'a wrong secret', form: grant, headers: (f) => ({ authorization: basic(f.crm.clientId, 'y'.repeat(43)) }), status: 401, json: AUTH_FAILED, challenge: true, reason: 'wrong_secret' },
  {
    name: 'a scope beyond the rights (§5.2 invalid_scope)',
    form: { ...grant, scope: 'properties:read properties:delete' },
    headers: good,
    status: 400,
    json: body('invalid_scope', 'The requested scope exceeds the rights of this client'),
    reason: 'scope_not_granted',
  },
  {
    name: 'a scope with a forbidden character (§3.3)',
    form: { ...grant, scope: 'properties:read "quoted"' },
    headers: good,
    status: 400,
    json: body('invalid_scope', 'The scope parameter is malformed'),
    reason: 'malformed_scope',
  },
  {
    name: 'an audience the admin did not configure (RFC 8707 §2)',
    form: { ...grant, resource: 'https://evil.example' },
    headers: good,
    status: 400,
    json: body('invalid_target', 'The requested resource or audience is not known to this server'),
    reason: 'unknown_audience',
  },
  {
    name: 'resource and audience that disagree',
    form: { ...grant, resource: 'urn:keyrack:lan-api', audience: 'https://other.example.lan' },
    headers: good,
    status: 400,
    json: body('invalid_request', 'Give the audience once, as resource or as audience'),
    reason: 'two_audiences',
  },
];

describe('POST /oauth2/token error paths', () => {
  test.each(ROWS)('$name → $status', async (row) => {
    const before = await lastEventId(f);
    const headers = row.headers?.(f) ?? {};
    const reply = await post(f.url, row.path ?? '/oauth2/token', row.form, headers);
    expect(reply.status).toBe(row.status);
    expect(reply.json).toEqual(row.json);
    expect(reply.text).toBe(JSON.stringify(row.json));
    expectNoStore(reply);
    expect(reply.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    expect(reply.headers.get('www-authenticate')).toBe(row.challenge ? CHALLENGE : null);
    // Every denial is in the log, with its private reason (never on the wire).
    const events = await tokenEvents(f, before);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'token.denied', outcome: 'failure', sourceIp: '127.0.0.1' });
    expect(events[0]!.details.error).toBe(row.json.error);
    if (row.reason) {
      expect(events[0]!.reason).toBe(row.reason);
      if (row.reason !== row.json.error) expect(reply.text).not.toContain(row.reason);
    }
  });
});

test('an unknown client and a wrong secret are indistinguishable on the wire', async () => {
  const unknown = await post(f.url, '/oauth2/token', grant, { authorization: basic('keyrack-crm-syncx', f.crm.secret) });
  // The last character changed to another one (appending "A" when it already was "A" left the secret right: a flaky test).
  const last = f.crm.secret.at(-1) === 'A' ? 'B' : 'A';
  const wrong = await post(f.url, '/oauth2/token', grant, { authorization: basic(f.crm.clientId, `${f.crm.secret.slice(0, -1)}${last}`) });
  const viaPost = await post(f.url, '/oauth2/token', { ...grant, client_id: f.crm.clientId, client_secret: 'nope' });
  for (const r of [unknown, wrong, viaPost]) {
    expect(r.status).toBe(401);
    expect(r.text).toBe(JSON.stringify(AUTH_FAILED));
    expect(r.headers.get('www-authenticate')).toBe(CHALLENGE);
  }
  const names = (r: Reply) => [...r.headers.keys()].filter((k) => k !== 'date').sort();
  expect(names(unknown)).toEqual(names(wrong));
});

test('a body over 16 KiB is 413 and the connection is closed', async () => {
  const reply = await post(f.url, '/oauth2/token', `grant_type=client_credentials&scope=${'a'.repeat(20_000)}`, good(f));
  expect(reply.status).toBe(413);
  expect(reply.json).toEqual(body('invalid_request', 'The request body is larger than 16384 bytes'));
  expectNoStore(reply);
});

test('GET on the token endpoint is 405 with Allow: POST', async () => {
  const response = await fetch(`${f.url}/oauth2/token`);
  expect(response.status).toBe(405);
  expect(response.headers.get('allow')).toBe('POST');
  expect(await response.json()).toEqual(body('invalid_request', 'Use POST'));
});

test('an unknown path is 404 invalid_request', async () => {
  const response = await fetch(`${f.url}/oauth2/authorize`);
  expect(response.status).toBe(404);
  expect(await response.json()).toEqual(body('invalid_request', 'No such endpoint'));
});

test('success per §5.1: token_type Bearer, expires_in, scope, and no-store', async () => {
  const reply = await post(f.url, '/oauth2/token', { ...grant, scope: 'properties:read' }, good(f));
  expect(reply.status).toBe(200);
  expectNoStore(reply);
  expect(Object.keys(reply.json).sort()).toEqual(['access_token', 'expires_in', 'scope', 'token_type']);
  expect(reply.json).toMatchObject({ token_type: 'Bearer', expires_in: 600, scope: 'properties:read' });
});

describe('client_secret_basic per Appendix B: id and secret form-urlencoded before base64', () => {
  // A client id and a secret with reserved characters (: / + space % & = ? # and non-ASCII); the admin
  // services never make such ones, so the rows are written directly, as an imported client's could be.
  const clientId = 'keyrack-legacy:client/a+b c%d&é';
  const secret = 'p@ss:w/rd+with spaces%and=&?#é';

  beforeAll(async () => {
    const now = Date.now();
    const hash = await f.core.deps.passwords.hash(secret);
    await f.core.deps.store.transaction(async (tx) => {
      const user = await tx.get<{ id: number }>(
        `INSERT INTO users (kind, name, status, created_at, created_by, updated_at) VALUES ('api', 'Legacy', 'active', ?, 'test', ?) RETURNING id`,
        [now, now],
      );
      const userId = user!.id;
      await tx.run('INSERT INTO credentials (client_id, user_id, created_at) VALUES (?, ?, ?)', [clientId, userId, now]);
      const group = await tx.get<{ id: number }>(`SELECT id FROM groups WHERE name = 'Website'`);
      await tx.run('INSERT INTO memberships (user_id, group_id) VALUES (?, ?)', [userId, group!.id]);
      await tx.run(
        `INSERT INTO client_secrets (user_id, label, secret_hash, created_at, created_by, expires_at) VALUES (?, 'legacy', ?, ?, 'test', NULL)`,
        [userId, hash, now],
      );
    });
  });

  test('the encoded pair authenticates', async () => {
    const reply = await post(f.url, '/oauth2/token', { ...grant, scope: 'properties:read' }, { authorization: basic(clientId, secret) });
    expect(reply.status).toBe(200);
    const claims = JSON.parse(Buffer.from((reply.json.access_token as string).split('.')[1]!, 'base64url').toString()) as { sub: string };
    expect(claims.sub).toBe(clientId);
  });

  test('the same pair unencoded (a colon in the id splits it wrongly) fails', async () => {
    const raw = `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`;
    const reply = await post(f.url, '/oauth2/token', grant, { authorization: raw });
    expect(reply.status).toBe(401);
  });

  test('client_secret_post with the same pair authenticates', async () => {
    const reply = await post(f.url, '/oauth2/token', { ...grant, client_id: clientId, client_secret: secret });
    expect(reply.status).toBe(200);
  });
});

test('HEAD of a credentialed endpoint and odd methods do not reach authentication', async () => {
  const status = await new Promise<number>((resolve, reject) => {
    const req = httpRequest(`${f.url}/oauth2/token`, { method: 'DELETE' }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on('error', reject);
    req.end();
  });
  expect(status).toBe(405);
});

function expectNoStore(reply: Reply): void {
  expect(reply.headers.get('cache-control')).toBe('no-store');
  expect(reply.headers.get('pragma')).toBe('no-cache');
}
