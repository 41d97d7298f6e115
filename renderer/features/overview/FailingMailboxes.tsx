import { Badge, Group, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconMailX } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from '../../app/router.js';
import { formatCount, formatTime } from '../../lib/format.js';
import { logHref } from '../log/log-url.js';
import { useMailStats } from '../mailboxes/mail.queries.js';

/**
 * Mailboxes whose mail is not getting out (mail.stats `failing`): a message given up on since the last one
 * sent, or retries piling up. Read in the renderer from mail.stats; the overview's own answer does not carry it.
 */
export function FailingMailboxes() {
  const { t } = useTranslation(['overview', 'common']);
  const stats = useMailStats();
  const failing = (stats.data ?? []).filter((s) => s.failing);
  // Nothing to say until someone sends mail through Keyrack: an installation without the relay sees no card.
  if (!stats.data?.some((s) => s.queued + s.sending + s.sent + s.failed > 0)) return null;
  return (
    <Paper withBorder radius="md" p="md" data-testid="attention-mail" component="section" aria-label={t('mail.title')}>
      <Group justify="space-between" mb="sm" wrap="nowrap">
        <Group gap="xs" wrap="nowrap">
          <ThemeIcon variant="light" color={failing.length > 0 ? 'red' : 'teal'} size="md" radius="md">
            {failing.length > 0 ? <IconMailX size={18} /> : <IconCircleCheck size={18} />}
          </ThemeIcon>
          <Title order={2} size="h5">
            {t('mail.title')}
          </Title>
        </Group>
        {failing.length > 0 ? (
          <Badge color="red" variant="filled" leftSection={<IconAlertTriangle size={12} />} style={{ flexShrink: 0 }} aria-label={t('attention.toLookAt', { count: failing.length })}>
            {formatCount(failing.length)}
          </Badge>
        ) : null}
      </Group>
      {failing.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('mail.empty')}
        </Text>
      ) : (
        <Stack gap="xs">
          {failing.map((s) => (
            <Group key={s.mailboxId} justify="space-between" wrap="nowrap" align="flex-start" gap="sm">
              <Stack gap={2} style={{ minWidth: 0 }}>
                <Link to="/mailboxes" fw={500} truncate>
                  {s.address}
                </Link>
                <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                  {s.lastError ? t('mail.lastError', { error: s.lastError, time: formatTime(s.lastErrorAt) }) : t('mail.retrying')}
                </Text>
              </Stack>
              <Link to={logHref({ type: 'mail.failed' })} size="sm" fw={600} style={{ whiteSpace: 'nowrap' }}>
                {t('mail.counts', { failed: formatCount(s.failed), queued: formatCount(s.queued + s.sending) })}
              </Link>
            </Group>
          ))}
        </Stack>
      )}
    </Paper>
  );
}
