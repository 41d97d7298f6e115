/**
 * The bridge sends the same Content-Security-Policy header as the Electron app:// protocol. The policy
 * lives in one place (electron/shell/csp.ts) so the two cannot drift apart; the built index.html carries
 * its <meta> variant (without frame-ancestors, which a meta tag cannot deliver).
 */
export { CONTENT_SECURITY_POLICY } from '../shell/csp.js';
