import type { TokenServerSettings } from '../../shared/token-server.dto.js';
import { tokenServerSettingsPatch, type TokenServerSettingsPatch } from '../../shared/token-server.schemas.js';
import type { Queryable } from '../db/store.js';
import { readSetting, writeSetting } from '../repos/settings.repo.js';
import { recordEvent } from './audit.js';
import { authorize } from './authorize.js';
import type { Actor, ServiceDeps } from './context.js';

/** The settings key the token server owns (settings table, one JSON value). */
export const TOKEN_SERVER_SETTINGS_KEY = 'tokenServer';

export const DEFAULT_TOKEN_SERVER_SETTINGS: TokenServerSettings = {
  issuer: null,
  defaultAudience: 'urn:keyrack:lan-api',
  audiences: [],
  tokenLifetimeSeconds: 600,
  signingAlg: 'ES256',
  port: 8443,
  lanAccess: false,
  host: '0.0.0.0',
  plainHttpOnLan: false,
  trustedProxies: [],
  metrics: false,
  metricsReaders: [],
};

/** The stored settings over the defaults, through the store (or a transaction's Queryable). */
export async function readTokenServerSettings(deps: Pick<ServiceDeps, 'store'>, q: Queryable = deps.store): Promise<TokenServerSettings> {
  return overDefaults(await readSetting<Record<string, unknown>>(q, TOKEN_SERVER_SETTINGS_KEY));
}

/** A stored value that no longer validates falls back to its default. */
function overDefaults(stored: Record<string, unknown> | undefined = {}): TokenServerSettings {
  const merged: Record<string, unknown> = { ...DEFAULT_TOKEN_SERVER_SETTINGS };
  for (const [key, value] of Object.entries(stored)) {
    if (!(key in DEFAULT_TOKEN_SERVER_SETTINGS)) continue;
    const one = tokenServerSettingsPatch.safeParse({ [key]: value });
    if (one.success) merged[key] = (one.data as Record<string, unknown>)[key];
  }
  return merged as unknown as TokenServerSettings;
}

/**
 * Changes some settings (permission `server.manage`) and logs what changed, with the values before and after. Turning on plain HTTP on the
 * LAN is logged as its own reason: it is the one setting that sends credentials unencrypted.
 */
export async function updateTokenServerSettings(deps: ServiceDeps, actor: Actor, patch: TokenServerSettingsPatch): Promise<TokenServerSettings> {
  await authorize(deps, actor, 'server.manage', 'settings.changed');
  return deps.store.transaction(async (tx) => {
    const before = await readTokenServerSettings(deps, tx);
    const after: TokenServerSettings = { ...before };
    for (const [key, value] of Object.entries(patch)) {
      if (value !== undefined) (after as unknown as Record<string, unknown>)[key] = value;
    }
    const changed = (Object.keys(after) as (keyof TokenServerSettings)[]).filter(
      (k) => JSON.stringify(after[k]) !== JSON.stringify(before[k]),
    );
    if (changed.length === 0) return before;
    await writeSetting(tx, TOKEN_SERVER_SETTINGS_KEY, after);
    await recordEvent(tx, deps, actor, {
      type: 'settings.changed',
      reason: patch.plainHttpOnLan === true && !before.plainHttpOnLan ? 'plain_http_on_lan_enabled' : undefined,
      // Only what changed, each with its value before and after (settings hold no secret).
      details: {
        area: 'token_server',
        changed,
        before: Object.fromEntries(changed.map((k) => [k, before[k]])),
        after: Object.fromEntries(changed.map((k) => [k, after[k]])),
      },
    });
    return after;
  });
}
