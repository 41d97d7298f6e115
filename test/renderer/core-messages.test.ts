import { generateKeyPairSync } from 'node:crypto';
import { afterEach, expect, test } from 'vitest';
import { UNKNOWN_SERVER_ADDRESS } from '../../electron/credentials/endpoints.js';
import { headlessKeyWrapper } from '../../electron/crypto/key-wrap.js';
import { DatabaseTooNewError } from '../../electron/db/migrate.js';
import { parseStoreUrl, StoreDatabaseMissingError, StoreLoginError, StoreUnreachableError } from '../../electron/db/postgres.js';
import { ForeignDatabaseError } from '../../electron/db/postgres-migrate.js';
import { findAdministratorsGroupId } from '../../electron/repos/groups.repo.js';
import { CredentialFilesService } from '../../electron/services/credential-files.js';
import { RetentionService } from '../../electron/services/retention.js';
import { MAX_LIVE_CLIENT_KEYS } from '../../electron/services/client-keys.service.js';
import { MAX_LIVE_SECRETS } from '../../electron/services/secrets.service.js';
import { safeStorageKeyWrapper } from '../../electron/shell/safe-storage-key-wrapper.js';
import { parseInputOf } from '../../shared/contract.js';
import { renderCredentialFileInput } from '../../shared/credential-files.schemas.js';
import { toErrorBody, UnauthenticatedError } from '../../shared/errors.js';
import { parseInput } from '../../shared/validate.js';
import { createHttpApi } from '../../renderer/api/http-api.js';
import { en } from '../../renderer/i18n/en/index.js';
import { coreMessageKey } from '../../renderer/lib/error-text.js';
import { cli, coreWithAdmin, tempDir, type TestCore } from '../support/core.js';

/**
 * The `core` catalogue (renderer/i18n/en/core.ts) holds the English of the core's messages that the renderer
 * translates. The core does not import it: here each message is provoked in the real services, and it must
 * still read as its catalogue entry. A reworded message fails this test instead of showing in English on a
 * German screen (it would still show: as the sentence for its error code).
 */

let core: TestCore;
afterEach(() => core.cleanup());

const PASSWORD = 'correct horse battery';
const DAY = 86_400_000;

/** The message (and field messages) a call fails with. */
async function failure(run: () => unknown): Promise<string[]> {
  try {
    await run();
  } catch (error) {
    const body = toErrorBody(error);
    return [body.message, ...Object.values(body.fields ?? {})];
  }
  throw new Error('expected the call to fail');
}

