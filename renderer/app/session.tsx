import { createContext, useContext } from 'react';
import type { Session } from '../../shared/dto.js';
import type { AppPermission } from '../../shared/domain.js';

export const SessionContext = createContext<Session | null>(null);

/** The logged-in person; only used inside the auth gate, where there always is one. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside the auth gate');
  return session;
}

/** Whether to offer an action; main checks the permission again on every call. */
export function useCan(permission: AppPermission): boolean {
  return useSession().permissions.includes(permission);
}
