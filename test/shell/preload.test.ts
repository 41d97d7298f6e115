import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { API_GLOBAL, IPC_CHANNEL } from '../../shared/api.js';
import { CHANNEL_NAMES } from '../../shared/channels.js';
import { CHANNELS } from '../../shared/contract.js';

/**
 * The preload as it ships: bundled by scripts/build-preload.mjs, then run in a fresh V8 context where
 * `require` knows only 'electron' (as in Electron's sandbox) and 'electron' is a recorder.
 */
const root = new URL('../..', import.meta.url).pathname;
let dir: string;
let bundle: string;
let exposed: Array<{ name: string; api: Record<string, unknown> }>;
let sent: unknown[][];
const required: string[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'keyrack-preload-'));
  const outfile = join(dir, 'preload.cjs');
  execFileSync(process.execPath, [join(root, 'scripts', 'build-preload.mjs'), '--outfile', outfile], { stdio: 'pipe' });
  bundle = readFileSync(outfile, 'utf8');

  exposed = [];
  sent = [];
  const electron = {
    contextBridge: {
      exposeInMainWorld: (name: string, api: Record<string, unknown>) => exposed.push({ name, api }),
    },
    ipcRenderer: {
      invoke: (...args: unknown[]) => {
        sent.push(args);
        return Promise.resolve({ ok: true, value: null });
      },
    },
  };
  const sandboxRequire = (id: string): unknown => {
    required.push(id);
    if (id === 'electron') return electron;
    throw new Error(`a sandboxed preload cannot require ${id}`);
  };
  const module = { exports: {} };
  runInNewContext(bundle, { require: sandboxRequire, module, exports: module.exports });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the preload bundle', () => {
  test('exposes exactly one object, window.keyrack, with one function per contract channel', () => {
    expect(exposed.map((e) => e.name)).toEqual([API_GLOBAL]);
    const api = exposed[0]?.api ?? {};
    expect(Object.keys(api).sort()).toEqual([...CHANNELS].sort());
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
    // The list a reviewer sees change when a channel is added (STYLE §2).
    expect(Object.keys(api)).toMatchSnapshot();
  });

  test('never exposes ipcRenderer or a generic invoke', () => {
    const api = exposed[0]?.api ?? {};
    for (const forbidden of ['invoke', 'send', 'on', 'ipcRenderer', 'sendSync', 'postMessage']) {
      expect(api).not.toHaveProperty(forbidden);
    }
    expect(Object.isFrozen(api)).toBe(true);
  });

  test('each function sends its own channel name and the input on the one IPC channel', async () => {
    const api = exposed[0]?.api as Record<string, (input?: unknown) => Promise<unknown>>;
    sent.length = 0;
    await api['users.show']?.({ id: 3 });
    await api['auth.status']?.();
    expect(sent).toEqual([
      [IPC_CHANNEL, 'users.show', { id: 3 }],
      [IPC_CHANNEL, 'auth.status', {}],
    ]);
  });

  test('requires only electron and carries no schema library', () => {
    expect([...new Set(required)]).toEqual(['electron']);
    expect(bundle).not.toMatch(/zod|ZodError|safeParse/);
    expect(bundle.length).toBeLessThan(10_000);
  });
});

test('the zod-free channel list equals the contract (also checked at compile time in shared/channels.ts)', () => {
  expect([...CHANNEL_NAMES].sort()).toEqual([...CHANNELS].sort());
  expect(new Set(CHANNEL_NAMES).size).toBe(CHANNEL_NAMES.length);
});
