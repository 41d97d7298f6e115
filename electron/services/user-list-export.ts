import type { ParsedInputOf } from '../../shared/contract.js';
import { AppError } from '../../shared/errors.js';
import type { UserDetail } from '../../shared/dto.js';
import type { SavedFile } from '../../shared/server.dto.js';
import type { Core } from '../core.js';
import { EXPORT_FILE_MODE } from '../shell/save-file.js';
import { recordEvent } from './audit.js';
import { authorize } from './authorize.js';
import type { Actor } from './context.js';
import { csvRecord, UTF8_BOM } from './csv.js';
import type { HandlerRuntime } from './runtime.js';

/** The columns of the Users list export, in order: what the user pages show, never a secret. */
export const USER_LIST_COLUMNS = [
  'name', 'kind', 'email', 'client_id', 'status', 'expired', 'expires_at', 'groups', 'mailboxes', 'allowlist',
  'token_lifetime_seconds', 'next_secret_expiry', 'last_used_at', 'last_used_ip', 'created_at', 'created_by',
] as const;

/**
 * The users selected on the Users page as a CSV file for a spreadsheet (an inventory, a review with the
 * integrator). Every user is read (and an unknown id refused) before the save dialog opens, so a failed
 * export asks nothing; the export is logged once it is saved, with the names it holds. The file is written
 * owner-only: it lists client ids and where each API user may call from.
 */
export async function exportUserList(
  core: Core,
  runtime: HandlerRuntime,
  actor: Actor,
  { ids }: ParsedInputOf<'users.export'>,
): Promise<SavedFile> {
  // Whoever may see the users may take the list (the same rule as the Users page); the export is logged.
  await authorize(core.deps, actor, null, 'user.exported');
  const saveFile = runtime.saveFile;
  if (!saveFile) throw new AppError('not_found', 'Saving files is not available here');
  const users = (await core.users.showMany(actor, ids)).sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) || a.id - b.id);
  const outcome = await saveFile({
    defaultName: `keyrack-users-${isoDay(core.deps.clock.now())}.csv`,
    content: userListCsv(users),
    mode: EXPORT_FILE_MODE,
    filters: [{ name: 'CSV', extensions: ['csv'] }],
  });
  if (outcome.saved) {
    await recordEvent(core.deps.store, core.deps, actor, {
      type: 'user.exported',
      details: { count: users.length, names: users.map((u) => u.name), path: outcome.path },
    });
  }
  return outcome;
}

/** The file: a BOM so spreadsheets read UTF-8, a header row, one row per user; lists are joined by "; ". */
export function userListCsv(users: readonly UserDetail[]): string {
  const rows = users.map((u) =>
    csvRecord([
      u.name,
      u.kind,
      u.email,
      u.clientId,
      u.status,
      u.expired ? 'yes' : 'no',
      isoTime(u.expiresAt),
      u.groups.map((g) => g.name).join('; '),
      u.mailboxes.map((m) => m.address).join('; '),
      u.allowlist.map((e) => e.entry).join('; '),
      u.tokenLifetimeSeconds,
      isoTime(u.nextSecretExpiry),
      isoTime(u.lastUsedAt),
      u.lastUsedIp,
      isoTime(u.createdAt),
      u.createdBy,
    ]),
  );
  return UTF8_BOM + csvRecord(USER_LIST_COLUMNS) + rows.join('');
}

function isoTime(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
