import type { Channel, OutputOf, ParsedInputOf } from '../../shared/contract.js';
import type { Core } from '../core.js';
import { personActor } from './actor.js';
import { createActivationsHandlers } from './handlers-activations.js';
import { createAuthHandlers } from './handlers-auth.js';
import { createGroupsHandlers } from './handlers-groups.js';
import { createLogHandlers } from './handlers-log.js';
import { createMailboxesHandlers } from './handlers-mailboxes.js';
import { createMailHandlers } from './handlers-mail.js';
import { createServerHandlers } from './handlers-server.js';
import { createStoreHandlers } from './handlers-store.js';
import { createUsersHandlers } from './handlers-users.js';
import type { HandlerRuntime } from '../services/runtime.js';
import { TimedSessionSlot, type SessionSlot } from './session-slot.js';
import type { Clock } from '../services/context.js';

export type { SessionSlot } from './session-slot.js';

/** A session slot on `clock` (tests pass theirs; the app and the bridge pass the core's). */
export function memorySessionSlot(clock?: Clock): TimedSessionSlot {
  return new TimedSessionSlot(clock);
}

export interface CallContext {
  session: SessionSlot;
  /** The caller's address where the transport knows one (HTTP bridge); IPC callers are local. */
  sourceIp?: string | null;
}

/**
 * One channel's handler. Handlers are reached only through dispatch (dispatch.ts), which parses the input
 * against the channel's schema first: a handler, and the service it calls, receive the parsed input with
 * its defaults filled in, typed from the contract, so a service that drifts from its channel fails to compile.
 */
export type Handler<C extends Channel> = (input: ParsedInputOf<C>, ctx: CallContext) => OutputOf<C> | Promise<OutputOf<C>>;
export type Handlers = { [C in Channel]: Handler<C> };
/** The handlers of one area's channels (`typeof authChannels` and the like, shared/contract-<area>.ts). */
export type AreaHandlers<Area> = { [C in keyof Area & Channel]: Handler<C> };

/**
 * Every channel of the contract, bound to the core; each area's handlers live beside its contract module
 * (handlers-<area>.ts for shared/contract-<area>.ts). `runtime` holds what a running app adds to the core
 * (the token server it hosts, main's file dialogs).
 */
export function createHandlers(core: Core, runtime: HandlerRuntime = {}): Handlers {
  const actor = personActor(core);
  return {
    ...createAuthHandlers(core, actor),
    ...createUsersHandlers(core, actor, runtime),
    ...createGroupsHandlers(core, actor),
    ...createMailboxesHandlers(core, actor),
    ...createActivationsHandlers(core, actor),
    ...createMailHandlers(core, actor, runtime),
    ...createLogHandlers(core, actor, runtime.saveStream),
    ...createServerHandlers(core, actor, runtime),
    ...createStoreHandlers(core, actor, runtime),
  };
}
