import { chmodSync, mkdirSync, rmSync, statSync, lstatSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { openCore } from '../../electron/core.js';
import { MASTER_KEY_FILE } from '../../electron/crypto/key-wrap.js';
import { secureDataFolder } from '../../electron/db/data-folder.js';
import { DATABASE_FILE } from '../../electron/paths.js';
import { keyrack } from '../support/cli.js';
import { tempDir } from '../support/core.js';

const modeOf = (path: string) => statSync(path).mode & 0o777;

// What most desktops and servers run with: new files 0644, new folders 0755.
let umask: number;
beforeAll(() => {
  umask = process.umask(0o022);
});
afterAll(() => {
  process.umask(umask);
});

let parent: string;
let data: string;
beforeEach(() => {
  parent = tempDir('keyrack-modes-');
  data = join(parent, 'data');
});
afterEach(() => rmSync(parent, { recursive: true, force: true }));

// POSIX modes (0700/0600) do not exist on Windows, where the folder gets an ACL instead: that path is the
// icacls call tested below, not these modes.
describe.skipIf(process.platform === 'win32')('the data folder is owner-only on every open', () => {
  test('a new store: the folder 0700, keyrack.db and its -wal and -shm 0600 while open, nothing said', () => {
    const notices: string[] = [];
    const core = openCore({ dataDir: data, onNotice: (m) => notices.push(m) });
    try {
      expect(modeOf(data)).toBe(0o700);
      for (const name of [DATABASE_FILE, `${DATABASE_FILE}-wal`, `${DATABASE_FILE}-shm`]) expect(modeOf(join(data, name))).toBe(0o600);
    } finally {
      core.close();
    }
    expect(notices).toEqual([]);
  });

  test('an existing folder left readable by others is narrowed, said once, and not again', () => {
    openCore({ dataDir: data }).close();
    // As an older version, a restore or a copy with umask 022 leaves it.
    chmodSync(data, 0o755);
    chmodSync(join(data, DATABASE_FILE), 0o644);
    mkdirSync(join(data, 'log-archive'), { mode: 0o755 });
    chmodSync(join(data, 'log-archive'), 0o755);
    writeFileSync(join(data, 'log-archive', 'audit-1-9-x.jsonl.gz'), 'x', { mode: 0o644 });
    mkdirSync(join(data, 'exports', 'deep'), { recursive: true, mode: 0o755 });
    chmodSync(join(data, 'exports'), 0o755);
    writeFileSync(join(data, 'exports', 'deep', 'log.csv'), 'x', { mode: 0o664 });
    mkdirSync(join(data, 'tls'), { mode: 0o700 });
    writeFileSync(join(data, 'tls', 'ca.key.wrapped'), 'x', { mode: 0o640 });
    writeFileSync(join(data, MASTER_KEY_FILE), 'x', { mode: 0o644 });
    const outside = join(parent, 'outside.txt');
    writeFileSync(outside, 'x', { mode: 0o644 });
    symlinkSync(outside, join(data, 'link'));

    const notices: string[] = [];
    openCore({ dataDir: data, onNotice: (m) => notices.push(m) }).close();

    expect(modeOf(data)).toBe(0o700);
    expect(modeOf(join(data, DATABASE_FILE))).toBe(0o600);
    expect(modeOf(join(data, 'log-archive'))).toBe(0o700);
    expect(modeOf(join(data, 'log-archive', 'audit-1-9-x.jsonl.gz'))).toBe(0o600);
    expect(modeOf(join(data, 'exports'))).toBe(0o700);
    expect(modeOf(join(data, 'exports', 'deep'))).toBe(0o700);
    expect(modeOf(join(data, 'exports', 'deep', 'log.csv'))).toBe(0o600);
    expect(modeOf(join(data, 'tls', 'ca.key.wrapped'))).toBe(0o600);
    // Refused by the key wrapper with its chmod line, not silently fixed: it may already have been read.
    expect(modeOf(join(data, MASTER_KEY_FILE))).toBe(0o644);
    // A link is never followed out of the folder.
    expect(lstatSync(join(data, 'link')).isSymbolicLink()).toBe(true);
    expect(modeOf(outside)).toBe(0o644);

    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/^Made the data folder owner-only \(folders 0700, files 0600\): /);
    for (const name of ['.', DATABASE_FILE, 'log-archive', join('exports', 'deep', 'log.csv'), join('tls', 'ca.key.wrapped')]) {
      expect(notices[0]).toContain(name);
    }
    expect(notices[0]).not.toContain(MASTER_KEY_FILE);

    const again: string[] = [];
    openCore({ dataDir: data, onNotice: (m) => again.push(m) }).close();
    expect(again).toEqual([]);
  });

  test('the CLI says so on stderr, once, and still does what it was asked', async () => {
    openCore({ dataDir: data }).close();
    chmodSync(data, 0o755);
    chmodSync(join(data, DATABASE_FILE), 0o644);
    const run = await keyrack(data, ['api-users', 'list', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ total: 0 });
    expect(run.stderr.split('\n').filter(Boolean)).toEqual([
      `Made the data folder owner-only (folders 0700, files 0600): ., ${DATABASE_FILE} in ${data} could be read by other users.`,
    ]);
    expect(modeOf(data)).toBe(0o700);
    expect((await keyrack(data, ['api-users', 'list', '--json'])).stderr).toBe('');
  });
});

describe('on Windows (the ACL call only; untested on a real Windows here)', () => {
  test('the folder\'s inherited entries are removed and the user alone gets full control, inherited inside', () => {
    const calls: string[][] = [];
    const report = secureDataFolder(data, { platform: 'win32', icacls: (args) => calls.push(args) });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.slice(0, 3)).toEqual([data, '/inheritance:r', '/grant:r']);
    expect(calls[0]![3]).toMatch(/^(.+\\)?[^\\:]+:\(OI\)\(CI\)F$/);
    expect(report).toEqual({ tightened: [], failed: [] });
  });

  test('an icacls failure is reported, not thrown: the store still opens', () => {
    const report = secureDataFolder(data, {
      platform: 'win32',
      icacls: () => {
        throw new Error('Access is denied.\nmore');
      },
    });
    expect(report.failed).toEqual(['. (icacls: Access is denied.)']);
  });
});
