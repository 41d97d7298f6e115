import type { storeChannels } from '../../shared/contract-store.js';
import type { Core } from '../core.js';
import type { HandlerRuntime } from '../services/runtime.js';
import { StoreAdmin } from '../services/store-admin.js';
import type { ActorOf } from './actor.js';
import type { AreaHandlers } from './handlers.js';

/** Handlers of shared/contract-store.ts: the Store card on the Server page. */
export function createStoreHandlers(core: Core, actor: ActorOf, runtime: HandlerRuntime = {}): AreaHandlers<typeof storeChannels> {
  const store = new StoreAdmin(core, runtime);
  return {
    'store.status': async (_input, ctx) => store.status(await actor(ctx)),
    'store.choose': async (input, ctx) => store.choose(await actor(ctx), input),
  };
}
