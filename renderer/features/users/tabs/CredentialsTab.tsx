import { useState } from 'react';
import { Badge, Button, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { IconPlus, IconRefresh } from '@tabler/icons-react';
import { DataTable } from 'mantine-datatable';
import type { NewSecret, SecretInfo, UserDetail } from '../../../../shared/dto.js';
import { addSecretInput, rotateSecretInput } from '../../../../shared/schemas.js';
import { useCan } from '../../../app/session.js';
import { ExpiryBadge } from '../../../components/badges.js';
import { ConfirmButton } from '../../../components/ConfirmButton.js';
import { keepEnterFromSubmitting, showServerError, zodValidate } from '../../../lib/form.js';
import { endOfDay, formatTime, strictDateInput } from '../../../lib/format.js';
import { DEFAULT_SECRET_EXPIRY, presetDay } from '../../../lib/secret-expiry.js';
import { SecretExpiryField } from '../../../components/SecretExpiryField.js';
import { errorMessage, notifyError, notifySuccess } from '../../../lib/notify.js';
import { ExportCredentialFileButton } from '../ExportCredentialFile.js';
import { SecretReveal } from '../SecretReveal.js';
import { useAddSecret, useRevokeSecret, useRotateSecret, useSecrets } from '../users.queries.js';

const STATE_COLORS: Record<SecretInfo['state'], string> = { live: 'teal', expired: 'gray', revoked: 'red' };

/** How long the old secret keeps working after a rotation, so the integration can switch without downtime. */
const GRACE_CHOICES = [
  { value: '0', label: 'End it now' },
  { value: '3600000', label: '1 hour' },
  { value: '86400000', label: '24 hours' },
  { value: '604800000', label: '7 days' },
  { value: '2592000000', label: '30 days' },
];

export function CredentialsTab({ user }: { user: UserDetail }) {
  const canManage = useCan('users.manage');
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
      ? `${user.name} is disabled: no secret works until it is enabled again`
      : user.expired
        ? `${user.name}'s account has expired: no secret works until its expiry is moved`
        : null;

  return (
    <Stack>
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          Client ID <b>{user.clientId}</b> · {live.length} live secret{live.length === 1 ? '' : 's'}. Several can be live at once, so a secret can be replaced without downtime.
        </Text>
        {canManage && (
          <Group gap="xs">
            <ExportCredentialFileButton userId={user.id} label="Export without secret" variant="default" />
            <Button leftSection={<IconPlus size={16} />} onClick={() => setAdding(true)}>
              Add secret
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
        noRecordsText="No secrets: this API user cannot get tokens until you add one"
        columns={[
          { accessor: 'label', title: 'Label', render: (s) => <Text size="sm" fw={500}>{s.label}</Text> },
          {
            accessor: 'state',
            title: 'State',
            render: (s) =>
              // A live secret of a disabled or expired account works no more than the account does: not green.
              s.state === 'live' && onHold ? (
                <Badge color="gray" variant="light" miw="max-content" title={onHold} data-testid={`secret-on-hold-${s.id}`}>
                  live · on hold
                </Badge>
              ) : (
                // max-content: in an auto-sized column a badge would otherwise shrink to "REVOK…".
                <Badge color={STATE_COLORS[s.state]} variant="light" miw="max-content">
                  {s.state}
                </Badge>
              ),
          },
          {
            accessor: 'createdAt',
            title: 'Created',
            // A date and time on one line; the label column takes the wrapping.
            noWrap: true,
            render: (s) => (
              <Stack gap={0}>
                <Text size="sm">{formatTime(s.createdAt)}</Text>
                <Text size="xs" c="dimmed">
                  by {s.createdBy}
                </Text>
              </Stack>
            ),
          },
          {
            accessor: 'expiresAt',
            title: 'Expires',
            noWrap: true,
            render: (s) => (s.state === 'revoked' ? <Text size="sm">Revoked {formatTime(s.revokedAt)}</Text> : <ExpiryBadge expiresAt={s.expiresAt} />),
          },
          {
            accessor: 'lastUsedAt',
            title: 'Last used',
            noWrap: true,
            render: (s) =>
              s.lastUsedAt ? (
                <Stack gap={0}>
                  <Text size="sm">{formatTime(s.lastUsedAt)}</Text>
                  <Text size="xs" c="dimmed">
                    from {s.lastUsedIp ?? 'unknown address'}
                  </Text>
                </Stack>
              ) : (
                <Text size="sm" c="dimmed">
                  Never
                </Text>
              ),
          },
          {
            accessor: 'actions',
            title: '',
            textAlign: 'right',
            render: (s) =>
              canManage && s.state === 'live' ? (
                <Group gap="xs" justify="flex-end" wrap="nowrap">
                  <Button size="xs" variant="light" leftSection={<IconRefresh size={14} />} onClick={() => setRotating(s)}>
                    Rotate
                  </Button>
                  <ConfirmButton
                    size="xs"
                    title={`Revoke the secret “${s.label}”?`}
                    consequence={`The secret “${s.label}” of ${user.name} stops working at once: the next token request with it is refused. Tokens already issued run until they expire. This cannot be undone.`}
                    confirmLabel="Revoke secret"
                    onConfirm={() =>
                      revoke.mutateAsync({ userId: user.id, secretId: s.id }).then(
                        () => notifySuccess(`Secret “${s.label}” revoked.`),
                        (error: unknown) => {
                          notifyError(error);
                          throw error;
                        },
                      )
                    }
                  >
                    Revoke
                  </ConfirmButton>
                </Group>
              ) : null,
          },
        ]}
      />

      <Modal opened={adding} onClose={() => setAdding(false)} title={<Text fw={600}>Add a secret</Text>} centered>
        <AddSecretForm
          userId={user.id}
          onDone={(secret) => {
            setAdding(false);
            setRevealed(secret);
          }}
          onCancel={() => setAdding(false)}
        />
      </Modal>

      <Modal opened={rotating !== null} onClose={() => setRotating(null)} title={<Text fw={600}>Rotate “{rotating?.label}”</Text>} centered>
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
      </Modal>

      <Modal
        opened={revealed !== null}
        onClose={() => setRevealed(null)}
        closeOnClickOutside={false}
        title={<Text fw={600}>New secret “{revealed?.info.label}”</Text>}
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
                <Button onClick={() => setRevealed(null)}>I have stored the secret</Button>
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
  const toInput = (v: { label: string; expiresAt: string | null }) => ({ userId, label: v.label, expiresAt: endOfDay(v.expiresAt) });
  const form = useForm({
    mode: 'controlled',
    initialValues: { label: '', expiresAt: presetDay(DEFAULT_SECRET_EXPIRY) ?? null },
    validate: zodValidate(addSecretInput, toInput),
  });
  const submit = form.onSubmit((values) =>
    add.mutate(toInput(values), {
      onSuccess: (secret) => {
        notifySuccess(`Secret “${secret.info.label}” added.`);
        onDone(secret);
      },
      onError: (error) => showServerError(form, error),
    }),
  );
  return (
    <form onSubmit={submit} onKeyDown={keepEnterFromSubmitting} noValidate>
      <Stack>
        <TextInput label="Label" description="Where it will be used, e.g. “production server”." withAsterisk data-autofocus {...form.getInputProps('label')} />
        <SecretExpiryField label="Expires" value={form.values.expiresAt} onChange={(day) => form.setFieldValue('expiresAt', day)} error={form.errors.expiresAt as string | undefined} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={add.isPending}>
            Create secret
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function RotateSecretForm({ userId, secret, onDone, onCancel }: SecretFormProps & { secret: SecretInfo }) {
  const rotate = useRotateSecret();
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
  const submit = form.onSubmit((values) =>
    rotate.mutate(toInput(values), {
      onSuccess: (created) => {
        notifySuccess(`Secret rotated. The old one works until ${formatTime(Date.now() + Number(values.grace))}.`);
        onDone(created);
      },
      onError: (error) => showServerError(form, error, (path) => (path === 'graceUntil' ? 'grace' : path)),
    }),
  );
  return (
    <form onSubmit={submit} onKeyDown={keepEnterFromSubmitting} noValidate>
      <Stack>
        <Text size="sm">
          A new secret replaces “{secret.label}”. The old one keeps working for the grace period, so the integration can switch without downtime.
        </Text>
        <Select label="Old secret keeps working for" data={GRACE_CHOICES} allowDeselect={false} {...form.getInputProps('grace')} />
        <TextInput label="New label" placeholder={secret.label} {...form.getInputProps('label')} />
        <DateInput
          label="New secret expires"
          description="Left empty, the new secret keeps the old one's expiry"
          placeholder={secret.expiresAt === null ? 'Never' : formatTime(secret.expiresAt)}
          clearable
          valueFormat="YYYY-MM-DD"
          {...strictDateInput()}
          minDate={new Date()}
          {...form.getInputProps('expiresAt')}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={rotate.isPending}>
            Rotate secret
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
