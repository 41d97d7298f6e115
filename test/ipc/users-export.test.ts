import { readdirSync, readFileSync, statSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { Channel, InputOf } from '../../shared/contract.js';
import { dispatch } from '../../electron/ipc/dispatch.js';
import { valueOf } from './support.js';
import { createHandlers, memorySessionSlot, type CallContext, type Handlers } from '../../electron/ipc/handlers.js';
import { USER_LIST_COLUMNS } from '../../electron/services/user-list-export.js';
import type { SaveFile } from '../../electron/shell/save-file.js';
import { saveToFolder } from '../../electron/web-bridge/save-to-folder.js';
import { coreWithAdmin, tempDir, type TestCore } from '../support/core.js';
import { events, powerlessPerson, seedCatalogue } from '../support/fixtures.js';
import { parseCsv } from '../log/parse-csv.js';

let core: TestCore;
let saveDir: string;
let saveFile: ReturnType<typeof vi.fn<SaveFile>>;
let handlers: Handlers;
let admin: CallContext;
let bob: CallContext;

beforeEach(async () => {
  const made = await coreWithAdmin();
  core = made.core;
  await powerlessPerson(core, made.admin, 'bob');
  saveDir = tempDir('keyrack-saves-');
  saveFile = vi.fn<SaveFile>(saveToFolder(saveDir));
  handlers = createHandlers(core, { saveFile });
  admin = { session: memorySessionSlot() };
  bob = { session: memorySessionSlot() };
  await dispatch(handlers, 'auth.login', { name: 'alice', password: 'correct horse battery' }, admin);
  await dispatch(handlers, 'auth.login', { name: 'bob', password: 'another long password' }, bob);
});
afterEach(() => core.cleanup());

const call = <C extends Channel>(channel: C, input: InputOf<C>, who: CallContext = admin) => dispatch(handlers, channel, input, who);
const value = <C extends Channel>(channel: C, input: InputOf<C>, who: CallContext = admin) => valueOf(handlers, channel, input, who);
async function savedPath(input: InputOf<'users.export'>, who: CallContext = admin): Promise<string> {
  const outcome = await value('users.export', input, who);
  if (!outcome.saved) throw new Error('not saved');
  return outcome.path;
}
const exportEvents = () => events(core).filter((e) => e.type === 'user.exported');

async function twoApiUsers() {
  const cli = { kind: 'cli', name: 'cli:test' } as const;
  const { group, mailbox } = await seedCatalogue(core, cli);
  const crm = await value('users.createApiUser', {
    name: 'CRM Sync',
    groupIds: [group.id],
    mailboxIds: [mailbox.id],
    allowlist: ['192.0.2.0/24', '2001:db8::7'],
  });
  // A name a spreadsheet would run as a formula, with a comma and a quote: written as inert text.
  const odd = await value('users.createApiUser', { name: '=HYPERLINK("x"), Inc' });
  return { crm, odd };
}

describe('users.export', () => {
  test('the selected users as CSV: header, one row each by name, owner-only, no secret; logged with the names', async () => {
    const { crm, odd } = await twoApiUsers();
    const path = await savedPath({ ids: [crm.user.id, odd.user.id] });
    expect(path).toMatch(/keyrack-users-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(statSync(path).mode & 0o777).toBe(0o600);

    const text = readFileSync(path, 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text).not.toContain(crm.secret);
    expect(text).not.toContain(odd.secret);
    const [header, first, second, ...rest] = parseCsv(text.slice(1));
    expect(header).toEqual([...USER_LIST_COLUMNS]);
    expect(rest).toEqual([]);
    const row = (cells: string[] | undefined) => Object.fromEntries(USER_LIST_COLUMNS.map((c, i) => [c, cells?.[i]]));
    // Sorted by name: "=HYPERLINK…" sorts before "CRM Sync" and keeps its quote prefix.
    expect(row(first)).toMatchObject({ name: `'=HYPERLINK("x"), Inc`, kind: 'api', status: 'active', groups: '', allowlist: '' });
    expect(row(second)).toMatchObject({
      name: 'CRM Sync',
      kind: 'api',
      email: '',
      client_id: crm.clientId,
      status: 'active',
      expired: 'no',
      expires_at: '',
      groups: 'Website',
      mailboxes: 'info@example.com',
      allowlist: '192.0.2.0/24; 2001:db8::7',
      created_by: 'alice',
      created_at: new Date(crm.user.createdAt).toISOString(),
      last_used_at: '',
    });

    expect(exportEvents()).toEqual([
      expect.objectContaining({
        actorName: 'alice',
        outcome: 'success',
        details: { count: 2, names: ['=HYPERLINK("x"), Inc', 'CRM Sync'], path },
      }),
    ]);
  });

  test('people can be exported too; whoever may see the Users page may export it', async () => {
    const ids = (await value('users.list', {}, bob)).rows.map((u) => u.id);
    const rows = parseCsv(readFileSync(await savedPath({ ids }, bob), 'utf8').slice(1));
    expect(rows.slice(1).map((r) => [r[0], r[1]])).toEqual([
      ['alice', 'person'],
      ['bob', 'person'],
    ]);
    expect(rows[1]![7]).toBe('Administrators');
  });

  test('a cancelled save dialog writes and logs nothing', async () => {
    const { crm } = await twoApiUsers();
    saveFile.mockResolvedValueOnce({ saved: false });
    expect(await call('users.export', { ids: [crm.user.id] })).toEqual({ ok: true, value: { saved: false } });
    expect(exportEvents()).toEqual([]);
  });

  test('bad input is refused before the dialog opens: nothing asked, written or logged', async () => {
    const { crm } = await twoApiUsers();
    expect(await call('users.export', { ids: [] })).toMatchObject({
      ok: false,
      error: { code: 'validation', fields: { ids: 'Choose at least one user' } },
    });
    expect(await call('users.export', { ids: [crm.user.id, crm.user.id] })).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(await call('users.export', { ids: [crm.user.id, 9999] })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await call('users.export', { ids: [crm.user.id], path: '/tmp/x' } as never)).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(saveFile).not.toHaveBeenCalled();
    expect(readdirSync(saveDir)).toEqual([]);
    expect(exportEvents()).toEqual([]);
  });

  test('without a save dialog (a runtime with none) the channel says so and writes nothing', async () => {
    const bare = createHandlers(core, {});
    const session = { session: memorySessionSlot() };
    await dispatch(bare, 'auth.login', { name: 'alice', password: 'correct horse battery' }, session);
    expect(await dispatch(bare, 'users.export', { ids: [1] }, session)).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});
