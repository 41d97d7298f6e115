import { Button, Group, PasswordInput, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { IconKey } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { UserDetail } from '../../../shared/dto.js';
import { resetPasswordInput } from '../../../shared/schemas.js';
import { PasswordStrengthHint } from '../../app/auth/PasswordStrengthHint.js';
import { useUnsavedChanges } from '../../app/use-unsaved-changes.js';
import { FormModal } from '../../components/FormModal.js';
import { showServerError, withRepeatedPassword, zodValidate } from '../../lib/form.js';
import { notifySuccess } from '../../lib/notify.js';
import { useResetPassword } from './users.queries.js';

interface Values {
  newPassword: string;
  repeat: string;
}

const EMPTY: Values = { newPassword: '', repeat: '' };

/**
 * An administrator sets a new password for a person who forgot theirs (users.resetPassword: users.manage,
 * logged). Shown only for another person: your own goes through Change password in the account menu.
 */
export function ResetPasswordButton({ user }: { user: UserDetail }) {
  const [opened, { open, close: hide }] = useDisclosure(false);
  const reset = useResetPassword();
  const { t } = useTranslation(['users', 'app', 'common']);
  const toInput = (v: Values) => ({ id: user.id, newPassword: v.newPassword });
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: EMPTY,
    validate: withRepeatedPassword(zodValidate(resetPasswordInput, toInput)),
  });
  useUnsavedChanges(() => opened && form.isDirty());
  const close = () => {
    form.setValues(EMPTY);
    form.clearErrors();
    hide();
  };
  const submit = form.onSubmit((values) =>
    reset.mutate(toInput(values), {
      onSuccess: () => {
        notifySuccess(t('resetPassword.done', { name: user.name }));
        close();
      },
      onError: (error) => showServerError(form, error),
    }),
  );
  return (
    <>
      <Button variant="default" leftSection={<IconKey size={16} aria-hidden />} onClick={open}>
        {t('resetPassword.button')}
      </Button>
      <FormModal opened={opened} onClose={close} title={t('resetPassword.title', { name: user.name })}>
        <form onSubmit={submit} noValidate>
          <Stack>
            <Text size="sm">
              {t('resetPassword.explain', { name: user.name })}
            </Text>
            <PasswordInput label={t('app:changePassword.new')} autoComplete="new-password" withAsterisk data-autofocus {...form.getInputProps('newPassword')} />
            <PasswordStrengthHint password={form.values.newPassword} />
            <PasswordInput label={t('app:changePassword.repeat')} autoComplete="new-password" withAsterisk {...form.getInputProps('repeat')} />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('common:cancel')}
              </Button>
              <Button type="submit" loading={reset.isPending}>
                {t('resetPassword.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      </FormModal>
    </>
  );
}
