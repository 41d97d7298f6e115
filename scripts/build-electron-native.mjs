#!/usr/bin/env node
// `npm run rebuild:electron`: better-sqlite3 built for Electron's ABI into .native/electron/<v>-<platform>-<arch>/,
// from a temporary copy of its sources, so node_modules/better-sqlite3/build (Node's binary, used by the CLI
// and `npm test`) is never touched. argon2 is N-API and loads in both runtimes unchanged.
// Usage: node scripts/build-electron-native.mjs [--force] [--root DIR]
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BETTER_SQLITE3_BINARY,
  BETTER_SQLITE3_SOURCES,
  buildEnv,
  explainFailure,
  nodeGypArgs,
  planElectronNativeBuild,
  prebuildInstallArgs,
  summarizeToolOutput,
} from './electron-native-plan.mjs';

const args = process.argv.slice(2);
const rootAt = args.indexOf('--root');
const appRoot = rootAt >= 0 && args[rootAt + 1] ? resolve(args[rootAt + 1]) : resolve(dirname(fileURLToPath(import.meta.url)), '..');
const force = args.includes('--force');

const PREBUILD_TIMEOUT_MS = 2 * 60_000;
const SOURCE_BUILD_TIMEOUT_MS = 20 * 60_000;

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

const electronVersion = readJson(join(appRoot, 'node_modules', 'electron', 'package.json'))?.version;
const plan = planElectronNativeBuild({
  appRoot,
  electronVersion,
  platform: process.platform,
  arch: process.arch,
  exists: existsSync,
  force,
});

if (plan.action === 'fail') {
  console.error(plan.message);
  process.exit(1);
}
if (plan.action === 'skip') {
  console.log(plan.message);
  process.exit(0);
}

const sources = join(appRoot, 'node_modules', 'better-sqlite3');
if (!existsSync(join(sources, 'binding.gyp'))) {
  console.error('better-sqlite3 is not installed (node_modules/better-sqlite3/binding.gyp is missing). Run `npm ci` first.');
  process.exit(1);
}

/** Runs a tool in the work folder; returns null on success, or a one-line reason. */
function run(label, script, toolArgs, cwd, timeout) {
  if (!existsSync(script)) return `${label} is not installed (${script})`;
  const result = spawnSync(process.execPath, [script, ...toolArgs], {
    cwd,
    env: buildEnv(process.env),
    encoding: 'utf8',
    timeout,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) return result.error.code === 'ETIMEDOUT' ? `timed out after ${timeout / 1000} s` : result.error.message;
  if (result.status !== 0) {
    const why = summarizeToolOutput(`${result.stderr}\n${result.stdout}`);
    return `exit code ${result.status}${why ? `: ${why}` : ''}`;
  }
  return null;
}

const work = mkdtempSync(join(tmpdir(), 'keyrack-electron-native-'));
try {
  for (const entry of BETTER_SQLITE3_SOURCES) cpSync(join(sources, entry), join(work, entry), { recursive: true });
  const built = join(work, 'build', 'Release', BETTER_SQLITE3_BINARY);
  const target = { electronVersion, platform: process.platform, arch: process.arch };

  console.log(`better-sqlite3 for Electron ${electronVersion} (${process.platform}-${process.arch}): trying a prebuilt binary…`);
  const prebuildError =
    run('prebuild-install', join(appRoot, 'node_modules', 'prebuild-install', 'bin.js'), prebuildInstallArgs(target), work, PREBUILD_TIMEOUT_MS) ??
    (existsSync(built) ? null : 'finished without producing a binary');

  let gypError = 'not needed';
  let via = 'prebuild-install';
  if (prebuildError) {
    console.log(`no prebuilt binary (${prebuildError}); building from source with Electron's headers (a few minutes)…`);
    rmSync(join(work, 'build'), { recursive: true, force: true });
    via = 'node-gyp';
    gypError =
      run(
        'node-gyp',
        join(appRoot, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
        nodeGypArgs({ ...target, headersDir: process.env.ELECTRON_HEADERS_DIR }),
        work,
        SOURCE_BUILD_TIMEOUT_MS,
      ) ?? (existsSync(built) ? null : 'finished without producing a binary');
  }
  if (prebuildError && gypError) {
    console.error(explainFailure({ electronVersion, prebuildError, gypError }));
    process.exitCode = 1;
  } else {
    mkdirSync(plan.outDir, { recursive: true });
    // Copy then rename: an interrupted run never leaves a half-written binary under the final name.
    const partial = join(plan.outDir, `.${BETTER_SQLITE3_BINARY}.${process.pid}.partial`);
    copyFileSync(built, partial);
    renameSync(partial, plan.binary);
    writeFileSync(
      join(plan.outDir, 'build-info.json'),
      `${JSON.stringify({ electronVersion, platform: process.platform, arch: process.arch, via, builtAt: new Date().toISOString() }, null, 2)}\n`,
    );
    console.log(`built ${plan.binary} (${via})`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
