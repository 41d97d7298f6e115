import { generateKeyPairSync } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { keyrack } from '../support/cli.js';
import { tempDir } from '../support/core.js';

/** keyrack keys add-client | list-client | revoke-client, as a scripting administrator uses them. */
let data: string;
/** Where the integrator's key files are: outside the data folder, which Keyrack makes owner-only. */
let files: string;
const ok = async <T = Record<string, unknown>>(args: string[]): Promise<T> => {
  const run = await keyrack(data, [...args, '--json']);
  expect(run.stderr, args.join(' ')).toBe('');
  expect(run.code, args.join(' ')).toBe(0);
  return JSON.parse(run.stdout) as T;
};
beforeEach(async () => {
  data = tempDir('keyrack-client-keys-cli-');
  files = tempDir('keyrack-client-key-files-');
  await keyrack(data, ['init', '--name', 'alice', '--password-stdin'], 'correct horse battery');
  await ok(['api-users', 'create', '--name', 'CRM Sync']);
});
afterEach(() => {
  rmSync(data, { recursive: true, force: true });
  rmSync(files, { recursive: true, force: true });
});

test('add a PEM and a JWK, list them, revoke one by kid; the log has both events', async () => {
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = join(files, 'key.pub.pem');
  writeFileSync(pem, pair.publicKey.export({ type: 'spki', format: 'pem' }));
  const jwk = join(files, 'jwk.json');
  writeFileSync(jwk, JSON.stringify({ ...generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }), kid: 'crm-ed' }));

  const added = await ok(['keys', 'add-client', 'CRM Sync', '--file', pem, '--label', 'CRM production', '--expires', '90d']);
  expect(added).toMatchObject({ alg: 'ES256', label: 'CRM production', state: 'live', expiresAt: expect.any(Number) });
  expect(await ok(['keys', 'add-client', 'keyrack-crm-sync', '--file', jwk])).toMatchObject({ kid: 'crm-ed', alg: 'EdDSA', label: 'Public key' });
  expect((await ok<{ kid: string }[]>(['keys', 'list-client', 'CRM Sync'])).map((k) => k.kid)).toEqual(['crm-ed', added.kid]);

  expect(await ok(['keys', 'revoke-client', 'CRM Sync', '--kid', 'crm-ed'])).toMatchObject({ kid: 'crm-ed', state: 'revoked' });
  const text = await keyrack(data, ['keys', 'list-client', 'CRM Sync']);
  expect(text.stdout).toMatch(/crm-ed\s+EdDSA\s+Public key\s+revoked/);
  const log = await ok<{ type: string }[]>(['log', '--type', 'key.added']);
  expect(log).toHaveLength(2);
});

test('a private key file is refused with the reason, and nothing is added', async () => {
  const file = join(files, 'key.pem');
  writeFileSync(file, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const run = await keyrack(data, ['keys', 'add-client', 'CRM Sync', '--file', file]);
  expect(run.code).not.toBe(0);
  expect(run.stderr).toContain('This is a private key; give only the public key');
  expect(await ok(['keys', 'list-client', 'CRM Sync'])).toEqual([]);
  expect((await keyrack(data, ['keys', 'add-client', 'CRM Sync', '--file', join(files, 'missing.pem')])).stderr).toContain('--file: cannot read');
});
