import type { mailChannels } from '../../shared/contract-mail.js';
import type { MailRelayStatus } from '../../shared/mail.dto.js';
import type { Core } from '../core.js';
import type { HandlerRuntime } from '../services/runtime.js';
import { MailService } from '../services/mail.service.js';
import type { ActorOf } from './actor.js';
import type { AreaHandlers } from './handlers.js';

/**
 * Handlers of shared/contract-mail.ts. Upstream secrets are wrapped with the token server's key wrapper (the
 * OS keychain in the app); the relay's state comes from the token server host that runs it.
 */
export function createMailHandlers(core: Core, actor: ActorOf, runtime: HandlerRuntime = {}): AreaHandlers<typeof mailChannels> {
  const mail = new MailService(core.deps, () => runtime.tokenServer?.keyWrapper);
  const relayStatus = async (): Promise<MailRelayStatus> => {
    const host = runtime.tokenServer?.host;
    if (host) return host.mailRelayStatus();
    return { settings: await mail.relaySettings({ kind: 'system', name: 'system' }), running: false, listening: [], lastError: null };
  };
  return {
    'mail.settings': async (input, ctx) => mail.settings(await actor(ctx), input),
    'mail.setSettings': async (input, ctx) => mail.setSettings(await actor(ctx), input),
    'mail.setUpstream': async (input, ctx) => mail.setUpstream(await actor(ctx), input),
    'mail.clearUpstream': async (input, ctx) => mail.clearUpstream(await actor(ctx), input),
    'mail.testUpstream': async (input, ctx) => mail.testUpstream(await actor(ctx), input),
    'mail.stats': async (_input, ctx) => mail.stats(await actor(ctx)),
    'mail.queue': async (input, ctx) => mail.queue(await actor(ctx), input),
    'mail.retry': async (input, ctx) => mail.retry(await actor(ctx), input),
    'mail.drop': async (input, ctx) => mail.drop(await actor(ctx), input),
    'mail.relayStatus': async (_input, ctx) => {
      await mail.relaySettings(await actor(ctx));
      return relayStatus();
    },
    'mail.updateRelaySettings': async (input, ctx) => {
      await mail.updateRelaySettings(await actor(ctx), input);
      // A running relay takes the new listeners and limits with the token server's restart.
      const host = runtime.tokenServer?.host;
      if (host?.running) await host.restart().catch(() => undefined);
      return relayStatus();
    },
  };
}
