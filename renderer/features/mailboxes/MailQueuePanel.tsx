import { useState } from 'react';
import { Alert, Badge, Button, Group, SegmentedControl, SimpleGrid, Stack, Text, Tooltip } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { DataTable } from 'mantine-datatable';
import { useTranslation } from 'react-i18next';
import type { MailboxMailStats, MailQueueEntry, MailState } from '../../../shared/mail.dto.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { formatCount, formatTime } from '../../lib/format.js';
import { notifyError, notifySuccess } from '../../lib/notify.js';
import { useDropMail, useMailQueue, useRetryMail } from './mail.queries.js';

const PAGE_SIZE = 10;

const STATE_COLOR: Record<MailState, string> = { queued: 'blue', sending: 'violet', sent: 'teal', failed: 'red' };

/** Empty counts for a mailbox nothing was sent from yet (mail.stats lists only mailboxes with messages). */
export const NO_MAIL_STATS = { queued: 0, sending: 0, sent: 0, failed: 0, lastError: null, lastErrorAt: null, lastSentAt: null, failing: false };

/** A mailbox's counts and last error, then its queue: each message without its content, to retry or drop. */
export function MailQueuePanel({ mailboxId, stats, canManage }: { mailboxId: number; stats: MailboxMailStats | undefined; canManage: boolean }) {
  const { t } = useTranslation(['mailboxes', 'common']);
  const [state, setState] = useState<MailState | 'all'>('all');
  const [page, setPage] = useState(1);
  const query = { mailboxId, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE, ...(state === 'all' ? {} : { state }) };
  const queue = useMailQueue(query);
  const retry = useRetryMail();
  const drop = useDropMail();
  const s = stats ?? NO_MAIL_STATS;

  const retryNow = async (entry: MailQueueEntry) => {
    try {
      await retry.mutateAsync(entry.id);
      notifySuccess(t('mail.queue.retried'));
    } catch (error) {
      notifyError(error, t('mail.queue.retryFailed'));
    }
  };
  const dropIt = async (entry: MailQueueEntry) => {
    try {
      await drop.mutateAsync(entry.id);
      notifySuccess(t('mail.queue.dropped'));
    } catch (error) {
      notifyError(error, t('mail.queue.dropFailed'));
      throw error;
    }
  };

  return (
    <Stack gap="md">
      <SimpleGrid cols={4} spacing="xs" data-testid="mail-counts">
        <Count label={t('mail.state.queued')} value={s.queued + s.sending} color="blue" />
        <Count label={t('mail.state.sent')} value={s.sent} color="teal" />
        <Count label={t('mail.state.failed')} value={s.failed} color="red" />
        <Stack gap={0}>
          <Text size="xs" c="dimmed">
            {t('mail.lastSent')}
          </Text>
          <Text size="sm">{formatTime(s.lastSentAt)}</Text>
        </Stack>
      </SimpleGrid>
      {s.lastError ? (
        <Alert color={s.failing ? 'red' : 'orange'} icon={<IconAlertTriangle size={18} />} title={t('mail.lastError', { time: formatTime(s.lastErrorAt) })}>
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            {s.lastError}
          </Text>
        </Alert>
      ) : null}
      <SegmentedControl
        size="xs"
        value={state}
        onChange={(value) => {
          setState(value as MailState | 'all');
          setPage(1);
        }}
        data={[
          { value: 'all', label: t('mail.state.all') },
          { value: 'queued', label: t('mail.state.queued') },
          { value: 'sent', label: t('mail.state.sent') },
          { value: 'failed', label: t('mail.state.failed') },
        ]}
        aria-label={t('mail.queue.filter')}
      />
      {queue.isError ? (
        <Text c="red" role="alert">
          {(queue.error as Error).message}
        </Text>
      ) : (
        <DataTable
          withTableBorder
          borderRadius="sm"
          minHeight={queue.data?.rows.length ? undefined : 140}
          fetching={queue.isLoading}
          records={queue.data?.rows ?? []}
          idAccessor="id"
          aria-label={t('mail.queue.label')}
          noRecordsText={t('mail.queue.empty')}
          totalRecords={queue.data?.total ?? 0}
          recordsPerPage={PAGE_SIZE}
          page={page}
          onPageChange={setPage}
          paginationText={({ from, to, totalRecords }) => t('mail.queue.range', { from, to, total: totalRecords })}
          getPaginationControlProps={(control) =>
            control === 'previous' || control === 'next' ? { 'aria-label': t(`common:table.${control}Page`) } : {}
          }
          columns={[
            { accessor: 'createdAt', title: t('mail.queue.when'), render: (m) => formatTime(m.createdAt) },
            { accessor: 'userName', title: t('mail.queue.from') },
            {
              accessor: 'recipientCount',
              title: t('mail.queue.to'),
              render: (m) => (
                <Tooltip label={m.recipientDomains.join(', ')} disabled={m.recipientDomains.length === 0}>
                  <Text size="sm">{t('mail.queue.recipients', { count: m.recipientCount })}</Text>
                </Tooltip>
              ),
            },
            {
              accessor: 'state',
              title: t('mail.queue.state'),
              render: (m) => (
                <Stack gap={2}>
                  <Badge color={STATE_COLOR[m.state]} variant="light" miw="max-content">
                    {t(`mail.state.${m.state}`)}
                  </Badge>
                  {m.state !== 'sent' && m.lastError ? (
                    <Text size="xs" c="dimmed" lineClamp={2} title={m.lastError} style={{ overflowWrap: 'anywhere' }}>
                      {m.lastError}
                    </Text>
                  ) : null}
                </Stack>
              ),
            },
            ...(canManage
              ? [
                  {
                    accessor: 'actions',
                    title: '',
                    render: (m: MailQueueEntry) =>
                      m.state === 'queued' || m.state === 'failed' ? (
                        <Group gap={4} justify="flex-end" wrap="nowrap">
                          <Button size="compact-xs" variant="light" onClick={() => void retryNow(m)} loading={retry.isPending && retry.variables === m.id}>
                            {t('mail.queue.retry')}
                          </Button>
                          <ConfirmButton
                            size="compact-xs"
                            title={t('mail.queue.dropTitle')}
                            consequence={t('mail.queue.dropConsequence', { count: m.recipientCount, user: m.userName })}
                            confirmLabel={t('mail.queue.drop')}
                            onConfirm={() => dropIt(m)}
                          >
                            {t('mail.queue.drop')}
                          </ConfirmButton>
                        </Group>
                      ) : null,
                  },
                ]
              : []),
          ]}
        />
      )}
    </Stack>
  );
}

function Count({ label, value, color }: { label: string; value: number; color: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="lg" fw={700} c={value > 0 ? color : undefined}>
        {formatCount(value)}
      </Text>
    </Stack>
  );
}
