import { existsSync, readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { SERVE_BUNDLE } from './keyrack.js';

/**
 * Packages bundled into the serve entry instead of imported at run time. @peculiar/x509 loads tsyringe,
 * which throws unless electron/crypto/x509-reflect.ts has run first; an ESM bundle evaluates every external
 * import before any bundled module, so that ordering only holds when x509 is bundled after the shim.
 */
const BUNDLED_PACKAGES = new Set(['@peculiar/x509']);

/**
 * Bundles the dev:web entry (electron/web-bridge/serve.ts) so each spec can start a Keyrack of its own,
 * without depending on a full `tsc -b` of the tree. The renderer must be built already (`test:e2e` does it).
 */
export default async function globalSetup(): Promise<void> {
  if (!existsSync('dist/renderer/index.html')) {
    throw new Error('dist/renderer is missing: run `npm run build:renderer` first (npm run test:e2e does).');
  }
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies?: object; devDependencies?: object };
  const external = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})].filter((name) => !BUNDLED_PACKAGES.has(name));
  await build({
    entryPoints: ['electron/web-bridge/serve.ts'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    external,
    target: 'node20',
    outfile: SERVE_BUNDLE,
    logLevel: 'warning',
    // Bundled CommonJS (x509 and its helpers) calls require() for Node built-ins.
    banner: { js: "import { createRequire as __keyrackCreateRequire } from 'node:module'; const require = __keyrackCreateRequire(import.meta.url);" },
  });
}
