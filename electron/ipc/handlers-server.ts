import type { serverChannels } from '../../shared/contract-server.js';
import type { Core } from '../core.js';
import type { ActorOf } from './actor.js';
import { exportCredentialFile, exportDestination, exportKeyCredentialFile } from '../services/credential-export.js';
import { RangesAdmin } from '../services/ranges-admin.js';
import type { HandlerRuntime } from '../services/runtime.js';
import { TokenServerAdmin } from '../services/token-server-admin.js';
import type { AreaHandlers } from './handlers.js';

/** Handlers of shared/contract-server.ts: the Token server page and the credential file export. */
export function createServerHandlers(core: Core, actor: ActorOf, runtime: HandlerRuntime = {}): AreaHandlers<typeof serverChannels> {
  const server = new TokenServerAdmin(core, runtime);
  const ranges = new RangesAdmin(core, runtime);
  return {
    'server.status': async (_input, ctx) => server.status(await actor(ctx)),
    'server.start': async (_input, ctx) => server.start(await actor(ctx)),
    'server.stop': async (_input, ctx) => server.stop(await actor(ctx)),
    'server.updateSettings': async (input, ctx) => server.updateSettings(await actor(ctx), input),
    'server.rotateKey': async (input, ctx) => server.rotateKey(await actor(ctx), input),
    'server.saveCaCertificate': async (_input, ctx) => server.saveCaCertificate(await actor(ctx)),

    'ranges.status': async (_input, ctx) => ranges.status(await actor(ctx)),
    'ranges.update': async (input, ctx) => ranges.update(await actor(ctx), input),
    'ranges.progress': async (_input, ctx) => ranges.currentProgress(await actor(ctx)),
    'ranges.import': async (input, ctx) => ranges.importChosen(await actor(ctx), input),

    'credentials.export': async (input, ctx) => exportCredentialFile(core, runtime, await actor(ctx), input),
    'credentials.exportKey': async (input, ctx) => exportKeyCredentialFile(core, runtime, await actor(ctx), input),
    'credentials.destination': async (_input, ctx) => exportDestination(core, await actor(ctx)),
  };
}
