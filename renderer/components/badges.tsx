import { Badge, Tooltip } from '@mantine/core';
import type { UserStatus } from '../../shared/domain.js';
import { expiryState, formatTime } from '../lib/format.js';

export function StatusBadge({ status, expired }: { status: UserStatus; expired: boolean }) {
  if (status === 'disabled') return <Badge color="gray" variant="light">Disabled</Badge>;
  if (expired) return <Badge color="red" variant="light">Expired</Badge>;
  return <Badge color="teal" variant="light">Active</Badge>;
}

/** An expiry date with a warning colour when it is near or past. */
export function ExpiryBadge({ expiresAt, now }: { expiresAt: number | null; now?: number }) {
  const state = expiryState(expiresAt, now);
  if (state === 'none') return <>Never</>;
  const color = state === 'expired' ? 'red' : state === 'soon' ? 'orange' : 'gray';
  const label = state === 'expired' ? 'Expired' : state === 'soon' ? 'Expires soon' : formatTime(expiresAt);
  return (
    <Tooltip label={`Expires ${formatTime(expiresAt)}`}>
      {/* max-content: the date is the point of the badge, so it never shrinks to an ellipsis in a table cell. */}
      <Badge color={color} variant={state === 'ok' ? 'outline' : 'light'} data-expiry={state} miw="max-content">
        {state === 'ok' ? label : `${label} · ${formatTime(expiresAt)}`}
      </Badge>
    </Tooltip>
  );
}
