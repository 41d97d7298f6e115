import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { RENDERER_COPY_ENV, SERVE_BUNDLE } from './keyrack.js';

/**
 * Packages imported from node_modules at run time instead of bundled: the ones with a native addon (a .node
 * file cannot be bundled). Everything else is bundled into the serve entry, for two reasons:
 * - @peculiar/x509 loads tsyringe, which throws unless electron/crypto/x509-reflect.ts has run first; an ESM
 *   bundle evaluates every external import before any bundled module, so that ordering only holds when x509
 *   is bundled after the shim.
 * - Node's ESM loader resolves and reads a package's files one by one: zod's and jose's hundreds of small
 *   modules took ~200 ms of each start here (a bridge listening ~570 ms after spawn, ~360 ms bundled), and
 *   the scale spec measures the start. (The desktop's main process, run from tsc's output, would gain the
 *   same from a bundler.)
 */
const NATIVE_PACKAGES = ['better-sqlite3', 'argon2'];

/**
 * Bundles the dev:web entry (electron/web-bridge/serve.ts) so each spec can start a Keyrack of its own,
 * without depending on a full `tsc -b` of the tree, and takes a private copy of the built renderer: the
 * tree is shared, and a `vite build` elsewhere empties dist/renderer while it writes the new one, which
 * would leave the browser a blank page in the middle of a run. The renderer must be built already
 * (`npm test` and `test:e2e` do it). Returns the teardown that removes the copy.
 */
export default async function globalSetup(): Promise<() => void> {
  const copy = copyRenderer('dist/renderer');
  process.env[RENDERER_COPY_ENV] = copy;
  await build({
    entryPoints: ['electron/web-bridge/serve.ts'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    external: NATIVE_PACKAGES,
    target: 'node20',
    outfile: SERVE_BUNDLE,
    logLevel: 'warning',
    // Bundled CommonJS (x509 and its helpers, ipaddr.js) calls require() for Node built-ins.
    banner: { js: "import { createRequire as __keyrackCreateRequire } from 'node:module'; const require = __keyrackCreateRequire(import.meta.url);" },
  });
  return () => rmSync(copy, { recursive: true, force: true });
}

/** Copies the built renderer and checks the copy is whole: index.html and every asset it names. */
function copyRenderer(built: string): string {
  if (!existsSync(join(built, 'index.html'))) {
    throw new Error(`${built} is missing: run \`npm run build:renderer\` first (npm test and npm run test:e2e do).`);
  }
  const copy = mkdtempSync(join(tmpdir(), 'keyrack-e2e-renderer-'));
  cpSync(built, copy, { recursive: true });
  const html = readFileSync(join(copy, 'index.html'), 'utf8');
  const assets = [...html.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((m) => m[1]!);
  const missing = assets.filter((asset) => !existsSync(join(copy, asset)));
  if (assets.length === 0 || missing.length > 0) {
    rmSync(copy, { recursive: true, force: true });
    throw new Error(`${built} is incomplete (a build may be running): missing ${missing.join(', ') || 'every asset'}`);
  }
  return copy;
}
