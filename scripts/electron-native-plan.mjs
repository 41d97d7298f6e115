// Decisions for building better-sqlite3 against Electron's ABI, kept free of side effects so
// test/shell/electron-native-plan.test.ts can check them without a network or a compiler.
// The folder layout must match electron/shell/native-binding.ts (the app loads from there; a test checks both).
import { join } from 'node:path';

export const NATIVE_ROOT = '.native';
export const BETTER_SQLITE3_BINARY = 'better_sqlite3.node';
export const ELECTRON_HEADERS_URL = 'https://electronjs.org/headers';

/** Where the binary for one Electron version and platform lives: .native/electron/<version>-<platform>-<arch>/. */
export function electronNativeDir(appRoot, electronVersion, platform, arch) {
  return join(appRoot, NATIVE_ROOT, 'electron', `${electronVersion}-${platform}-${arch}`);
}

/**
 * Build or skip. A binary already built for this exact Electron version, platform and arch is kept
 * (unless forced): the build takes minutes and needs the network; Electron versions only change with
 * package.json, which changes the folder name.
 */
export function planElectronNativeBuild({ appRoot, electronVersion, platform, arch, exists, force = false }) {
  if (!electronVersion) {
    return {
      action: 'fail',
      message: 'Electron is not installed (node_modules/electron/package.json is missing). Run `npm ci` first.',
    };
  }
  const outDir = electronNativeDir(appRoot, electronVersion, platform, arch);
  const binary = join(outDir, BETTER_SQLITE3_BINARY);
  if (!force && exists(binary)) {
    return { action: 'skip', binary, message: `better-sqlite3 for Electron ${electronVersion} is already built: ${binary}` };
  }
  return { action: 'build', binary, outDir };
}

/**
 * The files of the better-sqlite3 package a source build needs. They are copied to a temporary folder so
 * the build never writes into node_modules/better-sqlite3/build, which holds Node's binary for the CLI and
 * `npm test` (both must keep working whichever of `npm start` and `npm test` ran first).
 */
export const BETTER_SQLITE3_SOURCES = ['package.json', 'binding.gyp', 'src', 'deps'];

/** prebuild-install arguments: download the maintainers' prebuilt Electron binary (fast, no compiler). */
export function prebuildInstallArgs({ electronVersion, platform, arch }) {
  return ['--runtime=electron', `--target=${electronVersion}`, `--platform=${platform}`, `--arch=${arch}`, '--verbose'];
}

/**
 * node-gyp arguments for a source build against Electron's headers: from ELECTRON_HEADERS_DIR when the
 * headers were fetched beforehand (offline machines), otherwise downloaded from Electron's header server.
 */
export function nodeGypArgs({ electronVersion, arch, headersDir }) {
  const args = ['rebuild', '--release', '--runtime=electron', `--target=${electronVersion}`, `--arch=${arch}`];
  args.push(headersDir ? `--nodedir=${headersDir}` : `--dist-url=${ELECTRON_HEADERS_URL}`);
  return args;
}

/**
 * The environment for both tools. npm passes its own config as npm_config_* variables; a `nodedir` set
 * in .npmrc (for Node builds) would make node-gyp compile against Node's headers instead of Electron's and
 * produce a binary Electron refuses to load, so every such override is removed.
 */
export function buildEnv(env) {
  const clean = { ...env };
  for (const key of Object.keys(clean)) {
    const lower = key.toLowerCase();
    if (
      lower === 'npm_config_nodedir' ||
      lower === 'npm_config_target' ||
      lower === 'npm_config_runtime' ||
      lower === 'npm_config_disturl' ||
      lower === 'npm_config_dist_url' ||
      lower === 'npm_config_build_from_source'
    ) {
      delete clean[key];
    }
  }
  return clean;
}

/** The message when both ways failed: what was tried, why it matters, and what to do next. */
export function explainFailure({ electronVersion, prebuildError, gypError }) {
  return [
    `Could not build better-sqlite3 for Electron ${electronVersion}.`,
    `  1. Prebuilt download (prebuild-install): ${prebuildError}`,
    `  2. Source build (node-gyp with Electron's headers): ${gypError}`,
    'Both need the network the first time (the prebuilt binary from GitHub, or the headers from',
    `${ELECTRON_HEADERS_URL}), and the source build needs python3, make and a C++ compiler.`,
    'Offline: fetch the headers elsewhere (node-gyp install --target=' +
      `${electronVersion} --dist-url=${ELECTRON_HEADERS_URL}) and point ELECTRON_HEADERS_DIR at them.`,
    'Node\'s own build in node_modules/better-sqlite3 was not touched: the CLI and `npm test` still work.',
  ].join('\n');
}

const NOISE = /^(gyp (ERR!|info|WARN) (stack\s+at |node -v|node-gyp -v|not ok|System |command |cwd |it worked|using |find Python))|^\s*at /;
const NETWORK = /ENOTFOUND|EAI_AGAIN|ECONN|ETIMEDOUT|network|proxy/i;
const TELLING = /Error:|not found|No prebuilt|404|error|fail/i;

/** The few lines of a tool's output that say why it failed (a download URL, a network error), not its stack. */
export function summarizeToolOutput(output) {
  const lines = output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !NOISE.test(line))
    .map((line) => line.replace(/^gyp (ERR!|WARN|http) (stack )?/, '').trim());
  const download = output.match(/gyp http GET (\S+)/)?.[1];
  const network = lines.filter((line) => NETWORK.test(line));
  const other = lines.filter((line) => !NETWORK.test(line) && TELLING.test(line));
  return [...new Set([download && `downloading ${download}`, ...network, ...other].filter(Boolean))].slice(0, 3).join(' | ');
}
