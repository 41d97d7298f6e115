import { Badge, Group, Stack, Text } from '@mantine/core';
import { DataTable } from 'mantine-datatable';
import type { AuditEvent, UserDetail } from '../../../../shared/dto.js';
import { formatTime } from '../../../lib/format.js';
import { errorMessage } from '../../../lib/notify.js';
import { ACTOR_KIND_LABELS, OUTCOME_LABELS, eventTypeLabel } from '../../log/event-labels.js';
import { reasonLabel } from '../../overview/overview-model.js';
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
          { accessor: 'at', title: 'Time', noWrap: true, render: (e) => formatTime(e.at) },
          // The same words as the Log; the code stays in the title attribute (it is what the Log's search matches).
          { accessor: 'type', title: 'Event', noWrap: true, render: (e) => <span title={e.type}>{eventTypeLabel(e.type)}</span> },
          {
            accessor: 'outcome',
            title: 'Outcome',
            render: (e) => (
              // A badge may shrink to an ellipsis in an auto-sized table column; max-content keeps the word whole.
              <Badge color={e.outcome === 'success' ? 'teal' : 'red'} variant="light" miw="max-content">
                {OUTCOME_LABELS[e.outcome]}
              </Badge>
            ),
          },
          {
            accessor: 'actorName',
            title: 'By',
            // One line per event, as on the Log page: a name and its kind would otherwise wrap to three lines.
            noWrap: true,
            render: (e) => (
              <Group gap={6} wrap="nowrap">
                <Text size="sm">{e.actorName}</Text>
                {e.actorKind !== 'person' ? (
                  <Badge size="xs" variant="light" color={e.actorKind === 'api' ? 'violet' : 'gray'} miw="max-content">
                    {ACTOR_KIND_LABELS[e.actorKind]}
                  </Badge>
                ) : null}
              </Group>
            ),
          },
          {
            accessor: 'reason',
            title: 'Reason',
            render: (e) => (e.reason ? <span title={e.reason}>{reasonLabel(e.reason)}</span> : ''),
          },
          { accessor: 'sourceIp', title: 'From', noWrap: true, render: (e) => e.sourceIp ?? '' },
          {
            accessor: 'details',
            title: 'Details',
            render: (e) =>
              e.details ? (
                <Text size="xs" ff="monospace" lineClamp={2} style={{ overflowWrap: 'anywhere' }}>
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
