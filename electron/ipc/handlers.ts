import type { Channel, OutputOf } from '../../shared/contract.js';
import * as S from '../../shared/schemas.js';
import { parseInput } from '../../shared/validate.js';
import type { Core } from '../core.js';
import { personActor } from './actor.js';
import { createLogHandlers } from './handlers-log.js';
import { createServerHandlers } from './handlers-server.js';
import type { HandlerRuntime } from './runtime.js';
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

export type Handler<C extends Channel> = (input: unknown, ctx: CallContext) => OutputOf<C> | Promise<OutputOf<C>>;
export type Handlers = { [C in Channel]: Handler<C> };

/**
 * Every channel of the contract, bound to the core. Inputs arrive already parsed by the dispatcher;
 * the services parse again at their own face, which is idempotent and keeps the CLI equally guarded.
 * `runtime` holds what a running app adds to the core (the token server it hosts, main's file dialogs).
 */
export function createHandlers(core: Core, runtime: HandlerRuntime = {}): Handlers {
  const actor = personActor(core);

  return {
    'auth.status': (_input, ctx) => {
      const session = ctx.session.get();
      const fresh = session ? core.auth.refresh(session.userId, ctx.session.stamp) : null;
      ctx.session.set(fresh);
      return { setupNeeded: core.auth.setupNeeded(), session: fresh };
    },
    'auth.setup': async (input, ctx) => {
      const session = await core.auth.setup(input);
      ctx.session.login(session, core.auth.credentialStamp(session.userId));
      return session;
    },
    'auth.login': async (input, ctx) => {
      const session = await core.auth.login(input, ctx.sourceIp ?? null);
      ctx.session.login(session, core.auth.credentialStamp(session.userId));
      return session;
    },
    'auth.logout': (_input, ctx) => {
      const session = ctx.session.get();
      if (session) core.auth.logout({ kind: 'person', userId: session.userId, name: session.name });
      ctx.session.set(null);
      return null;
    },
    'auth.changePassword': async (input, ctx) => {
      const by = actor(ctx);
      await core.auth.changePassword(by, input);
      // The person stays logged in here; their other sessions (another window, a browser) end.
      if (by.kind === 'person') ctx.session.restamp(core.auth.credentialStamp(by.userId));
      return null;
    },
    'auth.setIdleLock': (input, ctx) => {
      const { minutes } = parseInput(S.idleLockInput, input);
      actor(ctx); // only a live session has an idle period to set
      ctx.session.setIdleMinutes(minutes);
      return null;
    },

    'users.list': (input, ctx) => core.users.list(actor(ctx), input),
    'users.show': (input, ctx) => core.users.show(actor(ctx), input),
    'users.createApiUser': (input, ctx) => core.users.createApiUser(actor(ctx), input),
    'users.createPerson': (input, ctx) => core.users.createPerson(actor(ctx), input),
    'users.update': (input, ctx) => core.users.update(actor(ctx), input),
    'users.setGroups': (input, ctx) => core.users.setGroups(actor(ctx), input),
    'users.setMailboxes': (input, ctx) => core.users.setMailboxes(actor(ctx), input),
    'users.setAllowlist': (input, ctx) => core.users.setAllowlist(actor(ctx), input),
    'users.disable': (input, ctx) => core.users.disable(actor(ctx), input),
    'users.enable': (input, ctx) => core.users.enable(actor(ctx), input),
    'users.delete': (input, ctx) => core.users.delete(actor(ctx), input),
    'users.effectiveRights': (input, ctx) => core.users.effectiveRights(actor(ctx), input),
    'users.resetPassword': (input, ctx) => core.users.resetPassword(actor(ctx), input),

    'secrets.list': (input, ctx) => core.secrets.list(actor(ctx), input),
    'secrets.add': (input, ctx) => core.secrets.add(actor(ctx), input),
    'secrets.rotate': (input, ctx) => core.secrets.rotate(actor(ctx), input),
    'secrets.revoke': (input, ctx) => core.secrets.revoke(actor(ctx), input),

    'groups.list': (input, ctx) => core.groups.list(actor(ctx), input),
    'groups.show': (input, ctx) => core.groups.show(actor(ctx), input),
    'groups.create': (input, ctx) => core.groups.create(actor(ctx), input),
    'groups.update': (input, ctx) => core.groups.update(actor(ctx), input),
    'groups.delete': (input, ctx) => core.groups.delete(actor(ctx), input),
    'groups.addMember': (input, ctx) => core.groups.addMember(actor(ctx), input),
    'groups.removeMember': (input, ctx) => core.groups.removeMember(actor(ctx), input),
    'groups.grant': (input, ctx) => core.groups.grant(actor(ctx), input),
    'groups.revoke': (input, ctx) => core.groups.revoke(actor(ctx), input),

    'rights.list': (input, ctx) => core.rights.list(actor(ctx), input),
    'rights.addResource': (input, ctx) => core.rights.addResource(actor(ctx), input),
    'rights.updateResource': (input, ctx) => core.rights.updateResource(actor(ctx), input),
    'rights.removeResource': (input, ctx) => core.rights.removeResource(actor(ctx), input),

    'mailboxes.list': (input, ctx) => core.mailboxes.list(actor(ctx), input),
    'mailboxes.create': (input, ctx) => core.mailboxes.create(actor(ctx), input),
    'mailboxes.update': (input, ctx) => core.mailboxes.update(actor(ctx), input),
    'mailboxes.delete': (input, ctx) => core.mailboxes.delete(actor(ctx), input),
    'mailboxes.assign': (input, ctx) => core.mailboxes.assign(actor(ctx), input),
    'mailboxes.unassign': (input, ctx) => core.mailboxes.unassign(actor(ctx), input),

    // Reading the log from the app is itself logged (once per person per interval: LogService.view).
    'log.search': (input, ctx) => core.log.view(actor(ctx), input),

    'policy.get': (_input, ctx) => core.policy.get(actor(ctx)),
    'policy.set': (input, ctx) => core.policy.set(actor(ctx), input),

    // Areas with many channels keep their handlers in their own file.
    ...createLogHandlers(core, actor, runtime.saveStream),
    ...createServerHandlers(core, actor, runtime),
  };
}
