import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseInputOf } from '../../shared/contract.js';
import type { CredentialFileDocument } from '../../shared/credential-files.dto.js';
import { decryptWithPassphrase } from '../../electron/credentials/passphrase-envelope.js';
import type { Actor } from '../../electron/services/context.js';
import { exportCredentialFile } from '../../electron/services/credential-export.js';
import { updateTokenServerSettings } from '../../electron/services/token-server-settings.js';
import { saveToFolder } from '../../electron/web-bridge/save-to-folder.js';
import { coreWithAdmin, tempDir, type TestCore } from '../support/core.js';
import { seedCatalogue } from '../support/fixtures.js';

/**
 * Issue 13: integrators do not have Keyrack, so `keyrack credentials open` is no answer for them. The two
 * standalone examples in examples/ must open what the app's export really writes (exportCredentialFile, the
 * credentials.export channel, saving through the same SaveFile the web bridge uses), with Keyrack's own
 * scrypt cost, in both formats, and refuse a wrong passphrase or a changed file.
 */
const NODE_EXAMPLE = resolve('examples/open-credential-file.mjs');
const PYTHON_EXAMPLE = resolve('examples/open_credential_file.py');
const PASSPHRASE = 'Grüne Äpfel für Björn 42';

let core: TestCore;
let admin: Actor;
let folder: string;
let secret: string;
const files: Record<'json' | 'env', string> = { json: '', env: '' };

beforeAll(async () => {
  ({ core, admin } = await coreWithAdmin());
  folder = tempDir('keyrack-open-examples-');
  await updateTokenServerSettings(core.deps, admin, { issuer: 'https://keyrack.office.test:8443' });
  const seeded = await seedCatalogue(core, admin);
  const created = await core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'CRM Sync', groupIds: [seeded.group.id] }));
  secret = created.secret;
  for (const format of ['json', 'env'] as const) {
    const saved = await exportCredentialFile(
      core,
      { saveFile: saveToFolder(folder) },
      admin,
      parseInputOf('credentials.export', { userId: created.user.id, secret, format, passphrase: PASSPHRASE }),
    );
    if (!saved.saved) throw new Error('the export was not saved');
    files[format] = saved.path;
  }
}, 60_000);
afterAll(() => {
  core.cleanup();
  rmSync(folder, { recursive: true, force: true });
});

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs an example with the passphrase on standard input (not a terminal), as a script would. */
function run(command: string, args: string[], stdin: string): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('close', (status) => done({ status, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

const plaintextOf = async (path: string) => (await decryptWithPassphrase(readFileSync(path, 'utf8'), PASSPHRASE)).plaintext;

/** The test vector docs/credential-files.md gives implementers: its envelope, passphrase and plaintext. */
const DOC_VECTOR = (() => {
  const doc = readFileSync(resolve('docs/credential-files.md'), 'utf8');
  const section = doc.slice(doc.indexOf('**A test vector**'));
  const envelope = /```json\n([\s\S]*?)\n```/.exec(section)![1]!;
  const passphrase = /Passphrase `([^`]+)`/.exec(section)![1]!;
  const plaintext = /the plaintext is\s+`([^`]+)`/.exec(section)![1]!;
  return { envelope, passphrase, plaintext };
})();

test("the test vector in docs/credential-files.md opens with Keyrack's own reader", async () => {
  expect(await decryptWithPassphrase(DOC_VECTOR.envelope, DOC_VECTOR.passphrase)).toEqual({ content: 'json', plaintext: DOC_VECTOR.plaintext });
});

const pythonReady = spawnSync('python3', ['-c', 'import cryptography'], { stdio: 'ignore' }).status === 0;

const EXAMPLES = [
  { name: 'Node (node:crypto only)', command: process.execPath, script: NODE_EXAMPLE, available: true },
  {
    name: pythonReady
      ? 'Python (cryptography package)'
      : 'Python: skipped, python3 with the cryptography package is not installed (Debian: python3-cryptography; .ci/run installs it)',
    command: 'python3',
    script: PYTHON_EXAMPLE,
    available: pythonReady,
  },
];

describe.each(EXAMPLES)('examples: $name', ({ command, script, available }) => {
  // The Node example needs nothing beyond the Node running this suite; the Python one needs python3 with
  // the cryptography package, and says so instead of passing when it is missing.
  test.skipIf(!available)('opens the JSON export: the document Keyrack wrote, secret included', async () => {
    const result = await run(command, [script, files.json], `${PASSPHRASE}\n`);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(await plaintextOf(files.json));
    const document = JSON.parse(result.stdout) as CredentialFileDocument;
    expect(document).toMatchObject({ type: 'keyrack_api_user', client_id: 'keyrack-crm-sync', client_secret: secret });
    expect(document.token_endpoint).toBe('https://keyrack.office.test:8443/oauth2/token');
  }, 30_000);

  test.skipIf(!available)('opens the .env export into a new owner-only file, and never replaces one', async () => {
    const out = join(folder, `${script.endsWith('.py') ? 'py' : 'node'}-crm.env`);
    const result = await run(command, [script, files.env, out], PASSPHRASE);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toBe(await plaintextOf(files.env));
    expect(readFileSync(out, 'utf8')).toContain(`KEYRACK_CLIENT_SECRET=${secret}`);
    if (process.platform !== 'win32') expect(statSync(out).mode & 0o777).toBe(0o600);

    const again = await run(command, [script, files.env, out], PASSPHRASE);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('already exists');
  }, 30_000);

  test.skipIf(!available)('opens the test vector of docs/credential-files.md', async () => {
    const path = join(folder, `${script.endsWith('.py') ? 'py' : 'node'}-vector.json.encrypted`);
    writeFileSync(path, DOC_VECTOR.envelope);
    const result = await run(command, [script, path], DOC_VECTOR.passphrase);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(DOC_VECTOR.plaintext);
  }, 30_000);

  test.skipIf(!available)('a wrong passphrase: status 1, the same message as Keyrack, nothing written', async () => {
    const result = await run(command, [script, files.json], 'not the passphrase');
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim()).toBe('The passphrase is wrong, or the file was changed after it was encrypted.');
  }, 30_000);

  test.skipIf(!available)('the header is authenticated: a file relabelled from json to env does not open', async () => {
    const envelope = JSON.parse(readFileSync(files.json, 'utf8')) as Record<string, unknown>;
    const relabelled = join(folder, `${script.endsWith('.py') ? 'py' : 'node'}-relabelled.encrypted`);
    writeFileSync(relabelled, JSON.stringify({ ...envelope, content: 'env' }));
    const result = await run(command, [script, relabelled], PASSPHRASE);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
  }, 30_000);

  test.skipIf(!available)('refuses before deriving anything: not an envelope, or scrypt asked for too much memory', async () => {
    const plain = join(folder, 'plain.json');
    writeFileSync(plain, JSON.stringify({ type: 'keyrack_api_user', version: 1 }));
    const notEnvelope = await run(command, [script, plain], PASSPHRASE);
    expect(notEnvelope.status).toBe(2);
    expect(notEnvelope.stderr).toContain('not an encrypted Keyrack credential file');

    const envelope = JSON.parse(readFileSync(files.json, 'utf8')) as Record<string, unknown>;
    const greedy = join(folder, 'greedy.encrypted');
    writeFileSync(greedy, JSON.stringify({ ...envelope, N: 2 ** 24 }));
    const refused = await run(command, [script, greedy], PASSPHRASE);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('N=16777216');
  }, 30_000);
});

