import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconLock } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { loginInput } from '../../../shared/schemas.js';
import { ApiError } from '../../api/call.js';
import { errorMessage } from '../../lib/notify.js';
import { zodValidate } from '../../lib/form.js';
import { AuthCard } from './AuthCard.js';
import { useLogin } from './auth.queries.js';

/** Why the app is locked: the person chose "Lock now", or the idle lock ran out. */
export type LockReason = 'manual' | 'idle';

export function LoginScreen({ lock, lastName }: { lock: LockReason | null; lastName: string | null }) {
  const login = useLogin();
  const { t } = useTranslation('app');
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
      title={lock ? t('login.lockedTitle') : t('login.title')}
      subtitle={lock ? t(`login.lockedBecause.${lock}`) : t('login.subtitle')}
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          {failure && (
            <Alert color="red" icon={<IconLock size={18} />} role="alert" title={failure instanceof ApiError && failure.code === 'rate_limited' ? t('login.tooManyAttempts') : t('login.failed')}>
              {errorMessage(failure)}
            </Alert>
          )}
          <TextInput label={t('login.name')} autoComplete="username" autoFocus={!lastName} withAsterisk {...form.getInputProps('name')} />
          <PasswordInput label={t('login.password')} autoComplete="current-password" autoFocus={Boolean(lastName)} withAsterisk {...form.getInputProps('password')} />
          <Button type="submit" loading={login.isPending}>
            {t('login.submit')}
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
