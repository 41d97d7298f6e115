import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { dispatch } from '../../electron/ipc/dispatch.js';
import { createHandlers, memorySessionSlot, type CallContext, type Handlers } from '../../electron/ipc/handlers.js';
import { keyrack } from '../support/cli.js';
import { makeCore, type TestCore } from '../support/core.js';

let core: TestCore;
let handlers: Handlers;
const slot = (): CallContext => ({ session: memorySessionSlot() });
const ALICE = { name: 'alice', password: 'correct horse battery' };
const BOB = { name: 'bob', password: 'another long password' };

beforeEach(() => {
  core = makeCore();
  handlers = createHandlers(core);
});
afterEach(() => core.cleanup());

async function loggedIn(who: { name: string; password: string }): Promise<CallContext> {
  const ctx = slot();
  expect(await dispatch(handlers, 'auth.login', who, ctx)).toMatchObject({ ok: true });
  return ctx;
}

const canCall = async (ctx: CallContext) => (await dispatch(handlers, 'groups.list', {}, ctx)).ok;

describe('sessions after a password change (issue 13 item 1)', () => {
  test("an administrator's reset ends the person's sessions; the administrator's own goes on", async () => {
    const admin = slot();
    await dispatch(handlers, 'auth.setup', ALICE, admin);
    const created = await dispatch(handlers, 'users.createPerson', BOB, admin);
    const bobId = (created as { ok: true; value: { id: number } }).value.id;
    const bobWindow = await loggedIn(BOB);
    const bobBrowser = await loggedIn(BOB);
    expect(await canCall(bobWindow)).toBe(true);

    expect(await dispatch(handlers, 'users.resetPassword', { id: bobId, newPassword: 'bob has a new one' }, admin)).toEqual({ ok: true, value: null });
    expect(await dispatch(handlers, 'groups.list', {}, bobWindow)).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(await dispatch(handlers, 'auth.status', {}, bobBrowser)).toMatchObject({ ok: true, value: { session: null } });
    expect(await canCall(admin)).toBe(true);
    // With the new password, bob is back.
    expect(await canCall(await loggedIn({ name: 'bob', password: 'bob has a new one' }))).toBe(true);
  });

  test('changing your own password keeps you logged in where you changed it, and ends your other sessions', async () => {
    const here = slot();
    await dispatch(handlers, 'auth.setup', ALICE, here);
    const elsewhere = await loggedIn(ALICE);
    const changed = await dispatch(handlers, 'auth.changePassword', { currentPassword: ALICE.password, newPassword: 'alice has a new one' }, here);
    expect(changed).toEqual({ ok: true, value: null });
    expect(await canCall(here)).toBe(true);
    expect(await dispatch(handlers, 'auth.status', {}, here)).toMatchObject({ value: { session: { name: 'alice' } } });
    expect(await canCall(elsewhere)).toBe(false);
  });

  test('a reset from the CLI (another process, same store) ends the sessions of the app too', async () => {
    const here = slot();
    await dispatch(handlers, 'auth.setup', ALICE, here);
    expect(await canCall(here)).toBe(true);
    expect((await keyrack(core.dataDir, ['people', 'passwd', 'alice', '--password-stdin'], 'set from the command line')).code).toBe(0);
    expect(await canCall(here)).toBe(false);
  });
});
