import { API_GLOBAL, type KeyrackApi } from '../../shared/api.js';
import { createHttpApi } from './http-api.js';

let api: KeyrackApi | null = null;

/** The preload's `window.keyrack` in the desktop app; the HTTP bridge in a plain browser. */
export function keyrackApi(): KeyrackApi {
  if (api) return api;
  const exposed = (window as unknown as Record<string, unknown>)[API_GLOBAL] as KeyrackApi | undefined;
  api = exposed ?? createHttpApi();
  return api;
}
