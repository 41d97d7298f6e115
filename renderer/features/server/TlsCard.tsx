import { Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconCertificate } from '@tabler/icons-react';
import type { ServerPageStatus } from '../../../shared/server.dto.js';
import { formatTime } from '../../lib/format.js';
import { notifyError, notifySuccess } from '../../lib/notify.js';
import { CopyField } from '../users/SecretReveal.js';
import { useSaveCaCertificate } from './server.queries.js';

/** The certificate integrators trust, its fingerprint to compare, and saving it for them. */
export function TlsCard({ status, canManage }: { status: ServerPageStatus; canManage: boolean }) {
  const save = useSaveCaCertificate();
  const saveCertificate = () =>
    save.mutate(undefined, {
      onSuccess: (result) => {
        if (result.saved) notifySuccess(`Saved to ${result.path}. Give it to integrators so their clients trust the server.`, 'CA certificate saved');
      },
      onError: (error) => notifyError(error, 'The CA certificate was not saved'),
    });

  return (
    <Paper withBorder p="lg" data-testid="server-tls">
      <Stack>
        <Group gap="sm">
          <Title order={2} size="h4">
            TLS certificate
          </Title>
          {status.ca && (
            <Badge variant="light" color={status.ca.source === 'generated' ? 'blue' : 'grape'}>
              {status.ca.source === 'generated' ? "Keyrack's own CA" : 'Installed certificate'}
            </Badge>
          )}
        </Group>
        {status.ca ? (
          <>
            <CopyField label="CA fingerprint (SHA-256)" value={status.ca.fingerprint} testId="server-ca-fingerprint" />
            <Text size="sm" c="dimmed">
              {status.ca.subject} · valid until {formatTime(status.ca.notAfter)}. Integrators compare this fingerprint with the certificate
              you give them before they trust it.
            </Text>
          </>
        ) : (
          <Text size="sm" c="dimmed" data-testid="server-ca-none">
            No certificate authority yet. Keyrack creates one when the server first serves the LAN over TLS{canManage ? ', or when you save the CA certificate now' : ''}.
          </Text>
        )}
        <Text size="sm" c="dimmed">
          Signing keys and TLS keys are protected with {status.keyProtection}.
        </Text>
        {canManage && (
          <Group justify="flex-end">
            <Button variant="light" leftSection={<IconCertificate size={16} />} onClick={saveCertificate} loading={save.isPending} data-testid="server-save-ca">
              Save CA certificate…
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}
