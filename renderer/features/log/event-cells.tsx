import { Badge, Group, Text } from '@mantine/core';
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
 * Who did it, on one line: the name, cut with an ellipsis past `maw` (long client ids would otherwise wrap
 * every row or push the next columns off the screen; the full name is in the title), and its kind unless
 * a person.
 */
export function ActorCell({ event, maw = 190 }: { event: Pick<AuditEvent, 'actorName' | 'actorKind'>; maw?: number }) {
  return (
    <Group gap={6} wrap="nowrap" maw={maw}>
      <Text size="sm" truncate="end" miw={0} title={event.actorName}>
        {event.actorName}
      </Text>
      {event.actorKind !== 'person' ? (
        <Badge size="xs" variant="light" color={event.actorKind === 'api' ? 'violet' : 'gray'} style={{ flexShrink: 0 }}>
          {actorKindLabel(event.actorKind)}
        </Badge>
      ) : null}
    </Group>
  );
}
