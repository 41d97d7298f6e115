/**
 * The header every call over the loopback HTTP bridge must carry (renderer/api/http-api.ts sends it,
 * electron/web-bridge/server.ts refuses a call without it): a cross-site form, image or simple fetch cannot
 * add a custom header, so this is the bridge's CSRF defence. Lower case, as Node presents request headers.
 */
export const BRIDGE_HEADER = 'x-keyrack';
