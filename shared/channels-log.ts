import type { logChannels } from './contract-log.js';

/**
 * The names of shared/contract-log.ts's channels, zod-free, for the preload (see channels.ts). Adding a
 * channel to logChannels: add its name here; channels.ts fails to compile until the lists agree.
 */
export const LOG_CHANNEL_NAMES = [
  'log.verify',
  'log.export',
  'log.exportStatus',
  'log.exportCancel',
  'log.retention',
  'log.setRetention',
  'log.prune',
  'overview.get',
  'users.expiring',
] as const satisfies readonly (keyof typeof logChannels)[];
