import { Button, Divider, Grid, Group, NumberInput, Paper, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { UserDetail } from '../../../../shared/dto.js';
import { updateUserInput } from '../../../../shared/schemas.js';
import { navigate } from '../../../app/router.js';
import { useUnsavedChanges } from '../../../app/use-unsaved-changes.js';
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
  const { t } = useTranslation(['users', 'common']);
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

  useUnsavedChanges(form.isDirty);
  const submit = form.onSubmit((values) =>
    update.mutate(toInput(user.id, user.kind)(values), {
      onSuccess: (saved) => {
        notifySuccess(t('profile.saved'));
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
              <TextInput label={t('field.name')} withAsterisk disabled={!canManage} {...form.getInputProps('name')} />
              <TextInput label={t('field.email')} type="email" disabled={!canManage} {...form.getInputProps('email')} />
              {isApi && (
                <Textarea label={t('field.description')} description={t('field.descriptionHint')} autosize minRows={2} disabled={!canManage} {...form.getInputProps('description')} />
              )}
              <Group grow align="flex-start">
                <DateInput label={t('field.accountExpires')} placeholder={t('common:never')} clearable {...strictDateInput()} disabled={!canManage} {...form.getInputProps('expiresAt')} />
                {isApi && (
                  <NumberInput
                    label={t('profile.tokenLifetime')}
                    description={t('profile.tokenLifetimeHint')}
                    placeholder={t('profile.serverDefault')}
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
                    {t('profile.undo')}
                  </Button>
                  <Button type="submit" loading={update.isPending} disabled={!form.isDirty()}>
                    {t('profile.save')}
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
              <Fact label={t('profile.created')}>{formatTime(user.createdAt)}</Fact>
              <Fact label={t('profile.createdBy')}>{user.createdBy}</Fact>
              {isApi && <Fact label={t('reveal.clientId')}>{user.clientId ?? '—'}</Fact>}
              {isApi && (
                <Fact label={t('profile.lastUsed')}>
                  {user.lastUsedAt ? t('profile.lastUsedAt', { time: formatTime(user.lastUsedAt), ip: user.lastUsedIp ?? t('profile.unknown') }) : t('common:never')}
                </Fact>
              )}
            </SimpleGrid>
          </Paper>
          {canManage && (
            <Paper withBorder p="lg">
              <Title order={3} size="h5" mb="xs">
                {t('profile.access')}
              </Title>
              <Stack gap="sm">
                {user.status === 'active' ? (
                  <ConfirmButton
                    color="orange"
                    title={t('profile.disableTitle', { name: user.name })}
                    consequence={isApi ? t('profile.disableApi', { name: user.name }) : t('profile.disablePerson', { name: user.name })}
                    confirmLabel={t('profile.disable')}
                    disabled={self}
                    onConfirm={() =>
                      disable.mutateAsync({ id: user.id }).then(
                        () => notifySuccess(t('profile.disabled', { name: user.name })),
                        (error: unknown) => {
                          notifyError(error);
                          throw error;
                        },
                      )
                    }
                  >
                    {t('profile.disable')}
                  </ConfirmButton>
                ) : (
                  <Button
                    variant="light"
                    color="teal"
                    loading={enable.isPending}
                    onClick={() =>
                      enable.mutate({ id: user.id }, { onSuccess: () => notifySuccess(t('profile.enabled', { name: user.name })), onError: (e) => notifyError(e) })
                    }
                  >
                    {t('profile.enable')}
                  </Button>
                )}
                <Divider />
                <ConfirmButton
                  title={t('profile.deleteTitle', { name: user.name })}
                  consequence={
                    isApi
                      ? t('profile.deleteApi', { name: user.name, clientId: user.clientId ?? '' })
                      : t('profile.deletePerson', { name: user.name })
                  }
                  confirmLabel={t('profile.deleteForGood')}
                  disabled={self}
                  onConfirm={() =>
                    remove.mutateAsync({ id: user.id }).then(
                      () => {
                        notifySuccess(t('profile.deleted', { name: user.name }));
                        navigate('/users', { discardChanges: true }); // the user is gone, and with it any edit
                      },
                      (error: unknown) => {
                        notifyError(error);
                        throw error;
                      },
                    )
                  }
                >
                  {isApi ? t('profile.deleteApiUser') : t('profile.deletePersonButton')}
                </ConfirmButton>
                {self && (
                  <Text size="xs" c="dimmed">
                    {t('profile.notYourOwn')}
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
