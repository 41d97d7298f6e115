import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseInputOf } from '../../shared/contract.js';
import { lastEventId, newClient, startFixture, tokenEvents, type Client, type Fixture } from './support.js';

/**
 * Python's Authlib (Debian: python3-authlib and python3-requests) with its PrivateKeyJWT, against the server. Skipped where no
 * python3 has Authlib (a plain clone needs nothing beyond npm); pyenv's python3 may lack it where Debian's has it.
 */
const PYTHON = ['python3', '/usr/bin/python3'].find((python) => spawnSync(python, ['-c', 'import authlib.integrations.requests_client'], { stdio: 'ignore' }).status === 0);
const SCRIPT = fileURLToPath(new URL('./python/authlib_private_key_jwt.py', import.meta.url));

let f: Fixture;
let client: Client;
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });

beforeAll(async () => {
  if (!PYTHON) return;
  f = await startFixture();
  client = await newClient(f);
  await f.core.clientKeys.add(
    f.admin,
    parseInputOf('clientKeys.add', { userId: client.userId, key: rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string, label: 'authlib' }),
  );
});
afterAll(() => f?.close());

/** Runs the script (asynchronously: the server answers in this process) and returns its status and output. */
async function authlib(env: Record<string, string>): Promise<{ status: number | null; json: Record<string, unknown> }> {
  const { spawn } = await import('node:child_process');
  return new Promise((done, fail) => {
    const child = spawn(PYTHON!, [SCRIPT], {
      env: {
        ...process.env,
        TOKEN_URL: `${f.url}/oauth2/token`,
        CLIENT_ID: client.clientId,
        KEY_PEM: rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
        ALG: 'RS256',
        ...env,
      },
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', fail);
    child.on('close', (status) => done({ status, json: JSON.parse(out || '{}') as Record<string, unknown> }));
  });
}

const title = PYTHON
  ? 'Authlib PrivateKeyJWT'
  : 'Authlib PrivateKeyJWT: skipped, no python3 with Authlib and requests (Debian: python3-authlib python3-requests; .ci/run installs them)';

describe.skipIf(!PYTHON)(title, () => {
  test('with a one-minute assertion (aud: the token endpoint URL, no kid: the key is found by its alg): a token', async () => {
    const since = await lastEventId(f);
    const reply = await authlib({ SHORT_LIFE: '1' });
    expect(reply.status).toBe(0);
    expect(reply.json).toMatchObject({ token_type: 'Bearer', scope: 'properties:read' });
    expect((await tokenEvents(f, since)).at(-1)).toMatchObject({ type: 'token.issued', details: expect.objectContaining({ method: 'private_key_jwt' }) });
  });

  test("with Authlib 1.2's default assertion life of an hour: refused, assertion_lifetime in the log (the 5-minute rule)", async () => {
    const since = await lastEventId(f);
    const reply = await authlib({});
    expect(reply.status).toBe(1);
    expect(reply.json).toEqual({ error: 'invalid_client' });
    expect((await tokenEvents(f, since)).at(-1)).toMatchObject({ type: 'token.denied', reason: 'assertion_lifetime' });
  });
});
