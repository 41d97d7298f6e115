import { generateKeyPairSync } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { parseInputOf } from '../../shared/contract.js';
import { ConflictError, ForbiddenError, ValidationError } from '../../shared/errors.js';
import type { Actor } from '../../electron/services/context.js';
import { inPromise } from '../support/core.js';
import { storedRows, storedEvents, storedTable, powerlessPerson } from '../support/fixtures.js';
import { describeEngines, type EngineCore } from '../support/engines.js';

describeEngines((engine) => {
  let core: EngineCore;
  let admin: Actor;
  let userId: number;
  beforeEach(async () => {
    ({ core, admin } = await engine.coreWithAdmin());
    userId = (await core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'CRM' }))).user.id;
  });
  afterEach(() => core.cleanup());

  const spki = (pair: { publicKey: { export(o: object): string | Buffer } }) => pair.publicKey.export({ type: 'spki', format: 'pem' }) as string;
  const pkcs8 = (pair: { privateKey: { export(o: object): string | Buffer } }) => pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const jwkOf = (key: { export(o: object): unknown }) => key.export({ format: 'jwk' }) as Record<string, unknown>;

  const add = (key: string, label = 'prod') => core.clientKeys.add(admin, parseInputOf('clientKeys.add', { userId, key, label }));

  /** The field error an add is refused with, and that nothing was stored or logged. */
  async function refused(key: string, message: RegExp) {
    const before = await storedRows(core, 'client_keys');
    const logged = (await storedEvents(core)).length;
    const error = await inPromise(() => add(key)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fields?.key).toMatch(message);
    expect(await storedRows(core, 'client_keys')).toBe(before);
    expect((await storedEvents(core)).length).toBe(logged);
  }

  describe('add', () => {
    test('PEM (SPKI) of each algorithm: stored as a public JWK with a thumbprint kid, logged as key.added', async () => {
      const cases = [
        [generateKeyPairSync('ec', { namedCurve: 'P-256' }), 'ES256', 'EC'],
        [generateKeyPairSync('rsa', { modulusLength: 2048 }), 'RS256', 'RSA'],
        [generateKeyPairSync('ed25519'), 'EdDSA', 'OKP'],
      ] as const;
      for (const [pair, alg, kty] of cases) {
        const info = await add(spki(pair), alg);
        expect(info).toMatchObject({ alg, label: alg, createdBy: 'alice', state: 'live', lastUsedAt: null, revokedAt: null });
        expect(info.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(info.publicJwk).toMatchObject({ kty, kid: info.kid, alg, use: 'sig' });
        expect(info.publicJwk).not.toHaveProperty('d');
        expect((await storedEvents(core))[0]).toMatchObject({ type: 'key.added', details: { keyId: info.id, kid: info.kid, alg, label: alg } });
      }
      expect((await core.clientKeys.list(admin, { userId })).map((k) => k.alg)).toEqual(['EdDSA', 'RS256', 'ES256']);
    });

    test('a JWK keeps its own kid; a JWK Set with one key is taken', async () => {
      const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const info = await add(JSON.stringify({ ...jwkOf(pair.publicKey), kid: 'crm-2026' }));
      expect(info.kid).toBe('crm-2026');
      const other = generateKeyPairSync('ed25519');
      expect((await add(JSON.stringify({ keys: [jwkOf(other.publicKey)] }))).alg).toBe('EdDSA');
    });

    test('private keys are refused, as PEM and as JWK, and never stored', async () => {
      const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      await refused(pkcs8(pair), /private key/);
      await refused(pair.privateKey.export({ type: 'sec1', format: 'pem' }) as string, /private key/);
      await refused(JSON.stringify(jwkOf(pair.privateKey)), /private key/);
      expect(JSON.stringify(await storedTable(core, 'client_keys'))).not.toContain(jwkOf(pair.privateKey).d as string);
    });

    test('weak RSA, other curves, symmetric keys, encryption keys, a contradicting alg, and garbage are refused', async () => {
      await refused(spki(generateKeyPairSync('rsa', { modulusLength: 1024 })), /1024 bits is too weak/);
      await refused(spki(generateKeyPairSync('ec', { namedCurve: 'P-384' })), /secp384r1 is not supported/);
      await refused(spki(generateKeyPairSync('ec', { namedCurve: 'secp256k1' })), /not supported/);
      await refused(spki(generateKeyPairSync('ed448')), /ed448 key is not supported/);
      await refused(JSON.stringify({ kty: 'oct', k: 'c2VjcmV0' }), /symmetric/);
      const ec = jwkOf(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey);
      await refused(JSON.stringify({ ...ec, use: 'enc' }), /encryption/);
      await refused(JSON.stringify({ ...ec, alg: 'HS256' }), /says alg HS256/);
      await refused('ssh-ed25519 AAAA… me@host', /PEM|JWK/);
      await refused('{"kty": ', /JSON/);
    });

    test('duplicates: the same kid, or the same key under another kid, are refused', async () => {
      const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      await add(JSON.stringify({ ...jwkOf(pair.publicKey), kid: 'one' }));
      await refused(JSON.stringify({ ...jwkOf(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey), kid: 'one' }), /already has a key with the id one/);
      await refused(spki(pair), /already has this public key/);
    });

    test('only people who manage users add keys; a person has none; an expiry must be ahead', async () => {
      const bob = await powerlessPerson(core, admin);
      const key = spki(generateKeyPairSync('ed25519'));
      await expect(inPromise(() => core.clientKeys.add(bob, parseInputOf('clientKeys.add', { userId, key, label: 'x' })))).rejects.toBeInstanceOf(ForbiddenError);
      await expect(inPromise(() => core.clientKeys.add(admin, parseInputOf('clientKeys.add', { userId: 1, key, label: 'x' })))).rejects.toBeInstanceOf(ValidationError);
      await expect(
        inPromise(() => core.clientKeys.add(admin, parseInputOf('clientKeys.add', { userId, key, label: 'x', expiresAt: core.clock.now() }))),
      ).rejects.toBeInstanceOf(ValidationError);
    });
  });

  test('revoke: by kid, logged, once', async () => {
    const info = await add(spki(generateKeyPairSync('ed25519')));
    core.clock.advance(1000);
    const revoked = await core.clientKeys.revoke(admin, { userId, kid: info.kid });
    expect(revoked).toMatchObject({ state: 'revoked', revokedAt: core.clock.now() });
    expect((await storedEvents(core))[0]).toMatchObject({ type: 'key.revoked', details: { keyId: info.id, kid: info.kid } });
    await expect(async () => core.clientKeys.revoke(admin, { userId, kid: info.kid })).rejects.toThrow(ConflictError);
  });

  test('the store refuses a JWK with a private member, whatever the service does', async () => {
    await expect(
      core.deps.store.run(
        `INSERT INTO client_keys (user_id, kid, alg, public_jwk, label, created_at, created_by) VALUES (?, 'k', 'ES256', ?, 'l', 0, 'x')`,
        [userId, JSON.stringify({ kty: 'EC', d: 'secret' })],
      ),
    ).rejects.toThrow(engine.name === 'sqlite' ? /CHECK constraint failed/ : /violates check constraint "client_keys_public_jwk_check"/);
  });
});
