import { existsSync } from 'node:fs';
import { build } from 'esbuild';
import { SERVE_BUNDLE } from './keyrack.js';

/**
 * Bundles the dev:web entry (electron/web-bridge/serve.ts) so each spec can start a Keyrack of its own,
 * without depending on a full `tsc -b` of the tree. The renderer must be built already (`test:e2e` does it).
 */
export default async function globalSetup(): Promise<void> {
  if (!existsSync('dist/renderer/index.html')) {
    throw new Error('dist/renderer is missing: run `npm run build:renderer` first (npm run test:e2e does).');
  }
  await build({
    entryPoints: ['electron/web-bridge/serve.ts'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    target: 'node20',
    outfile: SERVE_BUNDLE,
    logLevel: 'warning',
  });
}
