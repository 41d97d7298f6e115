import asar from '@electron/asar';
import { build, Platform, Arch, type Configuration } from 'electron-builder';
import yaml from 'js-yaml';
import { builtinModules } from 'node:module';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BETTER_SQLITE3_BINARY } from '../../electron/shell/native-binding.js';
import { tempDir } from '../support/core.js';

/**
 * The installable app, as far as it can be checked without Electron's binary (which these machines cannot
 * download): electron-builder's packaging step for Linux into a directory, from electron-builder.yml as it
 * is, with two stand-ins a real build would not have: an Electron distribution that is one script (the
 * `electronDist` option) and, for the Electron-ABI better-sqlite3 that `npm run rebuild:electron` builds,
 * Node's own binary (only its place in the package is checked). What is verified here and what only a
 * machine with internet can verify: docs/packaging.md.
 *
 * Needs `npm run build` first (npm test does it): the package is made of dist/.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ELECTRON_VERSION = (JSON.parse(readFileSync(join(ROOT, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  main: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

let scratch: string;
let resources: string;
let files: string[];

beforeAll(async () => {
  for (const built of ['dist/electron/main.js', 'dist/electron/preload.cjs', 'dist/renderer/index.html']) {
    if (!existsSync(join(ROOT, built))) throw new Error(`${built} is missing: run \`npm run build\` first`);
  }
  scratch = tempDir('keyrack-package-');
  const electronDist = join(scratch, 'electron-dist');
  mkdirSync(electronDist);
  writeFileSync(join(electronDist, 'electron'), '#!/bin/sh\necho "stand-in for the Electron binary"\n');
  chmodSync(join(electronDist, 'electron'), 0o755);
  const native = join(scratch, 'native', `${ELECTRON_VERSION}-linux-x64`);
  mkdirSync(native, { recursive: true });
  copyFileSync(join(ROOT, 'node_modules/better-sqlite3/build/Release', BETTER_SQLITE3_BINARY), join(native, BETTER_SQLITE3_BINARY));

  const config = yaml.load(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as Configuration & { files: unknown[] };
  const nativeEntry = config.files.findIndex((f) => typeof f === 'object' && (f as { from?: string }).from === '.native/electron');
  expect(nativeEntry, 'electron-builder.yml packs .native/electron').toBeGreaterThanOrEqual(0);
  config.files[nativeEntry] = { ...(config.files[nativeEntry] as object), from: join(scratch, 'native') };
  await build({
    projectDir: ROOT,
    targets: Platform.LINUX.createTarget('dir', Arch.x64),
    config: { ...config, electronDist, electronVersion: ELECTRON_VERSION, directories: { ...config.directories, output: join(scratch, 'out') } },
    publish: 'never',
  });
  resources = join(scratch, 'out', 'linux-unpacked', 'resources');
  files = asar.listPackage(join(resources, 'app.asar'), { isPack: false }).map((f) => f.split('\\').join('/'));
}, 180_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const inAsar = (path: string) => files.includes(path);
const packagesInAsar = () => new Set(files.flatMap((f) => /^\/node_modules\/((?:@[^/]+\/)?[^/]+)$/.exec(f)?.[1] ?? []));

describe('the packaged app (electron-builder, Linux directory target)', () => {
  it('holds the main entry package.json names, the preload, the renderer and the shared code', () => {
    expect(inAsar('/package.json')).toBe(true);
    expect(inAsar(`/${PACKAGE.main}`)).toBe(true);
    expect(inAsar('/dist/electron/preload.cjs')).toBe(true);
    expect(inAsar('/dist/renderer/index.html')).toBe(true);
    expect(files.some((f) => f.startsWith('/dist/shared/'))).toBe(true);
  });

  it('every import of the main process resolves inside the package', () => {
    const packages = packagesInAsar();
    const missing: string[] = [];
    const seen = new Set<string>();
    for (const file of files.filter((f) => f.startsWith('/dist/') && f.endsWith('.js') && !f.startsWith('/dist/renderer/'))) {
      const text = asar.extractFile(join(resources, 'app.asar'), file.slice(1)).toString('utf8');
      for (const [, specifier] of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
        if (!specifier) continue;
        seen.add(specifier);
        if (specifier.startsWith('.')) {
          if (!inAsar(posix.join(posix.dirname(file), specifier))) missing.push(`${file}: ${specifier}`);
        } else if (!specifier.startsWith('node:') && !builtinModules.includes(specifier) && specifier !== 'electron') {
          const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
          if (!packages.has(name)) missing.push(`${file}: ${specifier}`);
        }
      }
    }
    expect(missing).toEqual([]);
    // The scan saw the imports that matter (a pattern that matched nothing would pass the line above).
    for (const specifier of ['better-sqlite3', 'argon2', 'jose', 'zod', 'electron']) expect(seen).toContain(specifier);
  });

  it('unpacks the native modules beside app.asar, where the app loads them from', () => {
    const unpacked = join(resources, 'app.asar.unpacked');
    expect(existsSync(join(unpacked, '.native/electron', `${ELECTRON_VERSION}-linux-x64`, BETTER_SQLITE3_BINARY))).toBe(true);
    expect(existsSync(join(unpacked, 'node_modules/argon2/prebuilds/linux-x64/argon2.glibc.node'))).toBe(true);
    // Node's own build of better-sqlite3 and its C sources stay out: the app loads the Electron build.
    expect(files.filter((f) => f.startsWith('/node_modules/better-sqlite3/') && /\/(deps|src|build)\//.test(f))).toEqual([]);
  });

  it('holds no tests, benchmarks, sources, source maps, dev dependencies, .env, store or key files', () => {
    const forbidden = files.filter((f) =>
      /^\/(test|bench|renderer|electron|shared|scripts|docs|\.data|\.ci|release)\//.test(f) ||
      /\.(test|spec)\.[cm]?[jt]sx?$/.test(f) ||
      (/\.map$/.test(f) && f.startsWith('/dist/')) ||
      /(^|\/)\.env(\.|$)/.test(f) ||
      /\.(db|db-wal|db-shm|key|pem)$/.test(f) ||
      /(^|\/)tsconfig[^/]*\.json$/.test(f) && !f.startsWith('/node_modules/'),
    );
    expect(forbidden).toEqual([]);
    const packages = packagesInAsar();
    const devOnly = Object.keys(PACKAGE.devDependencies).filter((name) => packages.has(name));
    expect(devOnly).toEqual([]);
    for (const name of Object.keys(PACKAGE.dependencies)) expect(packages, name).toContain(name);
  });

  it('stays small: app.asar and the unpacked files', () => {
    const asarBytes = statSync(join(resources, 'app.asar')).size;
    // Measured at 7.6 MB (the renderer's bundle is about half of it); a jump means something slipped in.
    console.log(`app.asar: ${(asarBytes / 1024 / 1024).toFixed(1)} MB, ${files.length} entries`);
    expect(asarBytes).toBeLessThan(15 * 1024 * 1024);
  });
});
