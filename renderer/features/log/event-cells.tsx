import { Badge, Stack, Text } from '@mantine/core';
import type { AuditEvent } from '../../../shared/dto.js';
import { actorKindLabel, outcomeLabel } from './event-labels.js';

/** An event's outcome as a badge. max-content: in an auto-sized table column a badge would shrink to "…". */
export function OutcomeBadge({ outcome }: { outcome: AuditEvent['outcome'] }) {
  return (
    <Badge variant="light" color={outcome === 'success' ? 'teal' : 'red'} miw="max-content">
      {outcomeLabel(outcome)}
    </Badge>
  );
}

/**
 * Who did it: the name, cut with an ellipsis past `maw` (long client ids would otherwise wrap every row or
 * push the next columns off the screen; the full name is in the title), and under it its kind unless a
 * person. Under, not beside: beside it the badge took the room the name needed ("cr…" beside "API-BENUTZER").
 */
export function ActorCell({ event, maw = 190 }: { event: Pick<AuditEvent, 'actorName' | 'actorKind'>; maw?: number }) {
  return (
    <Stack gap={2} maw={maw} align="flex-start">
      <Text size="sm" truncate="end" maw="100%" title={event.actorName}>
        {event.actorName}
      </Text>
      {event.actorKind !== 'person' ? (
        <Badge size="xs" variant="light" color={event.actorKind === 'api' ? 'violet' : 'gray'} miw="max-content">
          {actorKindLabel(event.actorKind)}
        </Badge>
      ) : null}
    </Stack>
  );
}
