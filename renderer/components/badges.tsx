import { Badge, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { UserStatus } from '../../shared/domain.js';
import { expiryState, formatTime } from '../lib/format.js';

/** max-content: in an auto-sized table column a badge would shrink to "DISABL…" ("AK…" in German). */
export function StatusBadge({ status, expired }: { status: UserStatus; expired: boolean }) {
  const { t } = useTranslation();
  if (status === 'disabled') return <Badge color="gray" variant="light" miw="max-content">{t('status.disabled')}</Badge>;
  if (expired) return <Badge color="red" variant="light" miw="max-content">{t('status.expired')}</Badge>;
  return <Badge color="teal" variant="light" miw="max-content">{t('status.active')}</Badge>;
}

/** An expiry date with a warning colour when it is near or past. */
export function ExpiryBadge({ expiresAt, now }: { expiresAt: number | null; now?: number }) {
  const { t } = useTranslation();
  const state = expiryState(expiresAt, now);
  if (state === 'none') return <>{t('never')}</>;
  const color = state === 'expired' ? 'red' : state === 'soon' ? 'orange' : 'gray';
  const label = state === 'expired' ? t('status.expired') : state === 'soon' ? t('status.expiresSoon') : formatTime(expiresAt);
  return (
    <Tooltip label={t('status.expiresAt', { time: formatTime(expiresAt) })}>
      {/* max-content: the date is the point of the badge, so it never shrinks to an ellipsis in a table cell. */}
      <Badge color={color} variant={state === 'ok' ? 'outline' : 'light'} data-expiry={state} miw="max-content">
        {state === 'ok' ? label : `${label} · ${formatTime(expiresAt)}`}
      </Badge>
    </Tooltip>
  );
}
