import { Badge, Stack, Text, Tooltip } from '@mantine/core';
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
  const badge = (
    <Tooltip label={t('status.expiresAt', { time: formatTime(expiresAt) })}>
      {/* max-content: the date is the point of the badge, so it never shrinks to an ellipsis in a table cell. */}
      <Badge color={color} variant={state === 'ok' ? 'outline' : 'light'} data-expiry={state} miw="max-content">
        {label}
      </Badge>
    </Tooltip>
  );
  if (state === 'ok') return badge;
  // The warning and its date on two lines: as one badge ("EXPIRES SOON · 2026-12-16 01:53") it made the
  // Users table's column so wide that the last columns left the window even at 1280×800.
  return (
    <Stack gap={2} align="flex-start">
      {badge}
      <Text size="xs" style={{ whiteSpace: 'nowrap' }}>
        {formatTime(expiresAt)}
      </Text>
    </Stack>
  );
}
