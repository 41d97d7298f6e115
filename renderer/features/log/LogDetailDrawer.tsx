import type { ReactNode } from 'react';
import { DataList, Drawer, Loader, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AuditEvent } from '../../../shared/dto.js';
import { Link } from '../../app/router.js';
import { OutcomeBadge } from './event-cells.js';
import { actorKindLabel, eventTypeHelp, eventTypeLabel, reasonLabel } from './event-labels.js';
import { EventDetails } from './EventDetails.js';
import { logHref } from './log-url.js';
import { formatTimeSeconds } from '../../lib/format.js';

/** The app's one time format for the language (to the second here), and the exact UTC time the log holds. */
const when = (ms: number) => `${formatTimeSeconds(ms)} (${new Date(ms).toISOString()})`;

interface LogDetailDrawerProps {
  /** The event to show; null closes the drawer. */
  eventId: number | null;
  /** Its content once known; null while loading, or when no event has that id any more. */
  event: AuditEvent | null;
  loading: boolean;
  onClose: () => void;
}

/** Every field of one event, its details as labelled fields (EventDetails). */
export function LogDetailDrawer({ eventId, event, loading, onClose }: LogDetailDrawerProps) {
  const { t } = useTranslation(['log', 'common']);
  const typeHelp = event === null ? null : eventTypeHelp(event.type);
  return (
    <Drawer
      opened={eventId !== null}
      onClose={onClose}
      position="right"
      size="md"
      title={<Text fw={600}>{eventId !== null ? t('drawer.titleOf', { id: eventId }) : t('drawer.title')}</Text>}
      closeButtonProps={{ 'aria-label': t('common:close') }}
    >
      {eventId === null ? null : loading ? (
        <Loader size="sm" aria-label={t('common:loading')} />
      ) : event === null ? (
        <Text size="sm" c="dimmed" data-testid="log-detail-missing">
          {t('drawer.missing', { id: eventId })}
        </Text>
      ) : (
        <Stack gap="md" data-testid="log-detail">
          <DataList withDivider labelWidth={130}>
            <Row label={t('column.event')}>
              {eventTypeLabel(event.type)}{' '}
              <Text span c="dimmed" size="xs">
                {event.type}
              </Text>
              {typeHelp !== null && (
                <Text size="xs" c="dimmed">
                  {typeHelp}
                </Text>
              )}
            </Row>
            <Row label={t('column.outcome')}>
              <OutcomeBadge outcome={event.outcome} />
            </Row>
            <Row label={t('column.time')}>{when(event.at)}</Row>
            <Row label={t('column.doneBy')}>
              {event.actorName}{' '}
              <Text span c="dimmed" size="xs">
                ({actorKindLabel(event.actorKind)})
              </Text>
            </Row>
            <Row label={t('column.concerning')}>
              {event.targetUserId !== null ? (
                <Link to={`/users/${event.targetUserId}`}>{event.targetName ?? t('drawer.userNumber', { id: event.targetUserId })}</Link>
              ) : (
                (event.targetName ?? '—')
              )}
            </Row>
            <Row label={t('column.reason')}>
              {event.reason === null ? (
                '—'
              ) : (
                <>
                  {reasonLabel(event.reason)}{' '}
                  <Text span c="dimmed" size="xs">
                    {event.reason}
                  </Text>
                </>
              )}
            </Row>
            <Row label={t('column.sourceIp')}>
              {event.sourceIp === null ? (
                '—'
              ) : (
                <>
                  {event.sourceIp}{' '}
                  <Link to={logHref({ sourceIp: event.sourceIp })} size="xs" onClick={onClose}>
                    {t('drawer.allFromAddress')}
                  </Link>
                </>
              )}
            </Row>
          </DataList>
          <div>
            <Text size="sm" fw={500} mb={4}>
              {t('column.details')}
            </Text>
            {event.details === null ? (
              <Text size="sm" c="dimmed">
                {t('common:none')}
              </Text>
            ) : (
              <EventDetails details={event.details} />
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
