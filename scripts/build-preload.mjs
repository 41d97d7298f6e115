#!/usr/bin/env node
// Bundles the sandboxed preload: a sandboxed preload can require only 'electron' (and a few polyfills),
// so electron/preload.ts and what it imports become one CommonJS file, dist/electron/preload.cjs.
// The bundle must stay small and schema-free (it takes the channel list from shared/channels.ts, not the
// zod contract): the build fails if zod or any other package sneaks in.
// Usage: node scripts/build-preload.mjs [--outfile FILE]
import { build } from 'esbuild';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outAt = args.indexOf('--outfile');
const outfile = outAt >= 0 && args[outAt + 1] ? resolve(args[outAt + 1]) : join(root, 'dist', 'electron', 'preload.cjs');

const result = await build({
  absWorkingDir: root,
  entryPoints: [join(root, 'electron', 'preload.ts')],
  outfile,
  bundle: true,
  format: 'cjs',
  platform: 'browser',
  target: 'es2022',
  external: ['electron'],
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
});

const packages = Object.keys(result.metafile.inputs).filter((input) => input.includes('node_modules'));
if (packages.length > 0) {
  console.error(`the preload bundle must not include packages, found: ${packages.join(', ')}`);
  process.exit(1);
}
console.log(`preload bundled: ${relative(root, outfile)} (${Object.keys(result.metafile.inputs).length} modules)`);
