import { Agent, request } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { basic, NO_BACKOFF, startFixture, tokenRequest, type Fixture } from './support.js';

/**
 * Property: whatever arrives at the credentialed endpoints — bad base64, %zz, NUL bytes, huge bodies, JSON,
 * duplicate parameters, long scopes, wrong media types — the server never answers 5xx, never hands out a
 * token (or revokes) without the valid credentials, and still serves a valid request afterwards.
 * 100 runs of 20 concurrent requests: 2 000 real HTTP requests over keep-alive connections.
 */

let f: Fixture;
let agent: Agent;
beforeAll(async () => {
  // The failure floor (equal timing of failures) is tested elsewhere; here it would only make the run slow.
  f = await startFixture({ tuning: { ...NO_BACKOFF, failureFloorMaxMs: 2 } });
  agent = new Agent({ keepAlive: true, maxSockets: 20 });
});
afterAll(async () => {
  agent.destroy();
  await f.close();
});

type AuthChoice = 'valid' | 'none' | 'other';
interface Malformed {
  path: string;
  contentType: string | undefined;
  auth: AuthChoice;
  authorization: string | undefined;
  body: Buffer;
}

const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 80 });
const anyText = fc.string({ unit: 'binary', maxLength: 60 });

const names = fc.oneof(
  fc.constantFrom('grant_type', 'scope', 'client_id', 'client_secret', 'resource', 'audience', 'token', 'token_type_hint'),
  anyText,
);
const values = fc.oneof(
  fc.constantFrom('client_credentials', 'password', 'authorization_code', '', 'properties:read', 'mail:send properties:read', 'keyrack:introspect'),
  fc.constant('keyrack-crm-sync'),
  fc.constant('urn:keyrack:lan-api'),
  fc.integer({ min: 1, max: 400 }).map((n) => Array.from({ length: n }, (_, i) => `scope:${i}`).join(' ')),
  anyText,
);

/** One name=value pair, encoded properly, raw, or with a broken escape or a NUL slipped in. */
const pair = fc.tuple(names, values, fc.constantFrom('encoded', 'raw', 'badEscape', 'nul', 'plus')).map(([n, v, how]) => {
  const enc = encodeURIComponent;
  switch (how) {
    case 'raw':
      return `${n}=${v}`;
    case 'badEscape':
      return `${enc(n)}=${enc(v)}%zz`;
    case 'nul':
      return `${enc(n)}=%00${enc(v)}`;
    case 'plus':
      return `${enc(n)}=${enc(v).replace(/%20/g, '+')}`;
    default:
      return `${enc(n)}=${enc(v)}`;
  }
});

const formBody = fc.array(pair, { maxLength: 40 }).chain((pairs) =>
  fc.constantFrom('once', 'duplicated').map((dup) => (dup === 'duplicated' && pairs.length > 0 ? [...pairs, pairs[0]!] : pairs).join('&')),
);

const bodies = fc.oneof(
  { weight: 6, arbitrary: formBody.map((s) => Buffer.from(s, 'utf8')) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => Buffer.from(JSON.stringify(v) ?? 'null')) },
  { weight: 1, arbitrary: fc.integer({ min: 16_000, max: 70_000 }).map((n) => Buffer.from(`grant_type=client_credentials&scope=${'a'.repeat(n)}`)) },
);

const authorizations = fc.oneof(
  fc.constant<[AuthChoice, string | undefined]>(['valid', undefined]),
  fc.constant<[AuthChoice, string | undefined]>(['none', undefined]),
  printable.map((s): [AuthChoice, string] => ['other', `Basic ${s}`]),
  printable.map((s): [AuthChoice, string] => ['other', `Basic ${Buffer.from(s).toString('base64')}`]),
  fc.tuple(anyText, anyText).map(([id, secret]): [AuthChoice, string] => ['other', basic(id, secret)]),
  printable.map((s): [AuthChoice, string] => ['other', `Basic ${Buffer.from(`keyrack-crm-sync:${s}`).toString('base64')}`]),
  printable.map((s): [AuthChoice, string] => ['other', s]),
);

const requests: fc.Arbitrary<Malformed> = fc
  .record({
    path: fc.constantFrom('/oauth2/token', '/oauth2/token', '/oauth2/introspect', '/oauth2/revoke'),
    contentType: fc.constantFrom(
      'application/x-www-form-urlencoded',
      'application/x-www-form-urlencoded',
      'application/x-www-form-urlencoded; charset=UTF-8',
      'application/json',
      'text/plain',
      'multipart/form-data; boundary=x',
      undefined,
    ),
    auth: authorizations,
    body: bodies,
  })
  .map(({ path, contentType, auth, body }) => ({ path, contentType, auth: auth[0], authorization: auth[1], body }));

function send(m: Malformed): Promise<{ status: number; body: string }> {
  const authorization = m.auth === 'valid' ? basic(f.crm.clientId, f.crm.secret) : m.authorization;
  return new Promise((resolve, reject) => {
    const req = request(
      `${f.url}${m.path}`,
      {
        method: 'POST',
        agent,
        headers: {
          ...(m.contentType ? { 'content-type': m.contentType } : {}),
          ...(authorization !== undefined ? { authorization } : {}),
          'content-length': m.body.length,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString() }));
      },
    );
    // A body the server refused early (413) may be cut off mid-write: that is the server's right.
    req.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNRESET' || error.code === 'EPIPE' ? resolve({ status: 413, body: '' }) : reject(error),
    );
    req.end(m.body);
  });
}

test('thousands of malformed requests: never a 5xx, never a token without valid credentials', async () => {
  let answered = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(requests, { minLength: 20, maxLength: 20 }), async (batch) => {
      const replies = await Promise.all(batch.map(send));
      replies.forEach((reply, i) => {
        answered++;
        expect(reply.status).toBeLessThan(500);
        if (reply.status === 200) {
          expect(batch[i]!.auth).toBe('valid');
          if (batch[i]!.path === '/oauth2/token') expect(JSON.parse(reply.body)).toHaveProperty('access_token');
        } else {
          expect(reply.body).not.toContain('access_token');
        }
      });
    }),
    { numRuns: 100 },
  );
  expect(answered).toBe(2_000);
  const after = await tokenRequest(f, { scope: 'properties:read' });
  expect(after.status).toBe(200);
  expect(after.json.scope).toBe('properties:read');
}, 120_000);
