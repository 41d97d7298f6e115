import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Owner read/write only: credential files, certificates and wrapped keys. */
export const OWNER_ONLY = 0o600;

/**
 * Writes a file so that a reader (or a crash) sees either the old content or the whole new content, never
 * a half-written file: a uniquely named temp file in the same folder (same filesystem, so rename is atomic),
 * created exclusively with the final mode, written, fsynced, renamed over the target, then the folder fsynced
 * so the rename itself survives a power loss. On any failure the temp file is removed.
 */
export function writeFileAtomic(path: string, data: string | Buffer, mode = OWNER_ONLY): void {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  // 'wx': never follow or reuse an existing file at the temp name.
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
    // The umask may have narrowed the mode at creation; never widened, but set it exactly.
    chmodSync(temp, mode);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  fsyncDirectory(dir);
}

function fsyncDirectory(dir: string): void {
  if (process.platform === 'win32') return; // folders cannot be opened for fsync on Windows
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
