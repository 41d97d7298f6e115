import { useState } from 'react';
import { Button, Code, Group, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPlus } from '@tabler/icons-react';
import { DataTable } from 'mantine-datatable';
import { useTranslation } from 'react-i18next';
import type { ClientKeyInfo, UserDetail } from '../../../../shared/dto.js';
import { addClientKeyInput } from '../../../../shared/schemas.js';
import { useCan } from '../../../app/session.js';
import { useUnsavedChanges } from '../../../app/use-unsaved-changes.js';
import { FormModal } from '../../../components/FormModal.js';
import { ConfirmButton } from '../../../components/ConfirmButton.js';
import { SecretExpiryField } from '../../../components/SecretExpiryField.js';
import { keepEnterFromSubmitting, showServerError, zodValidate } from '../../../lib/form.js';
import { endOfDay } from '../../../lib/format.js';
import { errorMessage, notifyError, notifySuccess } from '../../../lib/notify.js';
import { useAddClientKey, useClientKeys, useRevokeClientKey } from '../users.queries.js';
import { lifeColumns, StateBadge } from './credential-columns.js';

/**
 * The API user's public keys (private_key_jwt), beside its secrets on the Credentials tab: the integration
 * keeps the private key and signs its token requests with it; Keyrack holds only the public half.
 */
export function ClientKeysSection({ user }: { user: UserDetail }) {
  const canManage = useCan('users.manage');
  const { t } = useTranslation(['users', 'common']);
  const keys = useClientKeys(user.id);
  const revoke = useRevokeClientKey();
  const [adding, setAdding] = useState(false);
  const rows = keys.data ?? [];

  return (
    <Stack data-testid="client-keys">
      <Group justify="space-between">
        <Stack gap={0}>
          <Title order={4}>{t('clientKeys.title')}</Title>
          <Text size="sm" c="dimmed">
            {t('clientKeys.hint')}
          </Text>
        </Stack>
        {canManage && (
          <Button leftSection={<IconPlus size={16} />} variant="default" onClick={() => setAdding(true)}>
            {t('clientKeys.add')}
          </Button>
        )}
      </Group>
      {keys.isError && <Text c="red">{errorMessage(keys.error)}</Text>}
      <DataTable<ClientKeyInfo>
        withTableBorder
        borderRadius="sm"
        minHeight={rows.length ? undefined : 120}
        fetching={keys.isPending}
        records={rows}
        noRecordsText={t('clientKeys.empty')}
        columns={[
          {
            accessor: 'label',
            title: t('clientKeys.column.key'),
            render: (k) => (
              // The key id (43 characters, no spaces) breaks anywhere: on one line it pushed the Revoke button
              // out of a 1024×768 window.
              <Stack gap={0} maw={240}>
                <Text size="sm" fw={500}>
                  {k.label}
                </Text>
                <Text size="xs" c="dimmed">
                  <Code style={{ wordBreak: 'break-all' }}>{k.kid}</Code> · {k.alg}
                </Text>
              </Stack>
            ),
          },
          { accessor: 'state', title: t('secrets.column.state'), render: (k) => <StateBadge state={k.state} t={t} /> },
          ...lifeColumns<ClientKeyInfo>(t),
          {
            accessor: 'actions',
            title: '',
            textAlign: 'right',
            render: (k) =>
              canManage && k.state === 'live' ? (
                <ConfirmButton
                  size="xs"
                  title={t('clientKeys.revokeTitle', { label: k.label })}
                  consequence={t('clientKeys.revokeConsequence', { label: k.label, name: user.name })}
                  confirmLabel={t('clientKeys.revokeConfirm')}
                  onConfirm={() =>
                    revoke.mutateAsync({ userId: user.id, kid: k.kid }).then(
                      () => notifySuccess(t('clientKeys.revoked', { label: k.label })),
                      (error: unknown) => {
                        notifyError(error);
                        throw error;
                      },
                    )
                  }
                >
                  {t('secrets.revoke')}
                </ConfirmButton>
              ) : null,
          },
        ]}
      />
      <FormModal opened={adding} onClose={() => setAdding(false)} title={<Text fw={600}>{t('clientKeys.addTitle')}</Text>} size="lg" centered>
        <AddClientKeyForm userId={user.id} onDone={() => setAdding(false)} />
      </FormModal>
    </Stack>
  );
}

function AddClientKeyForm({ userId, onDone }: { userId: number; onDone: () => void }) {
  const add = useAddClientKey();
  const { t } = useTranslation(['users', 'common']);
  interface Values {
    key: string;
    label: string;
    expiresAt: string | null;
  }
  const toInput = (v: Values) => ({ userId, key: v.key, label: v.label, expiresAt: endOfDay(v.expiresAt) });
  const form = useForm<Values>({ mode: 'controlled', initialValues: { key: '', label: '', expiresAt: null }, validate: zodValidate(addClientKeyInput, toInput) });
  useUnsavedChanges(form.isDirty);
  const submit = form.onSubmit((values) =>
    add.mutate(toInput(values), {
      onSuccess: (info) => {
        form.resetDirty(); // saved: nothing left to ask about (use-unsaved-changes.ts)
        notifySuccess(t('clientKeys.added', { label: info.label, kid: info.kid }));
        onDone();
      },
      onError: (error) => showServerError(form, error),
    }),
  );
  return (
    <form onSubmit={submit} onKeyDown={keepEnterFromSubmitting} noValidate>
      <Stack>
        <Textarea
          label={t('clientKeys.key')}
          description={t('clientKeys.keyHint')}
          withAsterisk
          autosize
          minRows={5}
          maxRows={12}
          styles={{ input: { fontFamily: 'monospace' } }}
          data-autofocus
          {...form.getInputProps('key')}
        />
        <TextInput label={t('secrets.label')} description={t('clientKeys.labelHint')} withAsterisk {...form.getInputProps('label')} />
        <SecretExpiryField label={t('secrets.column.expires')} value={form.values.expiresAt} onChange={(day) => form.setFieldValue('expiresAt', day)} error={form.errors.expiresAt as string | undefined} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('common:cancel')}
          </Button>
          <Button type="submit" loading={add.isPending}>
            {t('clientKeys.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
