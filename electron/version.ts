import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * This Keyrack's version, from the nearest package.json above this module: the repository's when run from
 * source (tests) or from dist/electron, the packaged app's inside its asar. Each server node reports it in
 * /metrics.
 */
export const KEYRACK_VERSION: string = readVersion(dirname(fileURLToPath(import.meta.url)));

function readVersion(folder: string): string {
  for (let dir = folder; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${folder}`);
  }
}
