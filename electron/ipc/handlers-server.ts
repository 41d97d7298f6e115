import type { serverChannels } from '../../shared/contract-server.js';
import type { Core } from '../core.js';
import type { ActorOf } from './actor.js';
import type { Handler } from './handlers.js';

type ServerHandlers = { [C in keyof typeof serverChannels]: Handler<C> };

/** Handlers of shared/contract-server.ts. */
export function createServerHandlers(_core: Core, _actor: ActorOf): ServerHandlers {
  return {};
}