test('every message of the core catalogue is one the core really says', async () => {
  const setup = await coreWithAdmin();
  core = setup.core;
  const { admin } = setup;
  const aliceId = admin.kind === 'person' ? admin.userId : 0;
  const seen = new Set<string>();
  /** Asserts the call fails with a message read as `key`. */
  const expectKey = async (key: keyof typeof en.core, run: () => unknown) => {
    const messages = await failure(run);
    expect(messages.map(coreMessageKey), messages.join(' | ')).toContain(key);
    seen.add(key);
  };
  const expectText = (key: keyof typeof en.core, text: string) => {
    expect(coreMessageKey(text), text).toBe(key);
    seen.add(key);
  };

  // Whoever asks, and how the bridge says it cannot reach Keyrack.
  expectText('internal', toErrorBody(new Error('boom')).message);
  expectText('logInFirst', new UnauthenticatedError().message);
  expectText('notAnswering', ((await createHttpApi('http://127.0.0.1:9')['auth.status']({})) as { error: { message: string } }).error.message);

  // Logging in.
  await expectKey('alreadySetUp', () => core.auth.setup({ name: 'mallory', password: PASSWORD }));
  await expectKey('wrongCredentials', () => core.auth.login({ name: 'nobody', password: PASSWORD }));
  const bob = await core.users.createPerson(admin, parseInputOf('users.createPerson', { name: 'bob', password: PASSWORD }));
  const asBob = { kind: 'person' as const, userId: bob.id, name: 'bob' };
  await expectKey('forbiddenUsers', () => core.users.createApiUser(asBob, parseInputOf('users.createApiUser', { name: 'x' })));
  await expectKey('forbiddenGroups', () => core.groups.create(asBob, parseInputOf('groups.create', { name: 'x' })));
  await expectKey('forbiddenMailboxes', () => core.mailboxes.create(asBob, parseInputOf('mailboxes.create', { address: 'x@example.com' })));
  await expectKey('forbiddenLog', () => core.log.search(asBob, parseInputOf('log.search', {})));
  await expectKey('forbiddenServer', () => new RetentionService(core.deps, core.dataDir).set(asBob, { keepDays: 30 }));
  await expectKey('currentPasswordWrong', () => core.auth.changePassword(asBob, { currentPassword: 'not the password', newPassword: 'another long password' }));
  await expectKey('newPasswordSame', () => core.auth.changePassword(asBob, { currentPassword: PASSWORD, newPassword: PASSWORD }));
  await core.users.disable(admin, { id: bob.id });
  await expectKey('accountDisabled', () => core.auth.login({ name: 'bob', password: PASSWORD }));
  await expectKey('noLongerActive', () => core.users.list(asBob, parseInputOf('users.list', {})));
  const carol = await core.users.createPerson(admin, parseInputOf('users.createPerson', { name: 'carol', password: PASSWORD }));
  await core.users.update(admin, { id: carol.id, expiresAt: core.clock.now() + DAY });
  core.clock.advance(2 * DAY);
  await expectKey('accountExpired', () => core.auth.login({ name: 'carol', password: PASSWORD }));
  for (let i = 0; i < 12; i++) await core.auth.login({ name: 'dave', password: PASSWORD }).catch(() => undefined);
  await expectKey('tooManyLogins', () => core.auth.login({ name: 'dave', password: PASSWORD }));

  // People and API users.
  await expectKey('ownPassword', () => core.users.resetPassword(admin, { id: aliceId, newPassword: 'another long password' }));
  await expectKey('ownAccount', () => core.users.delete(admin, { id: aliceId }));
  await expectKey('lastAdminDisable', () => core.users.disable(cli, { id: aliceId }));
  await expectKey('lastAdminDelete', () => core.users.delete(cli, { id: aliceId }));
  await expectKey('lastAdminExpire', () => core.users.update(cli, { id: aliceId, expiresAt: core.clock.now() + DAY }));
  await expectKey('lastAdminRemove', () => core.users.setGroups(cli, { id: aliceId, groupIds: [] }));
  await expectKey('lastAdminMember', async () => core.groups.removeMember(cli, { groupId: await findAdministratorsGroupId(core.deps.store), userId: aliceId }));
  await expectKey('mustBeFuture', () => core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'late', expiresAt: core.clock.now() - 1000 })));
  const crm = await core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'CRM Sync' }));
  await expectKey('accountTaken', () => core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'CRM Sync' })));
  await expectKey('nameTaken', () => core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'CRM Sync' })));
  await expectKey('tokenLifetimeApiOnly', () => core.users.update(admin, { id: carol.id, tokenLifetimeSeconds: 600 }));
  await core.policy.set(admin, { requireAllowlist: true });
  await expectKey('allowlistRequired', () => core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'open' })));
  await core.policy.set(admin, { requireAllowlist: false });

  // Secrets.
  const [first] = await core.secrets.list(admin, { userId: crm.user.id });
  await core.secrets.revoke(admin, { userId: crm.user.id, secretId: first!.id });
  await expectKey('secretAlreadyRevoked', () => core.secrets.revoke(admin, { userId: crm.user.id, secretId: first!.id }));
  await expectKey('rotateRevoked', () => core.secrets.rotate(admin, { userId: crm.user.id, secretId: first!.id, graceUntil: core.clock.now() }));
  const short = await core.secrets.add(admin, { userId: crm.user.id, label: 'short', expiresAt: core.clock.now() + DAY });
  core.clock.advance(2 * DAY);
  await expectKey('rotateExpired', () => core.secrets.rotate(admin, { userId: crm.user.id, secretId: short.info.id, graceUntil: core.clock.now() }));
  for (let i = 0; i < MAX_LIVE_SECRETS; i++) await core.secrets.add(admin, { userId: crm.user.id, label: `s${i}` });
  await expectKey('tooManySecrets', () => core.secrets.add(admin, { userId: crm.user.id, label: 'one more' }));
  const files = new CredentialFilesService(core.deps, () => ({ issuer: 'https://k.test', tokenEndpoint: 'https://k.test/oauth2/token', caCertificate: null }));
  await expectKey('notLiveSecret', () => files.render(admin, parseInput(renderCredentialFileInput, { userId: crm.user.id, secret: 'A'.repeat(43) })));

  // Public keys.
  const addKey = (key: string, label = 'k') => core.clientKeys.add(admin, parseInputOf('clientKeys.add', { userId: crm.user.id, key, label }));
  const spki = (pair: { publicKey: { export(o: object): string | Buffer } }) => pair.publicKey.export({ type: 'spki', format: 'pem' }) as string;
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  await expectKey('keyIsPrivate', () => addKey(ec.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string));
  await expectKey('keyFormat', () => addKey('ssh-ed25519 AAAA'));
  await expectKey('keySymmetric', () => addKey('{"kty":"oct","k":"c2VjcmV0"}'));
  await expectKey('keyRsaWeak', () => addKey(spki(generateKeyPairSync('rsa', { modulusLength: 1024 }))));
  await expectKey('keyCurve', () => addKey(spki(generateKeyPairSync('ec', { namedCurve: 'P-384' }))));
  await expectKey('keyType', () => addKey(spki(generateKeyPairSync('ed448'))));
  const added = await addKey(JSON.stringify({ ...(ec.publicKey.export({ format: 'jwk' }) as object), kid: 'one' }));
  await expectKey('keyKidTaken', () => addKey(JSON.stringify({ ...(generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }) as object), kid: 'one' })));
  await expectKey('keyTaken', () => addKey(spki(ec)));
  await core.clientKeys.revoke(admin, { userId: crm.user.id, kid: added.kid });
  await expectKey('keyAlreadyRevoked', () => core.clientKeys.revoke(admin, { userId: crm.user.id, kid: added.kid }));
  for (let i = 0; i < MAX_LIVE_CLIENT_KEYS; i++) await addKey(spki(generateKeyPairSync('ed25519')), `k${i}`);
  await expectKey('tooManyKeys', () => addKey(spki(generateKeyPairSync('ed25519'))));

  // Groups, the rights catalogue, mailboxes.
  await core.groups.create(admin, parseInputOf('groups.create', { name: 'Website' }));
  await expectKey('groupTaken', () => core.groups.create(admin, parseInputOf('groups.create', { name: 'Website' })));
  await expectKey('builtInGroupFixed', async () => core.groups.update(cli, { id: await findAdministratorsGroupId(core.deps.store), name: 'Admins' }));
  await expectKey('builtInDelete', async () => core.groups.delete(cli, { id: await findAdministratorsGroupId(core.deps.store) }));
  await core.rights.addResource(admin, parseInputOf('rights.addResource', { name: 'addresses', actions: ['read'] }));
  await expectKey('resourceTaken', () => core.rights.addResource(admin, parseInputOf('rights.addResource', { name: 'addresses', actions: ['read'] })));
  await expectKey('alreadyExists', () => core.rights.addResource(admin, parseInputOf('rights.addResource', { name: 'addresses', actions: ['read'] })));
  const builtin = (await core.rights.list(admin)).find((r) => r.builtin)!;
  await expectKey('builtInChange', () => core.rights.updateResource(admin, { id: builtin.id, description: 'x' }));
  await core.mailboxes.create(admin, parseInputOf('mailboxes.create', { address: 'office@example.com' }));
  await expectKey('mailboxTaken', () => core.mailboxes.create(admin, parseInputOf('mailboxes.create', { address: 'office@example.com' })));

  // The log's prune, one at a time.
  const retention = new RetentionService(core.deps, core.dataDir);
  await retention.set(cli, { keepDays: 1 });
  const running = retention.prune(cli);
  await expectKey('pruning', () => retention.prune(cli));
  await running;

  // Descriptions and constants the Token server page and the export show.
  expectText('unknownServerAddress', UNKNOWN_SERVER_ADDRESS);
  expectText('keyProtectionEnv', headlessKeyWrapper(tempDir(), { KEYRACK_MASTER_KEY: Buffer.alloc(32, 7).toString('base64url') }).description);
  expectText('keyProtectionFile', headlessKeyWrapper(tempDir(), {}).description);
  expectText('keyProtectionKeychain', safeStorageKeyWrapper({ isEncryptionAvailable: () => true, encryptString: Buffer.from, decryptString: String }, 'gnome_libsecret').description);

  // A store that cannot be used: the Store card's URL field (services/store-admin.ts).
  const urlProblem = (url: string) => {
    try {
      parseStoreUrl(url);
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error(`expected ${url} to be refused`);
  };
  expectText('storeUrlNotUrl', urlProblem('keyrack on the server'));
  expectText('storeUrlScheme', urlProblem('mysql://alice@db/keyrack'));
  expectText('storeUrlPassword', urlProblem('postgres://alice:pw@db/keyrack'));
  expectText('storeUrlNoDatabase', urlProblem('postgres://alice@db'));
  expectText('storeUrlOther', urlProblem('postgres://alice@db/keyrack?sslmode=require'));
  expectText('storeUnreachable', new StoreUnreachableError('db.office.lan:5432', 'ECONNREFUSED').message);
  expectText('storeLogin', new StoreLoginError('db.office.lan:5432', 'no password was given', true).message);
  expectText('storeDatabaseMissing', new StoreDatabaseMissingError('db.office.lan:5432', 'keyrack').message);
  expectText('storeForeign', new ForeignDatabaseError('it holds 2 tables, indexes or sequences, and no Keyrack schema mark').message);
  expectText('storeTooNew', new DatabaseTooNewError(140, 130).message);

  // Every entry of the catalogue was checked above.
  expect([...seen].sort()).toEqual(Object.keys(en.core).sort());
});
