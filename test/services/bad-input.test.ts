import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseInputOf } from '../../shared/contract.js';
import { AppError } from '../../shared/errors.js';
import type { Actor } from '../../electron/services/context.js';
import { seedCatalogue } from '../support/fixtures.js';
import { describeEngines, type EngineCore } from '../support/engines.js';

/**
 * Every field of every write, given a bad value: the error names the field in words a person understands,
 * and the store (every table, the audit log included) is byte-for-byte what it was. Each call's input goes
 * through the one parse a call gets (parseInputOf: dispatch and the CLI use it), then to the service, which
 * refuses what only it can know (an unknown id, a time already past).
 */
describeEngines((engine) => {
  let core: EngineCore;
  let admin: Actor;
  let apiUserId: number;
  let groupId: number;
  let mailboxId: number;
  let secretId: number;
  let resourceId: number;

  beforeAll(async () => {
    ({ core, admin } = await engine.coreWithAdmin());
    const seeded = await seedCatalogue(core, admin);
    groupId = seeded.group.id;
    mailboxId = seeded.mailbox.id;
    resourceId = seeded.properties.id;
    const created = await core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'CRM' }));
    apiUserId = created.user.id;
    secretId = created.secretInfo.id;
  });
  afterAll(() => core.cleanup());

  /** Every table of the store, read through the store: the same check on SQLite and on PostgreSQL. */
  async function snapshot(): Promise<string> {
    const tables = await core.deps.store.all<{ name: string }>(
      engine.name === 'sqlite'
        ? `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`
        : `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    expect(tables.map((t) => t.name)).toContain('audit_events');
    const contents: [string, unknown[]][] = [];
    for (const { name } of tables) contents.push([name, await core.deps.store.all(`SELECT * FROM ${name}`)]);
    return JSON.stringify(contents);
  }

  type Case = [what: string, call: () => unknown, field: string, message: RegExp];
  const future = () => core.clock.now() + 86_400_000;

  const cases: Case[] = [
    ['api user: empty name', () => core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: '   ' })), 'name', /Name is required/],
    ['api user: name too long', () => core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'x'.repeat(65) })), 'name', /at most 64 characters/],
    ['api user: name of symbols only', () => core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: '!!!' })), 'name', /at least one letter or digit/],
    ['api user: control characters', () => core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'a\u0000b' })), 'name', /control characters/],
    ['api user: right-to-left override', () => core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'crm\u202egnp.exe' })), 'name', /invisible or text-direction characters \(it has U\+202E\)/],
    ['api user: zero-width space', () => core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'C\u200bRM' })), 'name', /U\+200B/],
    ['api user: Hangul filler', () => core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'N\u3164' })), 'name', /U\+3164/],
    ['api user: bytes that were not UTF-8', () => core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'CRM\ufffd' })), 'name', /U\+FFFD.*not valid UTF-8/],
    ['person: bidi isolate', () => core.users.createPerson(admin, parseInputOf('users.createPerson', { name: 'bob\u2066', password: 'another long password' })), 'name', /U\+2066/],
    ['update: rename to a hidden character', () => core.users.update(admin, parseInputOf('users.update', { id: apiUserId, name: 'CRM\u200d' })), 'name', /U\+200D/],
    ['api user: bad email', () => core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'N', email: 'not-an-email' })), 'email', /valid email address/],
    ['api user: long description', () => core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'N', description: 'd'.repeat(501) })), 'description', /at most 500/],
    ['api user: group id not a number', () => core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'N', groupIds: ['Website'] })), 'groupIds.0', /whole number/],
    ['api user: group twice', () => core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'N', groupIds: [groupId, groupId] })), 'groupIds', /listed twice/],
    ['api user: unknown mailbox', () => core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'N', mailboxIds: [9999] })), 'mailboxIds.0', /no mailbox with id 9999/],
    ['api user: octal-looking IPv4', () => core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'N', allowlist: ['010.0.0.1'] })), 'allowlist.0', /without leading zeros/],
    ['api user: prefix too long', () => core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'N', allowlist: ['1.2.3.4/33'] })), 'allowlist.0', /prefix is 0 to 32/],
    ['api user: host bits set', () => core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'N', allowlist: ['10.1.2.3/8'] })), 'allowlist.0', /did you mean 10\.0\.0\.0\/8/],
    ['api user: unknown provider', () => core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'N', allowlist: ['HETZNER'] })), 'allowlist.0', /AWS, GOOGLE, AZURE, CLOUDFLARE, DIGITAL_OCEAN/],
    ['api user: IPv6 zone', () => core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'N', allowlist: ['fe80::1%eth0'] })), 'allowlist.0', /zone ids/],
    ['api user: IPv6 prefix too long', () => core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'N', allowlist: ['2001:db8::/129'] })), 'allowlist.0', /prefix is 0 to 128/],
    ['api user: expiry in the past', () => core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'N', expiresAt: 1 })), 'expiresAt', /in the future/],
    ['api user: expiry not a time', () => core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'N', expiresAt: 'tomorrow' })), 'expiresAt', /epoch milliseconds/],
    ['api user: unknown field', () => core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'N', password: 'x' })), 'input', /password/],
    ['person: short password', () => core.users.createPerson(admin, parseInputOf('users.createPerson', { name: 'P', password: 'short' })), 'password', /at least 12/],
    ['update: token lifetime too short', () => core.users.update(admin, parseInputOf('users.update', { id: apiUserId, tokenLifetimeSeconds: 5 })), 'tokenLifetimeSeconds', /At least 60 seconds/],
    ['update: id not positive', () => core.users.update(admin, parseInputOf('users.update', { id: -1 })), 'id', /positive/],
    ['allowlist: too many entries', () => core.users.setAllowlist(admin, parseInputOf('users.setAllowlist', { id: apiUserId, entries: Array(201).fill('1.1.1.1') })), 'entries', /At most 200/],
    ['allowlist: garbage', () => core.users.setAllowlist(admin, parseInputOf('users.setAllowlist', { id: apiUserId, entries: ['1.2.3'] })), 'entries.0', /not an IPv4 address/],
    ['list: page 0', () => core.users.list(admin, parseInputOf('users.list', { page: 0 })), 'page', /starts at 1/],
    ['list: unknown sort', () => core.users.list(admin, parseInputOf('users.list', { sort: 'password_hash' })), 'sort', /./],
    ['secret: empty label', () => core.secrets.add(admin, parseInputOf('secrets.add', { userId: apiUserId, label: '' })), 'label', /Label is required/],
    ['secret: rotate without grace', () => core.secrets.rotate(admin, parseInputOf('secrets.rotate', { userId: apiUserId, secretId })), 'graceUntil', /./],
    ['secret: expiry in the past', () => core.secrets.rotate(admin, parseInputOf('secrets.rotate', { userId: apiUserId, secretId, graceUntil: future(), expiresAt: 5 })), 'expiresAt', /in the future/],
    ['group: empty name', () => core.groups.create(admin, parseInputOf('groups.create', { name: '' })), 'name', /Group name is required/],
    ['group: zero-width joiner', () => core.groups.create(admin, parseInputOf('groups.create', { name: 'Admin\u200distrators' })), 'name', /U\+200D/],
    ['group: rename with a left-to-right mark', () => core.groups.update(admin, parseInputOf('groups.update', { id: groupId, name: 'Web\u200esite' })), 'name', /U\+200E/],
    ['secret: label with a soft hyphen', () => core.secrets.add(admin, parseInputOf('secrets.add', { userId: apiUserId, label: 'night\u00adly' })), 'label', /U\+00AD/],
    ['group: unknown permission', () => core.groups.create(admin, parseInputOf('groups.create', { name: 'G', appPermissions: ['root'] })), 'appPermissions.0', /./],
    ['group: right not in catalogue', () => core.groups.create(admin, parseInputOf('groups.create', { name: 'G', rights: [{ resource: 'properties', action: 'fly' }] })), 'rights.0', /has no action fly/],
    ['group: right with bad name', () => core.groups.grant(admin, parseInputOf('groups.grant', { groupId, resource: 'Prop erties', action: 'read' })), 'resource', /lowercase letters/],
    ['group: unknown filter', () => core.groups.update(admin, parseInputOf('groups.update', { id: groupId, filterIds: [777] })), 'filterIds.0', /no record filter/],
    ['group: member id missing', () => core.groups.addMember(admin, parseInputOf('groups.addMember', { groupId })), 'userId', /./],
    ['group: member does not exist', () => core.groups.addMember(admin, parseInputOf('groups.addMember', { groupId, userId: 4242 })), 'userId', /no user with id 4242/],
    ['resource: no actions', () => core.rights.addResource(admin, parseInputOf('rights.addResource', { name: 'files', actions: [] })), 'actions', /at least one action/],
    ['resource: action twice', () => core.rights.addResource(admin, parseInputOf('rights.addResource', { name: 'files', actions: ['read', 'read'] })), 'actions', /listed twice/],
    ['resource: uppercase name', () => core.rights.addResource(admin, parseInputOf('rights.addResource', { name: 'Files', actions: ['read'] })), 'name', /lowercase/],
    ['resource: bad filter name', () => core.rights.updateResource(admin, parseInputOf('rights.updateResource', { id: resourceId, filters: [{ name: 'only mine' }] })), 'filters.0.name', /lowercase/],
    ['mailbox: bad address', () => core.mailboxes.create(admin, parseInputOf('mailboxes.create', { address: 'info at example' })), 'address', /valid email/],
    ['mailbox: long display name', () => core.mailboxes.update(admin, parseInputOf('mailboxes.update', { id: mailboxId, displayName: 'n'.repeat(129) })), 'displayName', /at most 128/],
    ['mailbox: display name with an override', () => core.mailboxes.create(admin, parseInputOf('mailboxes.create', { address: 'x@example.com', displayName: 'Info \u202eknab' })), 'displayName', /U\+202E/],
    ['mailbox: display name mangled', () => core.mailboxes.update(admin, parseInputOf('mailboxes.update', { id: mailboxId, displayName: 'Inf\ufffd' })), 'displayName', /U\+FFFD/],
    ['mailbox: assign a person', () => core.mailboxes.assign(admin, parseInputOf('mailboxes.assign', { mailboxId, userId: (admin as { userId: number }).userId })), 'userId', /is a person/],
    ['login: empty password', () => core.auth.login(parseInputOf('auth.login', { name: 'alice', password: '' })), 'password', /Password is required/],
    ['password change: new too short', () => core.auth.changePassword(admin, parseInputOf('auth.changePassword', { currentPassword: 'correct horse battery', newPassword: 'short' })), 'newPassword', /at least 12/],
  ];

  describe('bad input names the field and changes nothing', () => {
    test.each(cases)('%s', async (_what, call, field, message) => {
      const before = await snapshot();
      let caught: unknown;
      try {
        await call();
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(AppError);
      const error = caught as AppError;
      expect(error.code).toBe('validation');
      expect(Object.keys(error.fields ?? {})).toContain(field);
      expect(error.fields![field]).toMatch(message);
      expect(await snapshot()).toBe(before);
    });
  });
});
