import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconLock } from '@tabler/icons-react';
import { loginInput } from '../../../shared/schemas.js';
import { ApiError } from '../../api/call.js';
import { errorMessage } from '../../lib/notify.js';
import { zodValidate } from '../../lib/form.js';
import { AuthCard } from './AuthCard.js';
import { useLogin } from './auth.queries.js';

export function LoginScreen({ locked, lastName }: { locked: boolean; lastName: string | null }) {
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
      title={locked ? 'Keyrack is locked' : 'Log in'}
      subtitle={locked ? 'It locked itself after a while without activity. Log in again to go on.' : 'Log in with your Keyrack account.'}
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
