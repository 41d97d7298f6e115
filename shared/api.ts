import type { Channel, InputOf, OutputOf } from './contract.js';
import type { Result } from './result.js';

/**
 * The one object the renderer talks to: one narrow function per contract channel. The preload exposes it
 * as `window.keyrack` over IPC; for browser tests and `npm run dev:web` the renderer builds the same object
 * over the loopback HTTP bridge. Never ipcRenderer, never a generic `invoke(anyChannel)` in the renderer.
 */
export type KeyrackApi = { [C in Channel]: (input: InputOf<C>) => Promise<Result<OutputOf<C>>> };

/** The name the preload exposes the API under (`window.keyrack`). */
export const API_GLOBAL = 'keyrack';
/** The single IPC channel the preload's functions send on, with the contract channel as the first argument. */
export const IPC_CHANNEL = 'keyrack:invoke';
