import { afterEach, beforeEach, expect, test } from 'vitest';
import { dispatch } from '../../electron/ipc/dispatch.js';
import { createHandlers, memorySessionSlot, type CallContext, type Handlers } from '../../electron/ipc/handlers.js';
import { makeCore, type TestCore } from '../support/core.js';

/** The activation channels through dispatch, as the renderer calls them: session, schema, result shapes. */
let core: TestCore;
let handlers: Handlers;
let ctx: CallContext;
beforeEach(async () => {
  core = makeCore();
  handlers = createHandlers(core);
  ctx = { session: memorySessionSlot() };
  await dispatch(handlers, 'auth.setup', { name: 'alice', password: 'correct horse battery' }, ctx);
});
afterEach(() => core.cleanup());

test('create (defaults filled in by the schema), list, revoke; pending is empty; bad input comes back as fields', async () => {
  const created = await dispatch(handlers, 'activations.create', { name: 'Acme' }, ctx);
  expect(created).toMatchObject({
    ok: true,
    value: { code: expect.stringMatching(/^kra_/), activation: { name: 'Acme', maxRegistrations: 1, requiresApproval: false, status: 'active' } },
  });
  const id = (created as { value: { activation: { id: number } } }).value.activation.id;
  expect(await dispatch(handlers, 'activations.list', {}, ctx)).toMatchObject({ ok: true, value: [{ id, name: 'Acme' }] });
  // The list never carries the code or its hash.
  expect(JSON.stringify(await dispatch(handlers, 'activations.list', {}, ctx))).not.toMatch(/kra_|codeHash|code_hash/);
  expect(await dispatch(handlers, 'activations.revoke', { id }, ctx)).toMatchObject({ ok: true, value: { status: 'revoked', revokedBy: 'alice' } });
  expect(await dispatch(handlers, 'registrations.pending', {}, ctx)).toEqual({ ok: true, value: [] });
  expect(await dispatch(handlers, 'registrations.approve', { id: 99 }, ctx)).toMatchObject({ ok: false, error: { code: 'not_found' } });
  expect(await dispatch(handlers, 'activations.create', { name: 'Bad', maxRegistrations: 0, extra: 1 }, ctx)).toMatchObject({
    ok: false,
    error: { code: 'validation', fields: { maxRegistrations: expect.any(String) } },
  });
  expect(await dispatch(handlers, 'registrations.list', { state: 'approved' }, ctx)).toMatchObject({ ok: false, error: { code: 'validation' } });
});

test('every activation channel needs a session', async () => {
  const stranger: CallContext = { session: memorySessionSlot() };
  for (const channel of ['activations.list', 'registrations.pending'] as const) {
    expect(await dispatch(handlers, channel, {}, stranger)).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
  }
});
