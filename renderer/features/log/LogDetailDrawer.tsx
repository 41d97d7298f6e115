import type { ReactNode } from 'react';
import { Code, DataList, Drawer, Loader, Stack, Text } from '@mantine/core';
import type { AuditEvent } from '../../../shared/dto.js';
import { Link } from '../../app/router.js';
import { OutcomeBadge } from './event-cells.js';
import { ACTOR_KIND_LABELS, eventTypeLabel } from './event-labels.js';
import { logHref } from './log-url.js';

const when = (ms: number) => `${new Date(ms).toLocaleString()} (${new Date(ms).toISOString()})`;

interface LogDetailDrawerProps {
  /** The event to show; null closes the drawer. */
  eventId: number | null;
  /** Its content once known; null while loading, or when no event has that id any more. */
  event: AuditEvent | null;
  loading: boolean;
  onClose: () => void;
}

/** Every field of one event. Details are shown as JSON text: whatever they hold, nothing in them runs. */
export function LogDetailDrawer({ eventId, event, loading, onClose }: LogDetailDrawerProps) {
  return (
    <Drawer opened={eventId !== null} onClose={onClose} position="right" size="md" title={<Text fw={600}>Event {eventId !== null ? `#${eventId}` : ''}</Text>}>
      {eventId === null ? null : loading ? (
        <Loader size="sm" aria-label="Loading" />
      ) : event === null ? (
        <Text size="sm" c="dimmed" data-testid="log-detail-missing">
          No event #{eventId} in the log: it was deleted, or archived by the retention setting.
        </Text>
      ) : (
        <Stack gap="md" data-testid="log-detail">
          <DataList withDivider labelWidth={130}>
            <Row label="Event">
              {eventTypeLabel(event.type)}{' '}
              <Text span c="dimmed" size="xs">
                {event.type}
              </Text>
            </Row>
            <Row label="Outcome">
              <OutcomeBadge outcome={event.outcome} />
            </Row>
            <Row label="Time">{when(event.at)}</Row>
            <Row label="Done by">
              {event.actorName}{' '}
              <Text span c="dimmed" size="xs">
                ({ACTOR_KIND_LABELS[event.actorKind]})
              </Text>
            </Row>
            <Row label="Concerning">
              {event.targetUserId !== null ? <Link to={`/users/${event.targetUserId}`}>{event.targetName ?? `user ${event.targetUserId}`}</Link> : (event.targetName ?? '—')}
            </Row>
            <Row label="Reason">{event.reason ?? '—'}</Row>
            <Row label="Source IP">
              {event.sourceIp === null ? (
                '—'
              ) : (
                <>
                  {event.sourceIp}{' '}
                  <Link to={logHref({ sourceIp: event.sourceIp })} size="xs" onClick={onClose}>
                    (all events from this address)
                  </Link>
                </>
              )}
            </Row>
          </DataList>
          <div>
            <Text size="sm" fw={500} mb={4}>
              Details
            </Text>
            {event.details === null ? (
              <Text size="sm" c="dimmed">
                None
              </Text>
            ) : (
              <Code block>{JSON.stringify(event.details, null, 2)}</Code>
            )}
          </div>
        </Stack>
      )}
    </Drawer>
  );
}

/** One label and value of the detail list. */
function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <DataList.Item>
      <DataList.ItemLabel>{label}</DataList.ItemLabel>
      <DataList.ItemValue>{children}</DataList.ItemValue>
    </DataList.Item>
  );
}
