import { Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { z } from 'zod';
import { setupInput } from '../../../shared/schemas.js';
import { showServerError, zodValidate } from '../../lib/form.js';
import { AuthCard } from './AuthCard.js';
import { PasswordStrengthHint } from './PasswordStrengthHint.js';
import { useSetup } from './auth.queries.js';

const setupForm = setupInput
  .extend({ confirm: z.string() })
  .refine((v) => v.password === v.confirm, { message: 'The two passwords are not the same', path: ['confirm'] });

/** First run: the store has no administrator yet, so the first person creates one. */
export function SetupScreen() {
  const setup = useSetup();
  const form = useForm({
    mode: 'controlled',
    initialValues: { name: '', password: '', confirm: '' },
    validate: zodValidate(setupForm, (v) => v),
  });
  const submit = form.onSubmit(({ name, password }) =>
    setup.mutate({ name, password }, { onError: (error) => showServerError(form, error) }),
  );
  return (
    <AuthCard title="Create the first administrator" subtitle="This account manages Keyrack. Choose a long password you do not use elsewhere.">
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput label="Your name" autoComplete="username" data-autofocus autoFocus withAsterisk {...form.getInputProps('name')} />
          <PasswordInput label="Password" autoComplete="new-password" withAsterisk {...form.getInputProps('password')} />
          <PasswordStrengthHint password={form.values.password} />
          <PasswordInput label="Repeat the password" autoComplete="new-password" withAsterisk {...form.getInputProps('confirm')} />
          <Button type="submit" loading={setup.isPending}>
            Create administrator
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
