import { afterEach, beforeEach, expect, test } from 'vitest';
import { parseInputOf } from '../../shared/contract.js';
import { ForbiddenError } from '../../shared/errors.js';
import type { Actor } from '../../electron/services/context.js';
import { coreWithAdmin, type TestCore } from '../support/core.js';
import { powerlessPerson } from '../support/fixtures.js';

let core: TestCore;
let admin: Actor;
beforeEach(async () => ({ core, admin } = await coreWithAdmin()));
afterEach(() => core.cleanup());

const MINUTE = 60_000;

async function history() {
  const start = core.clock.now(); // setup.completed is at `start`
  core.clock.advance(MINUTE);
  const crm = await core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'CRM' })); // user.created + secret.added at +1
  core.clock.advance(MINUTE);
  const erp = await core.users.createApiUser(admin, parseInputOf('users.createApiUser', { name: 'ERP' })); // +2
  core.clock.advance(MINUTE);
  await core.users.disable(admin, { id: crm.user.id }); // +3
  core.clock.advance(MINUTE);
  await core.auth.login({ name: 'alice', password: 'wrong password' }, '10.1.2.3').catch(() => {}); // +4
  return { start, crm: crm.user.id, erp: erp.user.id };
}

test('newest first, with filters for time, actor, user, type, outcome and free text', async () => {
  const { start, crm } = await history();
  const all = (await core.log.search(admin, parseInputOf('log.search', {}))).rows;
  expect(all.map((e) => e.type)).toEqual([
    'auth.login', 'user.disabled', 'secret.added', 'user.created', 'secret.added', 'user.created', 'setup.completed',
  ]);
  expect((await core.log.search(admin, parseInputOf('log.search', { targetUserId: crm }))).rows.map((e) => e.type)).toEqual(['user.disabled', 'secret.added', 'user.created']);
  expect((await core.log.search(admin, parseInputOf('log.search', { type: 'user.created' }))).rows.map((e) => e.targetName)).toEqual(['ERP', 'CRM']);
  expect((await core.log.search(admin, parseInputOf('log.search', { outcome: 'failure' }))).rows).toMatchObject([{ reason: 'wrong_password', sourceIp: '10.1.2.3' }]);
  expect((await core.log.search(admin, parseInputOf('log.search', { since: start + 2 * MINUTE, until: start + 3 * MINUTE }))).rows.map((e) => e.type)).toEqual([
    'user.disabled', 'secret.added', 'user.created',
  ]);
  expect((await core.log.search(admin, parseInputOf('log.search', { actor: 'ALICE', type: 'user.disabled' }))).rows).toHaveLength(1);
  expect((await core.log.search(admin, parseInputOf('log.search', { text: '10.1.2' }))).rows.map((e) => e.type)).toEqual(['auth.login']);
  expect((await core.log.search(admin, parseInputOf('log.search', { text: 'keyrack-erp' }))).rows.map((e) => e.type)).toEqual(['user.created']); // in details
});

test('free text: every word a prefix; words are split at punctuation, so a part of a dotted name finds it', async () => {
  await history();
  const types = async (text: string) => (await core.log.search(admin, parseInputOf('log.search', { text }))).rows.map((e) => e.type);
  expect(await types('disabled')).toEqual(['user.disabled']); // the second half of user.disabled
  expect(await types('user.dis')).toEqual(['user.disabled']); // a phrase, its last word a prefix
  expect(await types('10.1.2')).toEqual(['auth.login']);
  expect(await types('10.1.3')).toEqual([]);
  expect(await types('1.2.3')).toEqual(['auth.login']); // the phrase need not start the address
  expect(await types('wrong pass')).toEqual(['auth.login']); // every word, each a prefix: wrong_password
  expect(await types('erp created')).toEqual(['user.created']);
  expect(await types('erp disabled')).toEqual([]);
  expect(await types('"; DROP TABLE audit_events; --')).toEqual([]); // never FTS or SQL syntax
});

test('keyset paging walks every event exactly once', async () => {
  await history();
  const seen: number[] = [];
  let before: number | undefined;
  for (;;) {
    const page = await core.log.search(admin, { limit: 2, before });
    seen.push(...page.rows.map((e) => e.id));
    if (page.nextCursor === null) break;
    before = page.nextCursor;
  }
  expect(seen).toEqual((await core.log.search(admin, parseInputOf('log.search', {}))).rows.map((e) => e.id));
  expect(new Set(seen).size).toBe(7);
});

test('bad queries name the field', async () => {
  await expect(async () => core.log.search(admin, parseInputOf('log.search', { since: 10, until: 5 }))).rejects.toThrow('since: The start of the range must not be after its end');
  await expect(async () => core.log.search(admin, parseInputOf('log.search', { type: 'made.up' }))).rejects.toThrow(/^type: /);
  await expect(async () => core.log.search(admin, parseInputOf('log.search', { limit: 10_000 }))).rejects.toThrow('limit: At most 500 events a page');
});

test('reading the log needs log.view', async () => {
  const bob = await powerlessPerson(core, admin);
  await expect(async () => core.log.search(bob, parseInputOf('log.search', {}))).rejects.toThrow(ForbiddenError);
});
