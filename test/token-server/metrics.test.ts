import { afterEach, describe, expect, test } from 'vitest';
import { parseInputOf } from '../../shared/contract.js';
import { updateTokenServerSettings } from '../../electron/services/token-server-settings.js';
import { basic, ON_POSTGRES, post, startFixture, tokenRequest, type Fixture } from './support.js';

/**
 * GET /metrics (issue 10: what operators of a cluster watch): off by default, on with the setting, for this
 * computer and the addresses the admin names; Prometheus text with the counts a dashboard needs, and
 * /healthz telling ready from alive.
 */
let f: Fixture | undefined;
afterEach(async () => {
  await f?.close();
  f = undefined;
});

/** Requests appear to come from `ip`: the test server trusts loopback as a proxy, so X-Forwarded-For is believed. */
const from = (ip: string) => ({ 'x-forwarded-for': ip });

async function scrape(fixture: Fixture, headers: Record<string, string> = {}) {
  const response = await fetch(`${fixture.url}/metrics`, { headers });
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

/** One sample's value: `name{labels} value` lines of the exposition format. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('GET /metrics', () => {
  test('off by default: answered like any unknown path, so a scan learns nothing', async () => {
    f = await startFixture();
    const reply = await scrape(f);
    expect(reply.status).toBe(404);
    expect(JSON.parse(reply.text)).toEqual({ error: 'invalid_request', error_description: 'No such endpoint' });
    // Off, Node's process metrics (an event-loop monitor, a GC observer) are not even started.
    expect(f.server.context.metrics.registry.getSingleMetric('keyrack_process_cpu_seconds_total')).toBeUndefined();
    expect(f.server.context.metrics.registry.getSingleMetric('keyrack_tokens_issued_total')).toBeDefined();
  });

  test('on: tokens issued, refusals by endpoint and reason, latency, log commits, the node; never a client id or address', async () => {
    f = await startFixture({ settings: { metrics: true } });
    for (let i = 0; i < 3; i++) expect((await tokenRequest(f)).status).toBe(200);
    const wrong = await post(f.url, '/oauth2/token', { grant_type: 'client_credentials' }, { authorization: basic(f.crm.clientId, 'wrong') });
    expect(wrong.status).toBe(401);
    expect((await tokenRequest(f, { scope: 'not:mine' })).status).toBe(400);

    const reply = await scrape(f);
    expect(reply.status).toBe(200);
    expect(reply.type).toBe('text/plain; version=0.0.4; charset=utf-8');
    const { text } = reply;
    expect(sample(text, 'keyrack_tokens_issued_total')).toBe(3);
    expect(sample(text, 'keyrack_requests_refused_total', '{endpoint="token",reason="wrong_secret"}')).toBe(1);
    expect(sample(text, 'keyrack_requests_refused_total', '{endpoint="token",reason="scope_not_granted"}')).toBe(1);
    expect(sample(text, 'keyrack_http_request_duration_seconds_count', '{endpoint="token",status="200"}')).toBe(3);
    expect(sample(text, 'keyrack_http_request_duration_seconds_count', '{endpoint="token",status="401"}')).toBe(1);
    // Every token answer waited for its log commit: at least one commit, and no more rows than events.
    expect(sample(text, 'keyrack_audit_commit_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'keyrack_audit_batch_rows_sum')).toBe(5);
    expect(sample(text, 'keyrack_audit_commit_failures_total')).toBe(0);
    expect(text).toMatch(new RegExp(`^keyrack_node_info\\{node="[^"]+",version="\\d+\\.\\d+\\.\\d+",store="${ON_POSTGRES ? 'postgres' : 'sqlite'}"\\} 1$`, 'm'));
    expect(text).toMatch(/^keyrack_process_cpu_seconds_total /m);
    expect(text).not.toContain(f.crm.clientId);
    expect(text).not.toContain('127.0.0.1');
  });

  test('only this computer and the listed readers; a changed list applies when the server restarts', async () => {
    f = await startFixture({ settings: { metrics: true, trustedProxies: ['127.0.0.1'] } });
    expect((await scrape(f)).status).toBe(200);
    const refused = await scrape(f, from('10.1.2.3'));
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.text)).toEqual({ error: 'access_denied', error_description: 'This address may not read the metrics' });
    await f.close();
    f = await startFixture({ settings: { metrics: true, trustedProxies: ['127.0.0.1'], metricsReaders: ['10.1.0.0/16'] } });
    expect((await scrape(f, from('10.1.2.3'))).status).toBe(200);
    expect((await scrape(f, from('10.2.0.1'))).status).toBe(403);
    expect((await fetch(`${f.url}/metrics`, { method: 'POST' })).status).toBe(405);
  });

  test('the setting: validated, logged, off again', async () => {
    f = await startFixture();
    const admin = f.admin;
    const patch = (input: unknown) => parseInputOf('server.updateSettings', input);
    expect(() => patch({ metricsReaders: ['monitoring.office.lan'] })).toThrow(
      'Who may read the metrics must be an IP address or a CIDR range, like 10.0.0.5 or 10.0.0.0/24',
    );
    const after = await updateTokenServerSettings(f.core.deps, admin, patch({ metrics: true, metricsReaders: ['10.0.0.5'] }));
    expect(after).toMatchObject({ metrics: true, metricsReaders: ['10.0.0.5'] });
    const logged = (await f.core.deps.store.get<{ details: string }>(
      `SELECT details FROM audit_events WHERE type = 'settings.changed' ORDER BY id DESC LIMIT 1`,
    ))!;
    expect(JSON.parse(logged.details)).toMatchObject({ changed: ['metrics', 'metricsReaders'], before: { metrics: false }, after: { metrics: true } });
  });
});

describe('/healthz and /livez', () => {
  test('ready: 200; with the store gone: 503 alive with the problem and Retry-After, while /livez stays 200', async () => {
    f = await startFixture();
    const ready = await fetch(`${f.url}/healthz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
    const store = f.server.context.store;
    const get = store.get.bind(store);
    // The store stops answering (what an unreachable database is to a node): every statement fails.
    store.get = () => Promise.reject(new Error('SQLITE_IOERR: disk I/O error'));
    try {
      const down = await fetch(`${f.url}/healthz`);
      expect(down.status).toBe(503);
      expect(down.headers.get('retry-after')).toBe('1');
      expect(await down.json()).toEqual({ status: 'alive', problem: 'store_unavailable' });
      const live = await fetch(`${f.url}/livez`);
      expect(live.status).toBe(200);
      expect(await live.json()).toEqual({ status: 'alive' });
    } finally {
      store.get = get;
    }
    expect((await fetch(`${f.url}/healthz`)).status).toBe(200);
  });
});
