import type { serverChannels } from './contract-server.js';

/**
 * The names of shared/contract-server.ts's channels, zod-free, for the preload (see channels.ts). Adding a
 * channel to serverChannels: add its name here; channels.ts fails to compile until the lists agree.
 */
export const SERVER_CHANNEL_NAMES = [
  'server.status',
  'server.start',
  'server.stop',
  'server.updateSettings',
  'server.rotateKey',
  'server.saveCaCertificate',
  'ranges.status',
  'ranges.update',
  'ranges.progress',
  'ranges.import',
  'credentials.export',
] as const satisfies readonly (keyof typeof serverChannels)[];
