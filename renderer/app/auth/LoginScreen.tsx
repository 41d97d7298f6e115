import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconLock } from '@tabler/icons-react';
import { loginInput } from '../../../shared/schemas.js';
import { ApiError } from '../../api/call.js';
import { errorMessage } from '../../lib/notify.js';
import { zodValidate } from '../../lib/form.js';
import { AuthCard } from './AuthCard.js';
import { useLogin } from './auth.queries.js';

/** Why the app is locked: the person chose "Lock now", or the idle lock ran out. */
export type LockReason = 'manual' | 'idle';

const LOCKED_BECAUSE: Record<LockReason, string> = {
  manual: 'You locked it. Log in again to go on.',
  idle: 'It locked itself after a while without activity. Log in again to go on.',
};

export function LoginScreen({ lock, lastName }: { lock: LockReason | null; lastName: string | null }) {
  const login = useLogin();
  const form = useForm({
    mode: 'controlled',
    initialValues: { name: lastName ?? '', password: '' },
    validate: zodValidate(loginInput, (v) => v),
  });
  const submit = form.onSubmit((values) =>
    login.mutate(values, { onError: () => form.setFieldValue('password', '') }),
  );
  const failure = login.error;
  return (
    <AuthCard
      title={lock ? 'Keyrack is locked' : 'Log in'}
      subtitle={lock ? LOCKED_BECAUSE[lock] : 'Log in with your Keyrack account.'}
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          {failure && (
            <Alert color="red" icon={<IconLock size={18} />} role="alert" title={failure instanceof ApiError && failure.code === 'rate_limited' ? 'Too many attempts' : 'Could not log in'}>
              {errorMessage(failure)}
            </Alert>
          )}
          <TextInput label="Name" autoComplete="username" autoFocus={!lastName} withAsterisk {...form.getInputProps('name')} />
          <PasswordInput label="Password" autoComplete="current-password" autoFocus={Boolean(lastName)} withAsterisk {...form.getInputProps('password')} />
          <Button type="submit" loading={login.isPending}>
            Log in
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
