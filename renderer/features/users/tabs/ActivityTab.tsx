import { Badge, Code, Stack, Text } from '@mantine/core';
import { DataTable } from 'mantine-datatable';
import type { AuditEvent, UserDetail } from '../../../../shared/dto.js';
import { formatTime } from '../../../lib/format.js';
import { errorMessage } from '../../../lib/notify.js';
import { useUserActivity } from '../users.queries.js';

/** The log filtered to this user (the newest 100 events); the Log page has every filter and paging. */
export function ActivityTab({ user }: { user: UserDetail }) {
  const activity = useUserActivity(user.id);
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
        noRecordsText="Nothing logged for this user yet"
        columns={[
          { accessor: 'at', title: 'Time', render: (e) => formatTime(e.at), width: 150 },
          { accessor: 'type', title: 'Event', render: (e) => <Code>{e.type}</Code> },
          {
            accessor: 'outcome',
            title: 'Outcome',
            render: (e) => (
              <Badge color={e.outcome === 'success' ? 'teal' : 'red'} variant="light">
                {e.outcome}
              </Badge>
            ),
          },
          { accessor: 'actorName', title: 'By', render: (e) => `${e.actorName} (${e.actorKind})` },
          { accessor: 'reason', title: 'Reason', render: (e) => e.reason ?? '' },
          { accessor: 'sourceIp', title: 'From', render: (e) => e.sourceIp ?? '' },
          {
            accessor: 'details',
            title: 'Details',
            render: (e) =>
              e.details ? (
                <Text size="xs" ff="monospace" lineClamp={2} style={{ wordBreak: 'break-all' }}>
                  {JSON.stringify(e.details)}
                </Text>
              ) : (
                ''
              ),
          },
        ]}
      />
    </Stack>
  );
}
