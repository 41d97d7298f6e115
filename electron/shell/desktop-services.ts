import type { BackgroundService } from './background-services.js';

/**
 * The integration point for what the desktop app runs beside its window. main starts this list after the
 * store opens and stops it on quit before the store closes (see background-services.ts).
 *
 * The lead wires the token server here once electron/token-server/ lands: one entry whose `start` reads
 * the token server's settings from `context.core`, starts it when the settings say it runs with the app
 * (loopback unless LAN access is on), hands it `context.keyWrapper` for the signing keys, and returns its
 * `stop`. Nothing else in main needs to change for that.
 */
export const DESKTOP_BACKGROUND_SERVICES: readonly BackgroundService[] = [];
