import { useState } from 'react';
import { Badge, Button, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { IconPlus, IconRefresh } from '@tabler/icons-react';
import { DataTable } from 'mantine-datatable';
import { useTranslation } from 'react-i18next';
import type { NewSecret, SecretInfo, UserDetail } from '../../../../shared/dto.js';
import { addSecretInput, rotateSecretInput } from '../../../../shared/schemas.js';
import { useCan } from '../../../app/session.js';
import { useUnsavedChanges } from '../../../app/use-unsaved-changes.js';
import { FormModal } from '../../../components/FormModal.js';
import { ConfirmButton } from '../../../components/ConfirmButton.js';
import { keepEnterFromSubmitting, showServerError, zodValidate } from '../../../lib/form.js';
import { endOfDay, formatTime, strictDateInput } from '../../../lib/format.js';
import { DEFAULT_SECRET_EXPIRY, presetDay } from '../../../lib/secret-expiry.js';
import { SecretExpiryField } from '../../../components/SecretExpiryField.js';
import { errorMessage, notifyError, notifySuccess } from '../../../lib/notify.js';
import { ExportCredentialFileButton } from '../ExportCredentialFile.js';
import { SecretReveal } from '../SecretReveal.js';
import { ClientKeysSection } from './ClientKeysSection.js';
import { lifeColumns, StateBadge } from './credential-columns.js';
import { useAddSecret, useRevokeSecret, useRotateSecret, useSecrets } from '../users.queries.js';

/** How long the old secret keeps working after a rotation (ms, under its catalogue key), so the integration can switch without downtime. */
const GRACE_CHOICES = [
  { value: '0', key: 'now' },
  { value: '3600000', key: 'hour' },
  { value: '86400000', key: 'day' },
  { value: '604800000', key: 'week' },
  { value: '2592000000', key: 'month' },
] as const;

export function CredentialsTab({ user }: { user: UserDetail }) {
  const canManage = useCan('users.manage');
  const { t } = useTranslation(['users', 'common']);
  const secrets = useSecrets(user.id);
  const revoke = useRevokeSecret();
  const [adding, setAdding] = useState(false);
  const [rotating, setRotating] = useState<SecretInfo | null>(null);
  const [revealed, setRevealed] = useState<NewSecret | null>(null);

  const rows = secrets.data ?? [];
  const live = rows.filter((s) => s.state === 'live');
  /** Why no secret of this user works now, if one of the account's own states says so. */
  const onHold =
    user.status === 'disabled'
      ? t('secrets.onHoldDisabled', { name: user.name })
      : user.expired
        ? t('secrets.onHoldExpired', { name: user.name })
        : null;

  return (
    <Stack>
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {t('reveal.clientId')} <b>{user.clientId}</b> · {t('secrets.liveCount', { count: live.length })}
        </Text>
        {canManage && (
          <Group gap="xs">
            <ExportCredentialFileButton userId={user.id} label={t('export.withoutSecretButton')} variant="default" />
            <Button leftSection={<IconPlus size={16} />} onClick={() => setAdding(true)}>
              {t('secrets.add')}
            </Button>
          </Group>
        )}
      </Group>
      {secrets.isError && <Text c="red">{errorMessage(secrets.error)}</Text>}
      <DataTable<SecretInfo>
        withTableBorder
        borderRadius="sm"
        minHeight={rows.length ? undefined : 150}
        fetching={secrets.isPending}
        records={rows}
        noRecordsText={t('secrets.empty')}
        columns={[
          { accessor: 'label', title: t('secrets.column.label'), render: (s) => <Text size="sm" fw={500}>{s.label}</Text> },
          {
            accessor: 'state',
            title: t('secrets.column.state'),
            render: (s) =>
              // A live secret of a disabled or expired account works no more than the account does: not green.
              s.state === 'live' && onHold ? (
                <Badge color="gray" variant="light" miw="max-content" title={onHold} data-testid={`secret-on-hold-${s.id}`}>
                  {t('secrets.onHold')}
                </Badge>
              ) : (
                <StateBadge state={s.state} t={t} />
              ),
          },
          ...lifeColumns<SecretInfo>(t),
          {
            accessor: 'actions',
            title: '',
            textAlign: 'right',
            render: (s) =>
              canManage && s.state === 'live' ? (
                // Wraps rather than overflow the table when the row is short of room (the German words are longer).
                <Group gap="xs" justify="flex-end">
                  <Button size="xs" variant="light" leftSection={<IconRefresh size={14} />} onClick={() => setRotating(s)}>
                    {t('secrets.rotate')}
                  </Button>
                  <ConfirmButton
                    size="xs"
                    title={t('secrets.revokeTitle', { label: s.label })}
                    consequence={t('secrets.revokeConsequence', { label: s.label, name: user.name })}
                    confirmLabel={t('secrets.revokeConfirm')}
                    onConfirm={() =>
                      revoke.mutateAsync({ userId: user.id, secretId: s.id }).then(
                        () => notifySuccess(t('secrets.revoked', { label: s.label })),
                        (error: unknown) => {
                          notifyError(error);
                          throw error;
                        },
                      )
                    }
                  >
                    {t('secrets.revoke')}
                  </ConfirmButton>
                </Group>
              ) : null,
          },
        ]}
      />

      <ClientKeysSection user={user} />

      <FormModal opened={adding} onClose={() => setAdding(false)} title={<Text fw={600}>{t('secrets.addTitle')}</Text>} centered>
        <AddSecretForm
          userId={user.id}
          onDone={(secret) => {
            setAdding(false);
            setRevealed(secret);
          }}
          onCancel={() => setAdding(false)}
        />
      </FormModal>

      <FormModal opened={rotating !== null} onClose={() => setRotating(null)} title={<Text fw={600}>{t('secrets.rotateTitle', { label: rotating?.label ?? '' })}</Text>} centered>
        {rotating && (
          <RotateSecretForm
            userId={user.id}
            secret={rotating}
            onDone={(secret) => {
              setRotating(null);
              setRevealed(secret);
            }}
            onCancel={() => setRotating(null)}
          />
        )}
      </FormModal>

      <Modal
        opened={revealed !== null}
        onClose={() => setRevealed(null)}
        closeOnClickOutside={false}
        title={<Text fw={600}>{t('secrets.newTitle', { label: revealed?.info.label ?? '' })}</Text>}
        size="lg"
        centered
      >
        {revealed && (
          <SecretReveal
            clientId={revealed.clientId}
            secret={revealed.secret}
            actions={
              <>
                <ExportCredentialFileButton userId={user.id} secret={revealed.secret} />
                <Button onClick={() => setRevealed(null)}>{t('secrets.stored')}</Button>
              </>
            }
          />
        )}
      </Modal>
    </Stack>
  );
}

interface SecretFormProps {
  userId: number;
  onDone: (secret: NewSecret) => void;
  onCancel: () => void;
}

function AddSecretForm({ userId, onDone, onCancel }: SecretFormProps) {
  const add = useAddSecret();
  const { t } = useTranslation(['users', 'common']);
  const toInput = (v: { label: string; expiresAt: string | null }) => ({ userId, label: v.label, expiresAt: endOfDay(v.expiresAt) });
  const form = useForm({
    mode: 'controlled',
    initialValues: { label: '', expiresAt: presetDay(DEFAULT_SECRET_EXPIRY) ?? null },
    validate: zodValidate(addSecretInput, toInput),
  });
  useUnsavedChanges(form.isDirty);
  const submit = form.onSubmit((values) =>
    add.mutate(toInput(values), {
      onSuccess: (secret) => {
        form.resetDirty(); // saved: nothing left to ask about (use-unsaved-changes.ts)
        notifySuccess(t('secrets.added', { label: secret.info.label }));
        onDone(secret);
      },
      onError: (error) => showServerError(form, error),
    }),
  );
  return (
    <form onSubmit={submit} onKeyDown={keepEnterFromSubmitting} noValidate>
      <Stack>
        <TextInput label={t('secrets.label')} description={t('secrets.labelHint')} withAsterisk data-autofocus {...form.getInputProps('label')} />
        <SecretExpiryField label={t('secrets.column.expires')} value={form.values.expiresAt} onChange={(day) => form.setFieldValue('expiresAt', day)} error={form.errors.expiresAt as string | undefined} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t('common:cancel')}
          </Button>
          <Button type="submit" loading={add.isPending}>
            {t('secrets.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function RotateSecretForm({ userId, secret, onDone, onCancel }: SecretFormProps & { secret: SecretInfo }) {
  const rotate = useRotateSecret();
  const { t } = useTranslation(['users', 'common']);
  interface Values {
    grace: string;
    label: string;
    expiresAt: string | null;
  }
  const toInput = (v: Values) => ({
    userId,
    secretId: secret.id,
    graceUntil: Date.now() + Number(v.grace),
    label: v.label.trim() === '' ? undefined : v.label,
    expiresAt: endOfDay(v.expiresAt),
  });
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: { grace: '86400000', label: '', expiresAt: null },
    validate: zodValidate(rotateSecretInput, toInput, (path) => (path === 'graceUntil' ? 'grace' : path)),
  });
  useUnsavedChanges(form.isDirty);
  const submit = form.onSubmit((values) =>
    rotate.mutate(toInput(values), {
      onSuccess: (created) => {
        form.resetDirty();
        notifySuccess(t('secrets.rotated', { time: formatTime(Date.now() + Number(values.grace)) }));
        onDone(created);
      },
      onError: (error) => showServerError(form, error, (path) => (path === 'graceUntil' ? 'grace' : path)),
    }),
  );
  return (
    <form onSubmit={submit} onKeyDown={keepEnterFromSubmitting} noValidate>
      <Stack>
        <Text size="sm">
          {t('secrets.rotateExplain', { label: secret.label })}
        </Text>
        <Select
          label={t('secrets.grace')}
          data={GRACE_CHOICES.map(({ value, key }) => ({ value, label: t(`secrets.graceChoice.${key}`) }))}
          allowDeselect={false} {...form.getInputProps('grace')} />
        <TextInput label={t('secrets.newLabel')} placeholder={secret.label} {...form.getInputProps('label')} />
        <DateInput
          label={t('secrets.newExpires')}
          description={t('secrets.newExpiresHint')}
          placeholder={secret.expiresAt === null ? t('common:never') : formatTime(secret.expiresAt)}
          clearable
          {...strictDateInput()}
          minDate={new Date()}
          {...form.getInputProps('expiresAt')}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t('common:cancel')}
          </Button>
          <Button type="submit" loading={rotate.isPending}>
            {t('secrets.rotateSubmit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
