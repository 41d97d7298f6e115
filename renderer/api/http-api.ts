import type { KeyrackApi } from '../../shared/api.js';
import { CHANNELS, type Channel } from '../../shared/contract.js';
import type { Result } from '../../shared/result.js';
import { BRIDGE_HEADER } from '../../shared/web-bridge.js';

/**
 * The same API object the preload exposes, over the loopback HTTP bridge (browser tests, `npm run dev:web`):
 * `POST /api/<channel>` with the input as JSON, the Result as JSON back. The session rides in an HttpOnly
 * cookie the bridge sets, so script in the page never sees it.
 */
export function createHttpApi(base = ''): KeyrackApi {
  const api = {} as Record<Channel, (input: unknown) => Promise<Result<unknown>>>;
  for (const channel of CHANNELS) {
    api[channel] = (input) => post(`${base}/api/${channel}`, input);
  }
  return api as unknown as KeyrackApi;
}

async function post(url: string, input: unknown): Promise<Result<unknown>> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', [BRIDGE_HEADER]: '1' },
      body: JSON.stringify(input ?? {}),
    });
  } catch {
    return unreachable();
  }
  try {
    return (await response.json()) as Result<unknown>;
  } catch {
    return unreachable();
  }
}

const unreachable = (): Result<never> => ({
  ok: false,
  error: { code: 'internal', message: 'Keyrack did not answer. Is it still running?' },
});
