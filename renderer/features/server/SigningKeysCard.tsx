import { Badge, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { DataTable } from 'mantine-datatable';
import type { SigningKeyInfo } from '../../../shared/token-server.dto.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { formatTime } from '../../lib/format.js';
import { notifyError, notifySuccess } from '../../lib/notify.js';
import { useRotateKey } from './server.queries.js';

/** The keys that sign access tokens, and rotation (the previous key stays published until its tokens expire). */
export function SigningKeysCard({ keys, canManage }: { keys: SigningKeyInfo[]; canManage: boolean }) {
  const rotate = useRotateKey();
  const rotateKey = async () => {
    try {
      const key = await rotate.mutateAsync(undefined);
      notifySuccess(`New tokens are signed with key ${key.kid}.`, 'Signing key rotated');
    } catch (error) {
      notifyError(error, 'The signing key was not rotated');
      throw error;
    }
  };

  return (
    <Paper withBorder p="lg">
      <Stack>
        <Group justify="space-between">
          <Title order={2} size="h4">
            Signing keys
          </Title>
          {canManage && (
            <ConfirmButton
              title="Rotate the signing key?"
              consequence="Keyrack creates a new key and signs every new token with it. The current key is retired but stays in the published key set (JWKS) until every token it signed has expired, so integrations keep working. Resource servers that pinned the old key id must fetch the key set again."
              confirmLabel="Rotate key"
              danger={false}
              onConfirm={rotateKey}
              data-testid="server-rotate-key"
            >
              Rotate signing key
            </ConfirmButton>
          )}
        </Group>
        <DataTable<SigningKeyInfo>
          withTableBorder
          borderRadius="sm"
          minHeight={keys.length ? undefined : 120}
          records={keys}
          idAccessor="kid"
          noRecordsText="No signing key yet: the first one is created when the server first starts"
          data-testid="server-keys-table"
          columns={[
            // A key id is random base64url: breaking it anywhere is harmless, and leaves the State column its room.
            { accessor: 'kid', title: 'Key id', render: (k) => <Text ff="monospace" size="sm" style={{ overflowWrap: 'anywhere' }}>{k.kid}</Text> },
            { accessor: 'alg', title: 'Algorithm' },
            { accessor: 'createdAt', title: 'Created', render: (k) => formatTime(k.createdAt) },
            {
              accessor: 'active',
              title: 'State',
              render: (k) =>
                k.active ? (
                  // max-content: in this half-width card the column would otherwise shrink the badge to "ACT…".
                  <Badge color="teal" variant="light" title="Signs every new token" miw="max-content">
                    Active
                  </Badge>
                ) : (
                  <Text size="sm" c="dimmed">
                    Retired {formatTime(k.retiredAt)}; published until {formatTime(k.publishedUntil)}
                  </Text>
                ),
            },
          ]}
        />
      </Stack>
    </Paper>
  );
}
