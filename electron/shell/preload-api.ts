import type { KeyrackApi } from '../../shared/api.js';
import { CHANNEL_NAMES } from '../../shared/channels.js';
import type { Channel } from '../../shared/contract.js';
import type { Result } from '../../shared/result.js';

/** Sends one contract call to main; the preload backs it with ipcRenderer.invoke on the single IPC channel. */
export type Invoke = (channel: Channel, input: unknown) => Promise<Result<unknown>>;

/**
 * The object the preload exposes as `window.keyrack`: one named function per contract channel, each bound
 * to its own channel name, so the page can only ask for operations the contract defines and never holds
 * ipcRenderer or a generic "send anything" function (STYLE §3). Frozen so page code cannot add or swap
 * functions on it (contextBridge copies it anyway; this keeps the intent in tests too).
 */
export function buildKeyrackApi(invoke: Invoke): KeyrackApi {
  const api: Record<string, (input: unknown) => Promise<Result<unknown>>> = {};
  for (const channel of CHANNEL_NAMES) {
    // `input ?? {}`: channels without input may be called with no argument; main parses it either way.
    api[channel] = (input?: unknown) => invoke(channel, input ?? {});
  }
  return Object.freeze(api) as unknown as KeyrackApi;
}
