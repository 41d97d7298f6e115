import { Box, Stack, Text } from '@mantine/core';
import { DataTable } from 'mantine-datatable';
import { useTranslation } from 'react-i18next';
import type { AuditEvent, UserDetail } from '../../../../shared/dto.js';
import { formatTime } from '../../../lib/format.js';
import { errorMessage } from '../../../lib/notify.js';
import { ActorCell, OutcomeBadge } from '../../log/event-cells.js';
import { eventTypeLabel, reasonLabel } from '../../log/event-labels.js';
import { detailSummary } from '../../log/event-details-summary.js';
import { EventDetails } from '../../log/EventDetails.js';
import { useUserActivity } from '../users.queries.js';

/** The log filtered to this user (the newest 100 events); the Log page has every filter and paging. */
export function ActivityTab({ user }: { user: UserDetail }) {
  const activity = useUserActivity(user.id);
  const { t } = useTranslation('log');
  const rows = activity.data?.rows ?? [];
  return (
    <Stack gap="xs">
      {activity.isError && <Text c="red">{errorMessage(activity.error)}</Text>}
      <DataTable<AuditEvent>
        withTableBorder
        borderRadius="sm"
        striped
        minHeight={rows.length ? undefined : 150}
        fetching={activity.isPending}
        records={rows}
        noRecordsText={t('activity.empty')}
        columns={[
          { accessor: 'at', title: t('column.time'), noWrap: true, render: (e) => formatTime(e.at) },
          // The same words as the Log; the code stays in the title attribute (it is what the Log's search matches).
          { accessor: 'type', title: t('column.event'), noWrap: true, render: (e) => <span title={e.type}>{eventTypeLabel(e.type)}</span> },
          { accessor: 'outcome', title: t('column.outcome'), render: (e) => <OutcomeBadge outcome={e.outcome} /> },
          { accessor: 'actorName', title: t('column.by'), render: (e) => <ActorCell event={e} /> },
          {
            accessor: 'reason',
            title: t('column.reason'),
            render: (e) => (e.reason ? <span title={e.reason}>{reasonLabel(e.reason)}</span> : ''),
          },
          { accessor: 'sourceIp', title: t('column.from'), noWrap: true, render: (e) => e.sourceIp ?? '' },
          {
            accessor: 'details',
            title: t('column.details'),
            // One line of labelled values; the row opens the full list (and the stored JSON, for support).
            render: (e) =>
              e.details ? (
                <Text size="xs" lineClamp={2} style={{ overflowWrap: 'anywhere' }}>
                  {detailSummary(e.details)}
                </Text>
              ) : (
                ''
              ),
          },
        ]}
        rowExpansion={{
          allowMultiple: true,
          expandable: ({ record }) => record.details !== null,
          content: ({ record }) => (
            <Box px="md" py="xs" data-testid={`activity-details-${record.id}`}>
              <EventDetails details={record.details!} />
            </Box>
          ),
        }}
      />
    </Stack>
  );
}
