import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { META_CONTENT_SECURITY_POLICY } from '../electron/shell/csp.js';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * Puts the app's CSP into the built index.html, so a file:// load in Electron is as strict as the bridge.
 * The meta variant leaves out frame-ancestors: browsers ignore it in a <meta> element and log an error
 * (CSP3 §6.4.2); the HTTP header policies (app:// and the bridge) still carry it.
 */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'keyrack-csp',
    apply: 'build',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: META_CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' },
    ],
  };
}

export default defineConfig({
  root: here,
  // Relative asset URLs: the same build loads from file:// in Electron and from the HTTP bridge.
  base: './',
  plugins: [react(), contentSecurityPolicy()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // No inline scripts or data: modules, so script-src 'self' holds.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      // zod and Mantine carry /*#__PURE__*/ comments in places Rollup ignores; harmless, and noise in every build.
      onwarn(warning, warn) {
        if (warning.code !== 'INVALID_ANNOTATION') warn(warning);
      },
    },
  },
});
