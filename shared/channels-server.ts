import type { serverChannels } from './contract-server.js';

/**
 * The names of shared/contract-server.ts's channels, zod-free, for the preload (see channels.ts). Adding a
 * channel to serverChannels: add its name here; channels.ts fails to compile until the lists agree.
 */
export const SERVER_CHANNEL_NAMES = [] as const satisfies readonly (keyof typeof serverChannels)[];
