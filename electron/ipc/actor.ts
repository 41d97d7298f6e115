import { UnauthenticatedError } from '../../shared/errors.js';
import type { Core } from '../core.js';
import type { Actor } from '../services/context.js';
import type { CallContext } from './handlers.js';

export type ActorOf = (ctx: CallContext) => Actor;

/** The person behind a call, re-read from the store each time so a disabled account loses access at once. */
export function personActor(core: Core): ActorOf {
  return (ctx) => {
    const session = ctx.session.get();
    const fresh = session && core.auth.refresh(session.userId);
    if (!fresh) {
      ctx.session.set(null);
      throw new UnauthenticatedError();
    }
    ctx.session.set(fresh);
    return { kind: 'person', userId: fresh.userId, name: fresh.name };
  };
}
