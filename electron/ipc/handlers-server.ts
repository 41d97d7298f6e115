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
    'server.status': (_input, ctx) => server.status(actor(ctx)),
    'server.start': (_input, ctx) => server.start(actor(ctx)),
    'server.stop': (_input, ctx) => server.stop(actor(ctx)),
    'server.updateSettings': (input, ctx) => server.updateSettings(actor(ctx), input),
    'server.rotateKey': (input, ctx) => server.rotateKey(actor(ctx), input),
    'server.saveCaCertificate': (_input, ctx) => server.saveCaCertificate(actor(ctx)),

    'ranges.status': (_input, ctx) => ranges.status(actor(ctx)),
    'ranges.update': (input, ctx) => ranges.update(actor(ctx), input),
    'ranges.progress': (_input, ctx) => ranges.currentProgress(actor(ctx)),
    'ranges.import': (input, ctx) => ranges.importChosen(actor(ctx), input),

    'credentials.export': (input, ctx) => exportCredentialFile(core, runtime, actor(ctx), input),
    'credentials.exportKey': (input, ctx) => exportKeyCredentialFile(core, runtime, actor(ctx), input),
    'credentials.destination': (_input, ctx) => exportDestination(core, actor(ctx)),
  };
}
