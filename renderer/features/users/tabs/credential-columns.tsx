import { Badge, Stack, Text } from '@mantine/core';
import type { DataTableColumn } from 'mantine-datatable';
import type { TFunction } from 'i18next';
import type { CredentialLife } from '../../../../shared/dto.js';
import type { SecretState } from '../../../../shared/liveness.js';
import { ExpiryBadge } from '../../../components/badges.js';
import { formatTime } from '../../../lib/format.js';

const STATE_COLORS: Record<SecretState, string> = { live: 'teal', expired: 'gray', revoked: 'red' };

/** A credential's state as a badge; max-content: in an auto-sized column a badge would otherwise shrink to "REVOK…". */
export function StateBadge({ state, t }: { state: SecretState; t: TFunction<['users', 'common']> }) {
  return (
    <Badge color={STATE_COLORS[state]} variant="light" miw="max-content">
      {t(`secrets.state.${state}`)}
    </Badge>
  );
}

/**
 * When and from where a credential (or any credential of an API user) was last used, or "Never": the
 * credentials' tables and the Users list show it alike.
 */
export function LastUse({ at, ip, t }: { at: number | null; ip: string | null; t: TFunction<['users', 'common']> }) {
  return at ? (
    <Stack gap={0}>
      <Text size="sm">{formatTime(at)}</Text>
      <Text size="xs" c="dimmed">
        {t('lastUsedFrom', { ip: ip ?? t('unknownAddress') })}
      </Text>
    </Stack>
  ) : (
    <Text size="sm" c="dimmed">
      {t('common:never')}
    </Text>
  );
}

/**
 * The created, expires and last-used columns of the secrets' and the public keys' tables (CredentialsTab,
 * ClientKeysSection): one definition, so the two tables cannot drift apart.
 */
export function lifeColumns<T extends CredentialLife>(t: TFunction<['users', 'common']>): DataTableColumn<T>[] {
  return [
    {
      accessor: 'createdAt',
      title: t('secrets.column.created'),
      // A date and time on one line; the label column takes the wrapping.
      noWrap: true,
      render: (c) => (
        <Stack gap={0}>
          <Text size="sm">{formatTime(c.createdAt)}</Text>
          <Text size="xs" c="dimmed">
            {t('secrets.by', { name: c.createdBy })}
          </Text>
        </Stack>
      ),
    },
    {
      accessor: 'expiresAt',
      title: t('secrets.column.expires'),
      noWrap: true,
      render: (c) => (c.state === 'revoked' ? <Text size="sm">{t('secrets.revokedAt', { time: formatTime(c.revokedAt) })}</Text> : <ExpiryBadge expiresAt={c.expiresAt} />),
    },
    {
      accessor: 'lastUsedAt',
      title: t('secrets.column.lastUsed'),
      noWrap: true,
      render: (c) => <LastUse at={c.lastUsedAt} ip={c.lastUsedIp} t={t} />,
    },
  ];
}
