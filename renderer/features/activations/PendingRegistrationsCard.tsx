import { Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconUserQuestion } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from '../../app/router.js';
import { useCan } from '../../app/session.js';
import { formatTime } from '../../lib/format.js';
import { errorMessage } from '../../lib/notify.js';
import { usePendingRegistrations } from './activations.queries.js';
import { RegistrationDecision } from './RegistrationDecision.js';

/**
 * The Overview's card of registrations waiting for an administrator (activations with approval on): each
 * with who registered, with which activation, when and from where, and approve / refuse. Nothing shows
 * while none waits.
 */
export function PendingRegistrationsCard() {
  const { t } = useTranslation('activations');
  const canManage = useCan('users.manage');
  const pending = usePendingRegistrations();
  if (pending.isError) {
    return (
      <Text size="sm" c="red" role="alert">
        {errorMessage(pending.error)}
      </Text>
    );
  }
  const rows = pending.data ?? [];
  if (rows.length === 0) return null;
  return (
    <Paper withBorder radius="md" p="md" data-testid="pending-registrations" style={{ borderColor: 'var(--mantine-color-orange-5)' }}>
      <Stack gap="sm">
        <Group gap="xs" wrap="nowrap">
          <IconUserQuestion size={20} color="var(--mantine-color-orange-7)" aria-hidden />
          <Title order={2} size="h4">
            {t('pending.title')}
          </Title>
        </Group>
        <Text size="sm" c="dimmed">
          {t('pending.hint')}
        </Text>
        {rows.map((r) => (
          <Group key={r.id} justify="space-between" wrap="wrap" gap="xs" data-testid="pending-registration">
            <Stack gap={0} style={{ minWidth: 0, flex: '1 1 260px' }}>
              <Text size="sm" fw={600}>
                {r.userId !== null ? <Link to={`/users/${r.userId}`}>{r.clientName}</Link> : r.clientName}
              </Text>
              <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>
                {r.clientId}
                {r.sourceIp ? ` · ${t('registrations.from', { ip: r.sourceIp })}` : ''}
                {r.softwareId ? ` · ${[r.softwareId, r.softwareVersion].filter(Boolean).join(' ')}` : ''}
              </Text>
              <Text size="xs" c="dimmed">
                {t('pending.registeredWith', { activation: r.activationName, time: formatTime(r.registeredAt) })}
              </Text>
            </Stack>
            {canManage && <RegistrationDecision registration={r} />}
          </Group>
        ))}
      </Stack>
    </Paper>
  );
}
