import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { aesGcmKeyWrapper } from '../../electron/crypto/key-wrap.js';
import { MailService } from '../../electron/services/mail.service.js';
import { createTokenServerHost, type TokenServerHost } from '../../electron/token-server/host.js';
import { parseInputOf } from '../../shared/contract.js';
import { coreWithAdmin, type TestCore } from '../support/core.js';
import type { Actor } from '../../electron/services/context.js';
import { TEST_TUNING } from '../token-server/support.js';

/** The token server host starts the relay beside the server when its setting says so, and stops it with it. */

let core: TestCore;
let admin: Actor;
let host: TokenServerHost;
beforeEach(async () => {
  ({ core, admin } = await coreWithAdmin());
  host = createTokenServerHost({
    core,
    dataDir: core.dataDir,
    keyWrapper: aesGcmKeyWrapper(randomBytes(32), 'test master key'),
    port: 0,
    tuning: TEST_TUNING,
    auditWriter: 'inline',
    mail: { submissionPort: 0, implicitTlsPort: 0 },
  });
});
afterEach(async () => {
  await host.stop();
  core.cleanup();
});

test('off by default: no listener, POST /v1/mail is 404', async () => {
  await host.start();
  expect(host.mailRelay).toBeUndefined();
  expect(await host.mailRelayStatus()).toMatchObject({ running: false, listening: [], lastError: null, settings: { enabled: false } });
  const reply = await fetch(`${host.running!.url}/v1/mail`, { method: 'POST' });
  expect(reply.status).toBe(404);
});

test('enabled: starts with the server (plain on loopback, the server has no TLS), answers /v1/mail, stops with it', async () => {
  await new MailService(core.deps, () => undefined).updateRelaySettings(admin, parseInputOf('mail.updateRelaySettings', { enabled: true }));
  await host.start();
  const status = await host.mailRelayStatus();
  expect(status).toMatchObject({ running: true, lastError: null, settings: { enabled: true } });
  // Without TLS material only the submission port listens, plain and on loopback; 465 needs TLS.
  expect(status.listening).toEqual([{ port: expect.any(Number), tls: 'plain' }]);
  const reply = await fetch(`${host.running!.url}/v1/mail`, { method: 'POST' });
  expect(reply.status).toBe(401);
  await host.stop();
  expect(host.mailRelay).toBeUndefined();
  expect((await host.mailRelayStatus()).running).toBe(false);
});
