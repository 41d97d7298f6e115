import { Button, Divider, Grid, Group, NumberInput, Paper, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import dayjs from 'dayjs';
import type { UserDetail } from '../../../../shared/dto.js';
import { updateUserInput } from '../../../../shared/schemas.js';
import { navigate } from '../../../app/router.js';
import { useCan, useSession } from '../../../app/session.js';
import { ConfirmButton } from '../../../components/ConfirmButton.js';
import { showServerError, zodValidate } from '../../../lib/form.js';
import { endOfDay, formatTime, strictDateInput } from '../../../lib/format.js';
import { notifyError, notifySuccess } from '../../../lib/notify.js';
import { useDeleteUser, useDisableUser, useEnableUser, useUpdateUser } from '../users.queries.js';

interface Values {
  name: string;
  email: string;
  description: string;
  expiresAt: string | null;
  tokenLifetimeSeconds: number | string;
}

const toInput = (id: number, kind: UserDetail['kind']) => (v: Values) => ({
  id,
  name: v.name,
  email: v.email.trim() === '' ? null : v.email,
  ...(kind === 'api'
    ? {
        description: v.description,
        tokenLifetimeSeconds: v.tokenLifetimeSeconds === '' ? null : Number(v.tokenLifetimeSeconds),
      }
    : {}),
  expiresAt: endOfDay(v.expiresAt) ?? null,
});

export function ProfileTab({ user }: { user: UserDetail }) {
  const canManage = useCan('users.manage');
  const session = useSession();
  const update = useUpdateUser();
  const disable = useDisableUser();
  const enable = useEnableUser();
  const remove = useDeleteUser();
  const isApi = user.kind === 'api';
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: {
      name: user.name,
      email: user.email ?? '',
      description: user.description,
      expiresAt: user.expiresAt ? dayjs(user.expiresAt).format('YYYY-MM-DD') : null,
      tokenLifetimeSeconds: user.tokenLifetimeSeconds ?? '',
    },
    validate: zodValidate(updateUserInput, toInput(user.id, user.kind)),
  });

  const submit = form.onSubmit((values) =>
    update.mutate(toInput(user.id, user.kind)(values), {
      onSuccess: (saved) => {
        notifySuccess('Profile saved.');
        form.resetDirty({ ...values, name: saved.name });
      },
      onError: (error) => showServerError(form, error),
    }),
  );
  const self = user.id === session.userId;

  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, md: 7 }}>
        <Paper withBorder p="lg">
          <form onSubmit={submit} noValidate>
            <Stack>
              <TextInput label="Name" withAsterisk disabled={!canManage} {...form.getInputProps('name')} />
              <TextInput label="Email" type="email" disabled={!canManage} {...form.getInputProps('email')} />
              {isApi && (
                <Textarea label="Description" description="Which integration is this for?" autosize minRows={2} disabled={!canManage} {...form.getInputProps('description')} />
              )}
              <Group grow align="flex-start">
                <DateInput label="Account expires" placeholder="Never" clearable valueFormat="YYYY-MM-DD" {...strictDateInput()} disabled={!canManage} {...form.getInputProps('expiresAt')} />
                {isApi && (
                  <NumberInput
                    label="Token lifetime (seconds)"
                    description="60 to 86400; empty: the token server's default."
                    placeholder="Server default"
                    min={60}
                    max={86_400}
                    // No clamping: an out-of-range number stays as typed and the field says what is wrong,
                    // as in the token server settings, instead of changing silently when it loses focus.
                    clampBehavior="none"
                    allowDecimal={false}
                    disabled={!canManage}
                    {...form.getInputProps('tokenLifetimeSeconds')}
                  />
                )}
              </Group>
              {canManage && (
                <Group justify="flex-end">
                  <Button variant="default" onClick={() => form.reset()} disabled={!form.isDirty()}>
                    Undo changes
                  </Button>
                  <Button type="submit" loading={update.isPending} disabled={!form.isDirty()}>
                    Save profile
                  </Button>
                </Group>
              )}
            </Stack>
          </form>
        </Paper>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 5 }}>
        <Stack>
          <Paper withBorder p="lg">
            <SimpleGrid cols={2} spacing="xs" verticalSpacing={6}>
              <Fact label="Created">{formatTime(user.createdAt)}</Fact>
              <Fact label="Created by">{user.createdBy}</Fact>
              {isApi && <Fact label="Client ID">{user.clientId ?? '—'}</Fact>}
              {isApi && <Fact label="Last used">{user.lastUsedAt ? `${formatTime(user.lastUsedAt)} from ${user.lastUsedIp ?? 'unknown'}` : 'Never'}</Fact>}
            </SimpleGrid>
          </Paper>
          {canManage && (
            <Paper withBorder p="lg">
              <Title order={3} size="h5" mb="xs">
                Access
              </Title>
              <Stack gap="sm">
                {user.status === 'active' ? (
                  <ConfirmButton
                    color="orange"
                    title={`Disable ${user.name}?`}
                    consequence={
                      isApi
                        ? `${user.name} will get no new tokens until you enable it again. Tokens it already holds run until they expire. Its secrets, groups and settings are kept.`
                        : `${user.name} will not be able to log in until you enable the account again.`
                    }
                    confirmLabel="Disable"
                    disabled={self}
                    onConfirm={() =>
                      disable.mutateAsync({ id: user.id }).then(
                        () => notifySuccess(`${user.name} is disabled.`),
                        (error: unknown) => {
                          notifyError(error);
                          throw error;
                        },
                      )
                    }
                  >
                    Disable
                  </ConfirmButton>
                ) : (
                  <Button
                    variant="light"
                    color="teal"
                    loading={enable.isPending}
                    onClick={() =>
                      enable.mutate({ id: user.id }, { onSuccess: () => notifySuccess(`${user.name} is active again.`), onError: (e) => notifyError(e) })
                    }
                  >
                    Enable
                  </Button>
                )}
                <Divider />
                <ConfirmButton
                  title={`Delete ${user.name}?`}
                  consequence={
                    isApi
                      ? `This deletes the API user ${user.name}, its client id ${user.clientId ?? ''} and all its secrets. Integrations using it stop getting tokens. The log keeps its history. This cannot be undone.`
                      : `This deletes ${user.name}'s account. The log keeps their history. This cannot be undone.`
                  }
                  confirmLabel="Delete for good"
                  disabled={self}
                  onConfirm={() =>
                    remove.mutateAsync({ id: user.id }).then(
                      () => {
                        notifySuccess(`${user.name} was deleted.`);
                        navigate('/users');
                      },
                      (error: unknown) => {
                        notifyError(error);
                        throw error;
                      },
                    )
                  }
                >
                  Delete {isApi ? 'API user' : 'person'}
                </ConfirmButton>
                {self && (
                  <Text size="xs" c="dimmed">
                    You cannot disable or delete your own account.
                  </Text>
                )}
              </Stack>
            </Paper>
          )}
        </Stack>
      </Grid.Col>
    </Grid>
  );
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      {/* Breaks only where a line would overflow (a long client id), never inside "127.0.0.1" when it fits. */}
      <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
        {children}
      </Text>
    </>
  );
}
