import { useCallback, useEffect, useState } from 'react';
import { Button, Center, Loader, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { call, onUnauthenticated } from '../../api/call.js';
import { useIdleTimer, readIdleLockMinutes } from '../../lib/idle-lock.js';
import { errorMessage } from '../../lib/notify.js';
import { queryKeys } from '../../lib/query-keys.js';
import { Layout } from '../Layout.js';
import { currentPath } from '../router.js';
import { prefetchLanding } from '../routes.js';
import { SessionContext } from '../session.js';
import { LoginScreen, type LockReason } from './LoginScreen.js';
import { SetupScreen } from './SetupScreen.js';
import { useAuthStatus, useLogout } from './auth.queries.js';
import type { Session } from '../../../shared/dto.js';

/** First run → create the administrator; no session → login; otherwise the app, locked again when idle. */
export function AuthGate() {
  const status = useAuthStatus();
  const client = useQueryClient();
  const { t } = useTranslation();
  const [locked, setLocked] = useState<Locked | null>(null);

  // A call that finds the session gone (ended elsewhere, account disabled) brings the login back.
  useEffect(() => onUnauthenticated(() => void client.invalidateQueries({ queryKey: queryKeys.auth.status })), [client]);

  if (status.isPending) {
    return (
      <Center mih="100vh">
        <Loader aria-label={t('loading')} />
      </Center>
    );
  }
  if (status.isError) {
    return (
      <Center mih="100vh">
        <Stack align="center">
          <Text>{errorMessage(status.error)}</Text>
          <Button onClick={() => void status.refetch()}>{t('tryAgain')}</Button>
        </Stack>
      </Center>
    );
  }
  if (status.data.setupNeeded) return <SetupScreen />;
  if (!status.data.session) return <LoginScreen lock={locked?.reason ?? null} lastName={locked?.name ?? null} />;
  return <SignedIn session={status.data.session} onLocked={setLocked} />;
}

/** Who was locked out, and why: the login screen says "you locked it" or "it locked itself", not one for both. */
interface Locked {
  name: string;
  reason: LockReason;
}

function SignedIn({ session, onLocked }: { session: Session; onLocked: (locked: Locked | null) => void }) {
  const client = useQueryClient();
  // Once per sign-in, during the first render (a lazy initial state runs once; the prefetch is idempotent, so
  // StrictMode's second call costs nothing): the landing page's data is on its way before the shell draws.
  useState(() => prefetchLanding(client, currentPath(), session.permissions));
  const { mutate: logout } = useLogout();
  const [idleMinutes, setIdleMinutes] = useState(readIdleLockMinutes);
  const lock = useCallback(
    (reason: LockReason) => {
      onLocked({ name: session.name, reason });
      logout();
    },
    [logout, onLocked, session.name],
  );
  const lockWhenIdle = useCallback(() => lock('idle'), [lock]);
  // The server ends the session after the same idle period: tell it the period now and whenever it
  // changes, and that the person is still here while they are (a session it already ended shows the login).
  const tellServer = useCallback(() => {
    call('auth.setIdleLock', { minutes: idleMinutes }).catch(() => void client.invalidateQueries({ queryKey: queryKeys.auth.status }));
  }, [client, idleMinutes]);
  useEffect(() => tellServer(), [tellServer, session.userId]);
  useIdleTimer(idleMinutes, lockWhenIdle, tellServer);
  return (
    <SessionContext.Provider value={session}>
      <Layout onLock={() => lock('manual')} onLogout={() => {
          // A plain log out is not a lock: the next login screen must not say it locked.
          onLocked(null);
          logout();
        }} idleMinutes={idleMinutes} onIdleMinutesChange={setIdleMinutes} />
    </SessionContext.Provider>
  );
}
