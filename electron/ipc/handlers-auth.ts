import type { authChannels } from '../../shared/contract-auth.js';
import type { Core } from '../core.js';
import type { ActorOf } from './actor.js';
import type { AreaHandlers } from './handlers.js';

/** Handlers of shared/contract-auth.ts: they keep the call's session slot in step with the store. */
export function createAuthHandlers(core: Core, actor: ActorOf): AreaHandlers<typeof authChannels> {
  return {
    'auth.status': async (_input, ctx) => {
      const session = ctx.session.get();
      const fresh = session ? await core.auth.refresh(session.userId, ctx.session.stamp) : null;
      ctx.session.set(fresh);
      return { setupNeeded: await core.auth.setupNeeded(), session: fresh };
    },
    'auth.setup': async (input, ctx) => {
      const session = await core.auth.setup(input);
      ctx.session.login(session, await core.auth.credentialStamp(session.userId));
      return session;
    },
    'auth.login': async (input, ctx) => {
      const session = await core.auth.login(input, ctx.sourceIp ?? null);
      ctx.session.login(session, await core.auth.credentialStamp(session.userId));
      return session;
    },
    'auth.logout': async (_input, ctx) => {
      const session = ctx.session.get();
      if (session) await core.auth.logout({ kind: 'person', userId: session.userId, name: session.name });
      ctx.session.set(null);
      return null;
    },
    'auth.changePassword': async (input, ctx) => {
      const by = await actor(ctx);
      await core.auth.changePassword(by, input);
      // The person stays logged in here; their other sessions (another window, a browser) end.
      if (by.kind === 'person') ctx.session.restamp(await core.auth.credentialStamp(by.userId));
      return null;
    },
    'auth.setIdleLock': async ({ minutes }, ctx) => {
      await actor(ctx); // only a live session has an idle period to set
      ctx.session.setIdleMinutes(minutes);
      return null;
    },
  };
}
