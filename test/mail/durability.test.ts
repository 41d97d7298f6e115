import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import nodemailer from 'nodemailer';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { openCore, type Core } from '../../electron/core.js';
import { headlessKeyWrapper } from '../../electron/crypto/key-wrap.js';
import { loadOrCreateTlsMaterial, type TlsMaterial } from '../../electron/crypto/tls.js';
import { MailService } from '../../electron/services/mail.service.js';
import { parseInputOf } from '../../shared/contract.js';
import { cli, tempDir } from '../support/core.js';
import { seedCatalogue } from '../support/fixtures.js';
import type { TestCore } from '../support/core.js';
import { basic, post } from '../token-server/support.js';
import { eventually, TestUpstream } from './support.js';

/**
 * Durability (issue 12): the real `keyrack serve` (the compiled CLI, as `npm run build` leaves it in dist/)
 * runs the relay; it is SIGKILLed after it answered 250 and while it was handing the message to an upstream
 * that had not taken it yet. Started again, it delivers the message exactly once.
 */

let data: string;
let children: ChildProcess[] = [];
beforeEach(() => {
  data = tempDir('keyrack-mail-durable-');
});
afterEach(() => {
  for (const child of children) child.kill('SIGKILL');
  children = [];
  rmSync(data, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** `keyrack serve --port 0`; resolves with the token server's URL once it says it runs. */
async function serve(caFile: string): Promise<{ child: ChildProcess; url: string; exited: Promise<unknown> }> {
  const child = spawn(process.execPath, ['bin/keyrack.js', 'serve', '--port', '0'], {
    // Node adds this CA to the ones TLS connections trust: the relay's connection to the test upstream.
    env: { ...process.env, KEYRACK_DATA: data, NODE_EXTRA_CA_CERTS: caFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const stderr: string[] = [];
  child.stderr!.on('data', (c: Buffer) => stderr.push(c.toString()));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const lines: string[] = [];
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      if (line.startsWith('Stop with')) resolve();
    });
    void exited.then((code) => reject(new Error(`serve exited with ${String(code)}: ${stderr.join('')}`)));
  });
  expect(stderr.join('')).toContain('mail relay: listening on');
  return { child, url: /URL:\s+(\S+)/.exec(lines.join('\n'))![1]!, exited };
}

test('SIGKILL after 250 and before delivery: after the restart the message is delivered exactly once', { timeout: 60_000 }, async () => {
  // The store: a sender with mail:send and info@example.com, the default upstream, the relay on a free port.
  let core: Core = openCore({ dataDir: data });
  const seeded = await seedCatalogue(core as TestCore, cli);
  const api = await core.users.createApiUser(cli, parseInputOf('users.createApiUser', { name: 'CRM Sync', groupIds: [seeded.group.id], mailboxIds: [seeded.mailbox.id] }));
  const wrapper = headlessKeyWrapper(data, {});
  const tls: TlsMaterial = await loadOrCreateTlsMaterial(data, wrapper, { hostnames: ['localhost'], addresses: ['127.0.0.1'] });
  const caFile = join(data, 'test-upstream-ca.pem');
  writeFileSync(caFile, tls.caCert);
  const upstreamPort = await freePort();
  const submissionPort = await freePort();
  const mail = new MailService(core.deps, () => wrapper);
  await mail.setUpstream(cli, parseInputOf('mail.setUpstream', {
    mailboxId: null, host: '127.0.0.1', port: upstreamPort, tls: 'starttls', auth: 'password', user: 'relay-user', secret: 'upstream-password',
  }));
  await mail.updateRelaySettings(cli, parseInputOf('mail.updateRelaySettings', { enabled: true, submissionPort, implicitTlsPort: null }));
  core.close();

  // An upstream that takes the connection and never answers: the relay is mid-delivery, the message not yet taken.
  const held: Socket[] = [];
  const hanging: Server = createServer((socket) => held.push(socket));
  await new Promise<void>((resolve) => hanging.listen(upstreamPort, '127.0.0.1', resolve));

  const first = await serve(caFile);
  const token = ((await post(first.url, '/oauth2/token', { grant_type: 'client_credentials' }, { authorization: basic(api.clientId, api.secret) })).json.access_token as string);
  const integration = nodemailer.createTransport({
    host: '127.0.0.1', port: submissionPort, secure: false, ignoreTLS: true, // loopback: plain, as `keyrack serve` without TLS offers it
    auth: { type: 'OAuth2', user: 'info@example.com', accessToken: token },
    connectionTimeout: 5_000, socketTimeout: 10_000,
  });
  const info = await integration.sendMail({ from: 'info@example.com', to: 'kunde@kunden.de', subject: 'Durable', text: 'Survives kill -9' });
  expect(info.response).toMatch(/^250 /);
  await eventually(() => held.length > 0, 10_000);
  first.child.kill('SIGKILL');
  await first.exited;
  for (const socket of held) socket.destroy();
  await new Promise<void>((resolve) => hanging.close(() => resolve()));

  core = openCore({ dataDir: data });
  expect(core.db.prepare('SELECT state, attempts FROM mail_queue').all()).toEqual([{ state: 'sending', attempts: 1 }]);
  core.close();

  const upstream = new TestUpstream(tls);
  await upstream.start(upstreamPort);
  try {
    const second = await serve(caFile);
    await eventually(() => upstream.received.length > 0, 15_000);
    // Some poll intervals more: nothing is sent twice.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(upstream.received).toHaveLength(1);
    expect(upstream.received[0]!.raw).toContain('Survives kill -9');
    core = openCore({ dataDir: data });
    expect(core.db.prepare('SELECT state, attempts FROM mail_queue').all()).toEqual([{ state: 'sent', attempts: 2 }]);
    const types = (core.db.prepare(`SELECT type FROM audit_events WHERE type LIKE 'mail.%' AND type <> 'mail.settings_changed' ORDER BY id`).all() as { type: string }[]).map((r) => r.type);
    expect(types).toEqual(['mail.accepted', 'mail.sent']);
    core.close();
    second.child.kill('SIGTERM');
    await second.exited;
  } finally {
    await upstream.stop();
  }
});
