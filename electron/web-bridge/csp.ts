/**
 * The one Content-Security-Policy of the renderer, wherever it is loaded: the built index.html carries it
 * as a meta tag (injected by renderer/vite.config.ts), the HTTP bridge sends it as a header, and the
 * Electron window can send it from here too. Changing it: run the e2e suite (Mantine needs inline styles).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  // Mantine writes its CSS variables into a <style> element and sets style attributes at run time.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
  "frame-ancestors 'none'",
].join('; ');
