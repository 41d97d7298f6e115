import { UnauthenticatedError } from '../../shared/errors.js';
import type { Core } from '../core.js';
import type { Actor } from '../services/context.js';
import type { CallContext } from './handlers.js';

export type ActorOf = (ctx: CallContext) => Promise<Actor>;

/**
 * The person behind a call, re-read from the store each time so a disabled account loses access at once,
 * and one whose password was changed elsewhere since this session's login is logged out.
 */
export function personActor(core: Core): ActorOf {
  return async (ctx) => {
    const session = ctx.session.get();
    const fresh = session && (await core.auth.refresh(session.userId, ctx.session.stamp));
    if (!fresh) {
      ctx.session.set(null);
      throw new UnauthenticatedError();
    }
    ctx.session.set(fresh);
    return { kind: 'person', userId: fresh.userId, name: fresh.name };
  };
}
