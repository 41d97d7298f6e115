import { takes } from './channel-spec.js';
import type { AuthStatus, Session } from './dto.js';
import * as S from './schemas.js';

/** Logging in and out, the first run's set-up, and the logged-in person's own password and idle lock. */
export const authChannels = {
  'auth.status': takes(S.emptyInput).returns<AuthStatus>(),
  'auth.setup': takes(S.setupInput).returns<Session>(),
  'auth.login': takes(S.loginInput).returns<Session>(),
  'auth.logout': takes(S.emptyInput).returns<null>(),
  'auth.changePassword': takes(S.changePasswordInput).returns<null>(),
  'auth.setIdleLock': takes(S.idleLockInput).returns<null>(),
} as const;
