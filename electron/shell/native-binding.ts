import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';

/**
 * Where the Electron-ABI build of better-sqlite3 lives. Node's own build stays in
 * node_modules/better-sqlite3/build for the CLI and the tests; the desktop app loads this one through
 * openCore's `nativeBinding`, so `npm start` and `npm test` never overwrite each other's binary.
 *
 * The same layout is computed by scripts/electron-native-plan.mjs (which builds it); a test checks that
 * both agree. Changing it: change both.
 */
export const NATIVE_ROOT = '.native';
export const BETTER_SQLITE3_BINARY = 'better_sqlite3.node';

export function electronNativeDir(appRoot: string, electronVersion: string, platform: string, arch: string): string {
  return join(appRoot, NATIVE_ROOT, 'electron', `${electronVersion}-${platform}-${arch}`);
}

/** Native binaries cannot load from inside an asar archive; electron-builder unpacks them beside it. */
export function unpackedFromAsar(path: string): string {
  return path.replace(`${sep}app.asar${sep}`, `${sep}app.asar.unpacked${sep}`);
}

export class NativeModuleMissingError extends Error {
  override name = 'NativeModuleMissingError';
}

export interface SqliteBindingOptions {
  appRoot: string;
  electronVersion: string;
  platform: string;
  arch: string;
  exists?: (path: string) => boolean;
}

/** The binary's path, or a clear refusal that says which command builds it. */
export function electronSqliteBinding(options: SqliteBindingOptions): string {
  const file = unpackedFromAsar(
    join(electronNativeDir(options.appRoot, options.electronVersion, options.platform, options.arch), BETTER_SQLITE3_BINARY),
  );
  if (!(options.exists ?? existsSync)(file)) {
    throw new NativeModuleMissingError(
      `better-sqlite3 for Electron ${options.electronVersion} (${options.platform}-${options.arch}) is missing at ${file}. ` +
        'Run `npm run rebuild:electron` (npm start does it for you).',
    );
  }
  return file;
}
