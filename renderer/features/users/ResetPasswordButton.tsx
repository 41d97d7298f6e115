import { Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { IconKey } from '@tabler/icons-react';
import type { UserDetail } from '../../../shared/dto.js';
import { resetPasswordInput } from '../../../shared/schemas.js';
import { PasswordStrengthHint } from '../../app/auth/PasswordStrengthHint.js';
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
  const toInput = (v: Values) => ({ id: user.id, newPassword: v.newPassword });
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: EMPTY,
    validate: withRepeatedPassword(zodValidate(resetPasswordInput, toInput)),
  });
  const close = () => {
    form.setValues(EMPTY);
    form.clearErrors();
    hide();
  };
  const submit = form.onSubmit((values) =>
    reset.mutate(toInput(values), {
      onSuccess: () => {
        notifySuccess(`${user.name}'s password is changed. Tell it to them in person.`);
        close();
      },
      onError: (error) => showServerError(form, error),
    }),
  );
  return (
    <>
      <Button variant="default" leftSection={<IconKey size={16} aria-hidden />} onClick={open}>
        Reset password
      </Button>
      <Modal opened={opened} onClose={close} title={`Reset ${user.name}'s password`}>
        <form onSubmit={submit} noValidate>
          <Stack>
            <Text size="sm">
              For when {user.name} has forgotten it. Their old password stops working at once; the log records that you reset it.
            </Text>
            <PasswordInput label="New password" autoComplete="new-password" withAsterisk data-autofocus {...form.getInputProps('newPassword')} />
            <PasswordStrengthHint password={form.values.newPassword} />
            <PasswordInput label="Repeat the new password" autoComplete="new-password" withAsterisk {...form.getInputProps('repeat')} />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={reset.isPending}>
                Set new password
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
