import { Badge, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { DataTable } from 'mantine-datatable';
import { useTranslation } from 'react-i18next';
import type { SigningKeyInfo } from '../../../shared/token-server.dto.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { formatTime } from '../../lib/format.js';
import { notifyError, notifySuccess } from '../../lib/notify.js';
import { useRotateKey } from './server.queries.js';

/** The keys that sign access tokens, and rotation (the previous key stays published until its tokens expire). */
export function SigningKeysCard({ keys, canManage }: { keys: SigningKeyInfo[]; canManage: boolean }) {
  const rotate = useRotateKey();
  const { t } = useTranslation('server');
  const rotateKey = async () => {
    try {
      const key = await rotate.mutateAsync(undefined);
      notifySuccess(t('keys.rotatedTo', { kid: key.kid }), t('keys.rotated'));
    } catch (error) {
      notifyError(error, t('keys.rotateFailed'));
      throw error;
    }
  };

  return (
    <Paper withBorder p="lg">
      <Stack>
        <Group justify="space-between">
          <Title order={2} size="h4">
            {t('keys.title')}
          </Title>
          {canManage && (
            <ConfirmButton
              title={t('keys.rotateTitle')}
              consequence={t('keys.rotateConsequence')}
              confirmLabel={t('keys.rotateConfirm')}
              danger={false}
              onConfirm={rotateKey}
              data-testid="server-rotate-key"
            >
              {t('keys.rotate')}
            </ConfirmButton>
          )}
        </Group>
        <Text size="xs" c="dimmed">
          {t('keys.explain')}
        </Text>
        <DataTable<SigningKeyInfo>
          withTableBorder
          borderRadius="sm"
          minHeight={keys.length ? undefined : 120}
          records={keys}
          idAccessor="kid"
          noRecordsText={t('keys.empty')}
          data-testid="server-keys-table"
          columns={[
            // A key id is random base64url: breaking it anywhere is harmless, and leaves the State column its room.
            { accessor: 'kid', title: t('keys.column.kid'), render: (k) => <Text ff="monospace" size="sm" style={{ overflowWrap: 'anywhere' }}>{k.kid}</Text> },
            { accessor: 'alg', title: t('keys.column.alg') },
            { accessor: 'createdAt', title: t('keys.column.created'), render: (k) => formatTime(k.createdAt) },
            {
              accessor: 'active',
              title: t('keys.column.state'),
              render: (k) =>
                k.active ? (
                  // max-content: in this half-width card the column would otherwise shrink the badge to "ACT…".
                  <Badge color="teal" variant="light" title={t('keys.activeHint')} miw="max-content">
                    {t('keys.active')}
                  </Badge>
                ) : (
                  <Text size="sm" c="dimmed">
                    {t('keys.retired', { retired: formatTime(k.retiredAt), until: formatTime(k.publishedUntil) })}
                  </Text>
                ),
            },
          ]}
        />
      </Stack>
    </Paper>
  );
}
