import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, test } from 'vitest';

/**
 * DESIGN: the core is plain Node. Only the Electron entry files may import electron; everything else
 * (store, services, CLI, token server, shell policies) must run under Node and in tests.
 */
const root = new URL('../..', import.meta.url).pathname;
const ALLOWED = [/^electron\/main\.ts$/, /^electron\/window\.ts$/, /^electron\/preload\.c?ts$/, /^electron\/ipc\/electron-[^/]+\.ts$/];

// import … from 'electron' | import 'electron' | require('electron') | import('electron'), and subpaths (electron/main).
const IMPORTS_ELECTRON =
  /(?:\bfrom\s*|\bimport\s*|\brequire\s*\(\s*|\bimport\s*\(\s*)(['"`])electron(?:\/[\w/-]*)?\1/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return /\.(c|m)?tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

const rel = (file: string): string => relative(root, file).split(sep).join('/');

describe('who imports electron', () => {
  test('the pattern catches every import form and nothing else', () => {
    for (const line of [
      "import { app } from 'electron';",
      'import {app} from "electron"',
      "import type { BrowserWindow } from 'electron';",
      "import 'electron';",
      "const { ipcMain } = require('electron');",
      "const e = await import('electron');",
      "import { app } from 'electron/main';",
    ]) {
      expect(IMPORTS_ELECTRON.test(line), line).toBe(true);
    }
    for (const line of [
      "import { x } from './electron-ipc.js';",
      "import { x } from '../electron/core.js';",
      '// the Electron app',
      "const name = 'electron';",
    ]) {
      expect(IMPORTS_ELECTRON.test(line), line).toBe(false);
    }
  });

  test('nothing in electron/, shared/ or renderer/ imports electron except the entry files', () => {
    const files = ['electron', 'shared', 'renderer'].flatMap((dir) => {
      try {
        return sourceFiles(join(root, dir));
      } catch {
        return [];
      }
    });
    expect(files.length).toBeGreaterThan(20);
    const offenders = files
      .map(rel)
      .filter((file) => !ALLOWED.some((allowed) => allowed.test(file)))
      .filter((file) => IMPORTS_ELECTRON.test(readFileSync(join(root, file), 'utf8')));
    expect(offenders).toEqual([]);
  });

  test('the entry files do import it (so the scan is looking at the right files)', () => {
    for (const file of ['electron/main.ts', 'electron/window.ts', 'electron/preload.ts', 'electron/ipc/electron-ipc.ts']) {
      expect(IMPORTS_ELECTRON.test(readFileSync(join(root, file), 'utf8')), file).toBe(true);
    }
  });
});
