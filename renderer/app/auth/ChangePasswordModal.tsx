import { Button, Group, PasswordInput, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { changePasswordInput } from '../../../shared/schemas.js';
import { FormModal } from '../../components/FormModal.js';
import { useUnsavedChanges } from '../use-unsaved-changes.js';
import { showServerError, withRepeatedPassword, zodValidate } from '../../lib/form.js';
import { notifySuccess } from '../../lib/notify.js';
import { PasswordStrengthHint } from './PasswordStrengthHint.js';
import { useChangePassword } from './auth.queries.js';

interface Values {
  currentPassword: string;
  newPassword: string;
  repeat: string;
}

const EMPTY: Values = { currentPassword: '', newPassword: '', repeat: '' };
const toInput = (v: Values) => ({ currentPassword: v.currentPassword, newPassword: v.newPassword });

/**
 * The logged-in person's own password, from the account menu. The current one is asked (and checked in
 * main) so that someone at an unlocked screen cannot take the account over; the session goes on afterwards.
 */
export function ChangePasswordModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const change = useChangePassword();
  const { t } = useTranslation(['app', 'common']);
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: EMPTY,
    validate: withRepeatedPassword(zodValidate(changePasswordInput, toInput)),
  });
  useUnsavedChanges(() => opened && form.isDirty());
  // Passwords never linger in a closed form.
  const close = () => {
    form.setValues(EMPTY);
    form.clearErrors();
    change.reset();
    onClose();
  };
  const submit = form.onSubmit((values) =>
    change.mutate(toInput(values), {
      onSuccess: () => {
        notifySuccess(t('changePassword.done'));
        close();
      },
      onError: (error) => showServerError(form, error),
    }),
  );
  return (
    <FormModal opened={opened} onClose={close} title={t('changePassword.title')}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <PasswordInput label={t('changePassword.current')} autoComplete="current-password" withAsterisk data-autofocus {...form.getInputProps('currentPassword')} />
          <PasswordInput label={t('changePassword.new')} autoComplete="new-password" withAsterisk {...form.getInputProps('newPassword')} />
          <PasswordStrengthHint password={form.values.newPassword} />
          <PasswordInput label={t('changePassword.repeat')} autoComplete="new-password" withAsterisk {...form.getInputProps('repeat')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common:cancel')}
            </Button>
            <Button type="submit" loading={change.isPending}>
              {t('changePassword.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </FormModal>
  );
}
