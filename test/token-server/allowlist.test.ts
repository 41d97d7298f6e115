import { readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ProviderRangesStore } from '../../electron/ranges/store.js';
import { FIXTURE, fixturePath } from '../ranges/fixtures.js';
import { tempDir } from '../support/core.js';
import { basic, lastEventId, newClient, NO_BACKOFF, post, startFixture, tokenEvents, type Client, type Fixture, type Reply } from './support.js';

/**
 * Where a request comes from, end to end: the socket address, X-Forwarded-For only from the admin's
 * trusted proxies (right to left), IPv4-mapped IPv6 matching IPv4 entries, and provider words expanded to
 * the providers' published ranges (the real AWS file of 2025-07-25).
 */
const AWS_FILE = fixturePath(FIXTURE.aws);
const aws = JSON.parse(readFileSync(AWS_FILE, 'utf8')) as { prefixes: { ip_prefix: string }[]; ipv6_prefixes: { ipv6_prefix: string }[] };
const AWS_V4 = aws.prefixes[0]!.ip_prefix.split('/')[0]!;
const AWS_V6 = aws.ipv6_prefixes[0]!.ipv6_prefix.replace(/::\/\d+$/, '::1');

let rangesDir: string;
let f: Fixture;
let lan: Client;
let cloud: Client;
beforeAll(async () => {
  rangesDir = tempDir('keyrack-ranges-');
  const store = ProviderRangesStore.open(rangesDir);
  store.importFile('AWS', AWS_FILE);
  f = await startFixture({
    settings: { trustedProxies: ['127.0.0.1', '10.9.0.0/16'] },
    ranges: () => store.current(),
    tuning: NO_BACKOFF,
  });
  lan = await newClient(f, { allowlist: ['192.168.1.0/24'] });
  cloud = await newClient(f, { allowlist: ['aws'] });
});
afterAll(async () => {
  await f.close();
  rmSync(rangesDir, { recursive: true, force: true });
});

const request = (client: Client, forwardedFor?: string): Promise<Reply> =>
  post(f.url, '/oauth2/token', { grant_type: 'client_credentials' }, {
    authorization: basic(client.clientId, client.secret),
    ...(forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor }),
  });

const ROWS: [name: string, client: () => Client, forwardedFor: string | undefined, status: number, seenAs: string][] = [
  ['the socket address, outside the list', () => lan, undefined, 401, '127.0.0.1'],
  ['a trusted proxy forwarding a listed address', () => lan, '192.168.1.20', 200, '192.168.1.20'],
  ['the list edge: the network address of the /24', () => lan, '192.168.1.0', 200, '192.168.1.0'],
  ['the list edge: the last address of the /24', () => lan, '192.168.1.255', 200, '192.168.1.255'],
  ['one past the edge', () => lan, '192.168.2.0', 401, '192.168.2.0'],
  ['an IPv4-mapped IPv6 address matches the IPv4 entry', () => lan, '::ffff:192.168.1.20', 200, '192.168.1.20'],
  ['right to left through a second trusted proxy', () => lan, '192.168.1.20, 10.9.3.4', 200, '192.168.1.20'],
  ['a listed address the client wrote left of an untrusted hop is not believed', () => lan, '192.168.1.20, 203.0.113.9', 401, '203.0.113.9'],
  ['a malformed hop stops the walk at the last trusted one', () => lan, '192.168.1.20, not-an-ip', 401, '127.0.0.1'],
  ['a provider word: an AWS IPv4 address', () => cloud, AWS_V4, 200, AWS_V4],
  ['a provider word: an AWS IPv6 address', () => cloud, AWS_V6, 200, AWS_V6],
  ['a provider word: a documentation address is not AWS', () => cloud, '192.0.2.10', 401, '192.0.2.10'],
];

describe('allowlist and client address', () => {
  test.each(ROWS)('%s', async (_name, client, forwardedFor, status, seenAs) => {
    const before = await lastEventId(f);
    const reply = await request(client(), forwardedFor);
    expect(reply.status).toBe(status);
    const [event] = await tokenEvents(f, before);
    expect(event!.sourceIp).toBe(seenAs);
    if (status === 401) expect(event!.reason).toBe('address_not_allowed');
  });

  test('X-Forwarded-For from an untrusted socket is ignored', async () => {
    const g = await startFixture({ tuning: NO_BACKOFF }); // no trusted proxies
    try {
      const c = await newClient(g, { allowlist: ['192.168.1.0/24'] });
      const before = await lastEventId(g);
      const reply = await post(g.url, '/oauth2/token', { grant_type: 'client_credentials' }, {
        authorization: basic(c.clientId, c.secret),
        'x-forwarded-for': '192.168.1.20',
      });
      expect(reply.status).toBe(401);
      expect((await tokenEvents(g, before))[0]).toMatchObject({ sourceIp: '127.0.0.1', reason: 'address_not_allowed' });
    } finally {
      await g.close();
    }
  });

  test('the last use records the forwarded client address', async () => {
    expect((await request(lan, '192.168.1.77')).status).toBe(200);
    const row = await f.core.deps.store.get<{ ip: string }>('SELECT last_used_ip AS ip FROM client_secrets WHERE id = ?', [lan.secretId]);
    expect(row!.ip).toBe('192.168.1.77');
  });
});
