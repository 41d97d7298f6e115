import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write.js';

/**
 * A note in the data folder saying a token server runs on it, and where integrators reach it. Another
 * process on the same folder (the CLI beside `keyrack serve`, the desktop app beside a headless server)
 * reads it: `credentials export` names the server's real URL instead of guessing one from the settings,
 * and `server settings set` can say that the running server needs a restart. Nothing secret is in it.
 */
export const RUNNING_RECORD_FILE = 'token-server.running.json';

export interface RunningServerRecord {
  /** The process that runs the server; a record whose process is gone is stale and ignored. */
  pid: number;
  /** The server's issuer (the issuer setting, or its own URL) as it answers right now. */
  issuer: string;
  urls: string[];
  tls: boolean;
  tlsSource: 'generated' | 'installed' | null;
  host: string;
  port: number;
  startedAt: number;
}

export function writeRunningRecord(dataDir: string, record: RunningServerRecord): void {
  writeFileAtomic(join(dataDir, RUNNING_RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`);
}

/** Removes the record, but only this process's own (another server may have started on the folder since). */
export function removeRunningRecord(dataDir: string, pid = process.pid): void {
  const current = readRecordFile(dataDir);
  if (current && current.pid !== pid) return;
  rmSync(join(dataDir, RUNNING_RECORD_FILE), { force: true });
}

/** The record of a server that runs now, or null (none written, unreadable, or its process has ended). */
export function readRunningRecord(dataDir: string): RunningServerRecord | null {
  const record = readRecordFile(dataDir);
  return record && processAlive(record.pid) ? record : null;
}

function readRecordFile(dataDir: string): RunningServerRecord | null {
  let text: string;
  try {
    text = readFileSync(join(dataDir, RUNNING_RECORD_FILE), 'utf8');
  } catch {
    return null;
  }
  try {
    const parsed = JSON.parse(text) as Partial<RunningServerRecord>;
    if (typeof parsed.pid !== 'number' || typeof parsed.issuer !== 'string' || typeof parsed.port !== 'number') return null;
    return parsed as RunningServerRecord;
  } catch {
    return null;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0: only asks whether the process exists
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user (still a live server).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
