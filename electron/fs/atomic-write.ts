import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, createWriteStream, fsyncSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';

/**
 * Every file Keyrack replaces is written here, so that a reader, or a crash at any point, sees either the
 * old content or the whole new content, never part of it:
 *   1. a temp file in the same folder (same filesystem, so the rename is atomic), created exclusively
 *      ('wx': never follows or reuses a file at that name) with the final mode;
 *   2. the content written and fsynced: it is on disk before any name points at it;
 *   3. the mode set exactly (the umask may have narrowed it at creation), then renamed over the target;
 *   4. the folder fsynced, so the rename itself survives a power cut.
 * A failure removes the temp file; one left behind by a process that was killed is removed by the next
 * write of the same file. Only imports node built-ins: test/fs/atomic-write.test.ts runs it in a child
 * process it kills at each of those steps.
 */

/** Owner read/write only: credential files, wrapped keys, exports, archives. */
export const OWNER_ONLY = 0o600;

/** Writes `data` to `path` atomically, with `mode` exactly. Throws ENOENT when the folder does not exist. */
export function writeFileAtomic(path: string, data: string | Buffer, mode = OWNER_ONLY): void {
  const temp = tempPathFor(path);
  const fd = openSync(temp, 'wx', mode);
  try {
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      let offset = 0;
      while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    replaceWith(temp, path, mode);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  fsyncFolder(dirname(path));
}

export interface AtomicWriteStream {
  /** Writes go to the temp file; the target is untouched until commit. */
  stream: Writable;
  /**
   * Ends the stream (unless its writer, e.g. a pipe, already did), waits until the temp file is flushed,
   * fsynced and closed, then puts it in place like writeFileAtomic. On failure the temp file is removed.
   */
  commit(): Promise<void>;
  /** Drops the temp file (a cancelled or failed write); the target is left as it was. */
  abort(): Promise<void>;
}

/** writeFileAtomic for content too large to hold in memory (a log export or archive of a million events). */
export function openAtomicWriteStream(path: string, mode = OWNER_ONLY): AtomicWriteStream {
  const temp = tempPathFor(path);
  // flush: fsync before the stream closes, on the descriptor that wrote (step 2).
  const stream = createWriteStream(temp, { flags: 'wx', mode, flush: true });
  const closed = new Promise<void>((resolve, reject) => {
    stream.once('close', resolve);
    stream.once('error', reject);
  });
  // Errors surface through commit()/abort(); without a listener an early error would crash the process.
  closed.catch(() => undefined);
  return {
    stream,
    async commit() {
      if (!stream.writableEnded) stream.end();
      try {
        await closed;
        replaceWith(temp, path, mode);
      } catch (error) {
        rmSync(temp, { force: true });
        throw error;
      }
      fsyncFolder(dirname(path));
    },
    async abort() {
      stream.destroy();
      await closed.catch(() => undefined);
      rmSync(temp, { force: true });
    },
  };
}

/** Step 3, the same for both kinds of write. */
function replaceWith(temp: string, path: string, mode: number): void {
  chmodSync(temp, mode);
  renameSync(temp, path);
}

/**
 * A fresh temp name beside `path`: hidden, and naming the writing process, so that removeAbandonedTemps can
 * tell a temp file left by a killed process from one that another process is writing right now.
 */
function tempPathFor(path: string): string {
  removeAbandonedTemps(path);
  return join(dirname(path), `${tempPrefix(path)}${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

const tempPrefix = (path: string) => `.${basename(path)}.`;
const TEMP_SUFFIX = /^(\d+)\.[0-9a-f]{12}\.tmp$/;

/**
 * Removes earlier temp files of `path` whose process is gone (killed, or the machine lost power): each may
 * hold a secret, and nothing else would ever remove it. A temp file of a live process is another write in
 * progress (the CLI beside the app) and stays. Best effort: a folder that cannot be listed still takes
 * the write, and the write itself reports what is really wrong with the folder.
 */
function removeAbandonedTemps(path: string): void {
  const prefix = tempPrefix(path);
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = TEMP_SUFFIX.exec(name.slice(prefix.length))?.[1];
    if (pid === undefined || processIsAlive(Number(pid))) continue;
    rmSync(join(dirname(path), name), { force: true });
  }
}

function processIsAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0); // signal 0: only asks whether the process exists
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Step 4. */
function fsyncFolder(dir: string): void {
  // Windows cannot open a folder for fsync (there is no such call for folders there): the rename is still
  // atomic, but may reach the disk a moment after this returns.
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
