import { spawnSync, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { accessToken, eventually, mailEvents, startMailFixture, type MailFixture } from './support.js';

/**
 * Integrations that are not Node: Python's smtplib (Debian's python3) with AUTH XOAUTH2, and curl's SMTP with
 * --oauth2-bearer. Each skips, saying why, where its tool is missing; the machines here have both.
 */

const PYTHON = '/usr/bin/python3';
const CURL = '/usr/bin/curl';
const hasPython = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import smtplib, ssl'], { stdio: 'ignore' }).status === 0;
const curlProtocols = existsSync(CURL) ? spawnSync(CURL, ['--version'], { encoding: 'utf8' }).stdout : '';
const hasCurlSmtp = /^Protocols:.*\bsmtp\b/m.test(curlProtocols);

let f: MailFixture;
let caFile: string;
beforeAll(async () => {
  f = await startMailFixture();
  caFile = join(f.core.dataDir, 'keyrack-ca.pem');
  writeFileSync(caFile, f.tls.caCert);
});
afterAll(async () => {
  await f.close();
});

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const SMTPLIB = `
import os, smtplib, ssl
from email.message import EmailMessage
token = os.environ["TOKEN"]
msg = EmailMessage()
msg["From"] = "info@example.com"
msg["To"] = "kunde@kunden.de"
msg["Subject"] = "from smtplib"
msg.set_content("Hallo aus Python")
with smtplib.SMTP("127.0.0.1", int(os.environ["PORT"]), timeout=10) as s:
    s.starttls(context=ssl.create_default_context(cafile=os.environ["CA"]))
    s.ehlo()
    s.auth("XOAUTH2", lambda challenge=None: "user=info@example.com\\x01auth=Bearer " + token + "\\x01\\x01")
    refused = s.send_message(msg)
    print("refused", refused)
`;

describe.skipIf(!hasPython)(`Python smtplib (${hasPython ? PYTHON : `skipped: ${PYTHON} with smtplib and ssl is missing`})`, () => {
  test('AUTH XOAUTH2 after STARTTLS: delivered to the upstream', async () => {
    const script = join(f.core.dataDir, 'send.py');
    writeFileSync(script, SMTPLIB);
    const before = f.upstream.received.length;
    const result = await run(PYTHON, [script], { TOKEN: await accessToken(f), PORT: String(f.submissionPort), CA: caFile });
    expect(result.stderr).toBe('');
    expect(result).toMatchObject({ code: 0, stdout: 'refused {}\n' });
    const got = await eventually(() => f.upstream.received[before]);
    expect(got.raw).toContain('Hallo aus Python');
    expect(got.to).toEqual(['kunde@kunden.de']);
  });
});

describe.skipIf(!hasCurlSmtp)(`curl (${hasCurlSmtp ? CURL : `skipped: ${CURL} is missing or was built without SMTP`})`, () => {
  test('--oauth2-bearer over smtp:// with STARTTLS required: delivered to the upstream', async () => {
    const file = join(f.core.dataDir, 'curl-message.txt');
    writeFileSync(file, 'From: info@example.com\r\nTo: kunde@kunden.de\r\nSubject: from curl\r\n\r\nHallo aus curl\r\n');
    const before = f.upstream.received.length;
    const result = await run(CURL, [
      '--silent', '--show-error', '--max-time', '15',
      '--url', `smtp://127.0.0.1:${f.submissionPort}`, '--ssl-reqd', '--cacert', caFile,
      '--user', 'info@example.com', '--oauth2-bearer', await accessToken(f),
      '--mail-from', 'info@example.com', '--mail-rcpt', 'kunde@kunden.de', '--upload-file', file,
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const got = await eventually(() => f.upstream.received[before]);
    expect(got.raw).toContain('Hallo aus curl');
    // curl prefers the standard mechanism when offered (RFC 7628): this went through sasl-oauthbearer.ts.
    expect(mailEvents(f).filter((e) => e.type === 'mail.accepted').at(-1)!.details.method).toBe('OAUTHBEARER');
  });

  test('a revoked or wrong bearer: curl fails with the login refused (exit 67)', async () => {
    const file = join(f.core.dataDir, 'curl-message.txt');
    const result = await run(CURL, [
      '--silent', '--max-time', '15', '--url', `smtp://127.0.0.1:${f.submissionPort}`, '--ssl-reqd', '--cacert', caFile,
      '--user', 'info@example.com', '--oauth2-bearer', 'not-a-token',
      '--mail-from', 'info@example.com', '--mail-rcpt', 'kunde@kunden.de', '--upload-file', file,
    ]);
    expect(result.code).toBe(67);
  });
});
