import { Button, Group, Stack, TextInput } from '@mantine/core';
import { useForm, type UseFormReturnType } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import * as S from '../../../shared/schemas.js';
import { useUnsavedChanges } from '../../app/use-unsaved-changes.js';
import { zodValidate } from '../../lib/form.js';

export interface MailboxFormValues {
  address: string;
  displayName: string;
}

export const EMPTY_MAILBOX: MailboxFormValues = { address: '', displayName: '' };

export interface MailboxFormProps {
  initial: MailboxFormValues;
  submitLabel: string;
  loading: boolean;
  onSubmit: (values: MailboxFormValues, form: UseFormReturnType<MailboxFormValues>) => void;
  onCancel?: () => void;
}

/** A mailbox's address and display name, validated with the schema main uses. */
export function MailboxForm({ initial, submitLabel, loading, onSubmit, onCancel }: MailboxFormProps) {
  const { t } = useTranslation(['mailboxes', 'common']);
  const form = useForm<MailboxFormValues>({
    initialValues: initial,
    validate: zodValidate<MailboxFormValues, typeof S.createMailboxInput>(S.createMailboxInput, (v) => ({
      address: v.address.trim(),
      displayName: v.displayName,
    })),
  });
  useUnsavedChanges(form.isDirty);
  return (
    <form onSubmit={form.onSubmit((values) => onSubmit({ ...values, address: values.address.trim() }, form))} noValidate>
      <Stack gap="sm">
        <TextInput label={t('form.address')} withAsterisk placeholder={t('form.addressPlaceholder')} data-autofocus {...form.getInputProps('address')} />
        <TextInput label={t('form.displayName')} placeholder={t('form.displayNamePlaceholder')} description={t('form.displayNameHint')} {...form.getInputProps('displayName')} />
        <Group justify="flex-end" mt="xs">
          {onCancel ? (
            <Button variant="default" onClick={onCancel}>
              {t('common:cancel')}
            </Button>
          ) : null}
          <Button type="submit" loading={loading}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
