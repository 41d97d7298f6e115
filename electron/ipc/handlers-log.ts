import type { logChannels } from '../../shared/contract-log.js';
import type { Core } from '../core.js';
import type { ActorOf } from './actor.js';
import type { Handler } from './handlers.js';

type LogHandlers = { [C in keyof typeof logChannels]: Handler<C> };

/** Handlers of shared/contract-log.ts. */
export function createLogHandlers(_core: Core, _actor: ActorOf): LogHandlers {
  return {};
}
