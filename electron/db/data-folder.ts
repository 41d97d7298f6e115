import { execFileSync } from 'node:child_process';
import { chmodSync, closeSync, lstatSync, mkdirSync, openSync, readdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, relative } from 'node:path';
import { MASTER_KEY_FILE } from '../crypto/key-wrap.js';

/** Owner-only: the data folder and every folder in it. */
export const FOLDER_MODE = 0o700;
/** Owner-only: every file in the data folder (the store, its -wal/-shm, archives, exports, wrapped keys). */
export const FILE_MODE = 0o600;

export interface FolderSecurity {
  /** Paths (relative to the data folder, `.` for itself) whose mode was wider than owner-only and was narrowed. */
  tightened: string[];
  /** What could not be narrowed (a file owned by someone else, a Windows ACL that icacls refused). */
  failed: string[];
}

export interface SecureOptions {
  platform?: NodeJS.Platform;
  /** Windows only: runs icacls (tests pass a fake; the real one is untested on these Linux machines). */
  icacls?: (args: string[]) => void;
}

/**
 * Creates the data folder owner-only, or narrows an existing one: the folder holds password hashes,
 * secret hashes, wrapped signing keys and the whole log, and the umask (often 022) would otherwise leave
 * `keyrack.db`, its `-wal`/`-shm` and the archives readable by every local user. Runs at every open, so a
 * folder copied in, restored from a backup or created by an older version is fixed the next time.
 *
 * POSIX: every folder 0700 and every file 0600, walking the whole folder (a few dozen entries, and one
 * per archive or export: microseconds each). Symbolic links are left alone, never followed. The master
 * key file is the exception: one that others could read is refused (electron/crypto/key-wrap.ts), not
 * quietly fixed, because it may already have been read and the admin must decide whether to replace it.
 *
 * Windows: modes mean nothing there; the folder's ACL is replaced by one entry, full control for the
 * current user, inherited by everything inside (icacls /inheritance:r /grant:r). Untested here.
 */
export function secureDataFolder(dataDir: string, options: SecureOptions = {}): FolderSecurity {
  const platform = options.platform ?? process.platform;
  mkdirSync(dataDir, { recursive: true, mode: FOLDER_MODE });
  const report: FolderSecurity = { tightened: [], failed: [] };
  if (platform === 'win32') {
    restrictWindowsAcl(dataDir, options.icacls ?? runIcacls, report);
    return report;
  }
  walk(dataDir, dataDir, report);
  return report;
}

/**
 * Creates `file` empty and owner-only if it does not exist, so SQLite (which gives `-wal` and `-shm` the
 * mode of the database file) never creates the store with the umask's mode. An empty file is a valid new
 * database. Then narrows the store's files, which SQLite may have created since the folder was walked.
 */
export function secureStoreFiles(dataDir: string, file: string, report: FolderSecurity, platform = process.platform): void {
  if (platform === 'win32') return; // the folder's inherited ACL covers them
  closeSync(openSync(file, 'a', FILE_MODE));
  for (const path of [file, `${file}-wal`, `${file}-shm`]) tighten(dataDir, path, FILE_MODE, report);
}

/** The one line an open says when it narrowed anything (null when there was nothing to say). */
export function describeFolderSecurity(dataDir: string, report: FolderSecurity): string | null {
  const lines: string[] = [];
  if (report.tightened.length > 0) {
    lines.push(
      `Made the data folder owner-only (folders 0700, files 0600): ${report.tightened.join(', ')} in ${dataDir} ` +
        'could be read by other users.',
    );
  }
  if (report.failed.length > 0) lines.push(`Could not make these owner-only in ${dataDir}: ${report.failed.join('; ')}.`);
  return lines.length > 0 ? lines.join('\n') : null;
}

function walk(root: string, dir: string, report: FolderSecurity): void {
  tighten(root, dir, FOLDER_MODE, report);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(root, path, report);
    else if (entry.isFile() && !(dir === root && entry.name === MASTER_KEY_FILE)) tighten(root, path, FILE_MODE, report);
  }
}

/** Narrows `path` to `mode` when group or others have any bit; never widens. */
function tighten(root: string, path: string, mode: number, report: FolderSecurity): void {
  let current: number;
  try {
    current = lstatSync(path).mode;
  } catch {
    return; // gone meanwhile (a -wal file the last connection removed)
  }
  if ((current & 0o077) === 0) return;
  const name = relative(root, path) || '.';
  try {
    chmodSync(path, current & mode & 0o777);
    report.tightened.push(name);
  } catch (error) {
    report.failed.push(`${name} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

function restrictWindowsAcl(dataDir: string, icacls: (args: string[]) => void, report: FolderSecurity): void {
  const user = process.env.USERDOMAIN ? `${process.env.USERDOMAIN}\\${userInfo().username}` : userInfo().username;
  try {
    // /inheritance:r drops what the parent grants (Users, Authenticated Users); /grant:r replaces the
    // user's entries with full control, inherited by files (OI) and folders (CI) inside.
    icacls([dataDir, '/inheritance:r', '/grant:r', `${user}:(OI)(CI)F`, '/q']);
  } catch (error) {
    report.failed.push(`. (icacls: ${(error as Error).message.split('\n')[0]})`);
  }
}

function runIcacls(args: string[]): void {
  execFileSync('icacls', args, { stdio: 'pipe', windowsHide: true });
}
