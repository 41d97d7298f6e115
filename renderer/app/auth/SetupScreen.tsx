import { Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { setupInput } from '../../../shared/schemas.js';
import { passwordsDiffer, showServerError, zodValidate } from '../../lib/form.js';
import { AuthCard } from './AuthCard.js';
import { PasswordStrengthHint } from './PasswordStrengthHint.js';
import { useSetup } from './auth.queries.js';

const setupForm = setupInput
  .extend({ confirm: z.string() })
  // A function, so the message is in the language of the moment the form is checked.
  .refine((v) => v.password === v.confirm, { error: passwordsDiffer, path: ['confirm'] });

/** First run: the store has no administrator yet, so the first person creates one. */
export function SetupScreen() {
  const setup = useSetup();
  const { t } = useTranslation('app');
  const form = useForm({
    mode: 'controlled',
    initialValues: { name: '', password: '', confirm: '' },
    validate: zodValidate(setupForm, (v) => v),
  });
  const submit = form.onSubmit(({ name, password }) =>
    setup.mutate({ name, password }, { onError: (error) => showServerError(form, error) }),
  );
  return (
    <AuthCard title={t('setup.title')} subtitle={t('setup.subtitle')}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput label={t('setup.name')} autoComplete="username" data-autofocus autoFocus withAsterisk {...form.getInputProps('name')} />
          <PasswordInput label={t('setup.password')} autoComplete="new-password" withAsterisk {...form.getInputProps('password')} />
          <PasswordStrengthHint password={form.values.password} />
          <PasswordInput label={t('setup.repeat')} autoComplete="new-password" withAsterisk {...form.getInputProps('confirm')} />
          <Button type="submit" loading={setup.isPending}>
            {t('setup.submit')}
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
