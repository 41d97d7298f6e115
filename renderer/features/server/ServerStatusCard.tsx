import { Alert, Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconPlayerPlay } from '@tabler/icons-react';
import type { ServerPageStatus } from '../../../shared/server.dto.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { formatTime } from '../../lib/format.js';
import { notifyError, notifySuccess } from '../../lib/notify.js';
import { CopyField } from '../users/SecretReveal.js';
import { useStartServer, useStopServer } from './server.queries.js';

/** Running or not, where it answers, and start / stop. */
export function ServerStatusCard({ status, canManage }: { status: ServerPageStatus; canManage: boolean }) {
  const start = useStartServer();
  const stop = useStopServer();

  const startServer = () =>
    start.mutate(undefined, {
      onSuccess: (s) => notifySuccess(`The token server answers on ${s.urls.join(', ')}`, 'Token server started'),
      onError: (error) => notifyError(error, 'The token server did not start'),
    });
  const stopServer = async () => {
    try {
      await stop.mutateAsync(undefined);
      notifySuccess('Integrations cannot get new tokens until you start it again.', 'Token server stopped');
    } catch (error) {
      notifyError(error, 'The token server did not stop');
      throw error;
    }
  };

  return (
    <Paper withBorder p="lg" data-testid="server-status">
      <Stack>
        <Group justify="space-between">
          <Group gap="sm">
            <Title order={2} size="h4">
              Status
            </Title>
            <Badge color={status.running ? 'teal' : 'gray'} variant="light" size="lg" data-testid="server-state">
              {status.running ? 'Running' : 'Stopped'}
            </Badge>
            {status.running && (
              <Badge color={status.tls ? 'blue' : 'yellow'} variant="outline" data-testid="server-transport">
                {status.tls ? 'TLS' : status.settings.lanAccess ? 'Plain HTTP' : 'HTTP on this computer'}
              </Badge>
            )}
          </Group>
          {canManage &&
            (status.running ? (
              <ConfirmButton
                title="Stop the token server?"
                consequence="Integrations will get no new access tokens until you start it again. Tokens already issued stay valid until they expire."
                confirmLabel="Stop the server"
                onConfirm={stopServer}
                data-testid="server-stop"
              >
                Stop
              </ConfirmButton>
            ) : (
              <Button leftSection={<IconPlayerPlay size={16} />} onClick={startServer} loading={start.isPending} data-testid="server-start">
                Start
              </Button>
            ))}
        </Group>
        {status.lastError && !status.running && (
          <Alert color="red" icon={<IconAlertTriangle size={18} />} title="The server could not start" data-testid="server-last-error">
            {status.lastError}
          </Alert>
        )}
        {status.running ? (
          <>
            <Stack gap="xs" data-testid="server-urls">
              {status.urls.map((url, i) => (
                <CopyField key={url} label={i === 0 ? 'Address' : `Address ${i + 1}`} value={url} testId={`server-url-${i}`} />
              ))}
            </Stack>
            {status.issuer && <CopyField label="Issuer (the iss of every token)" value={status.issuer} testId="server-issuer" />}
            {status.listening && status.listening.port !== status.settings.port && (
              <Text size="sm" c="dimmed" data-testid="server-port-override">
                It listens on port {status.listening.port}, chosen by the program that started it; the saved port ({status.settings.port}) applies
                when Keyrack starts the server from its settings.
              </Text>
            )}
            <Text size="sm" c="dimmed">
              Running since {formatTime(status.startedAt)}.{' '}
              {status.settings.lanAccess
                ? 'Integrations on your network reach it at the addresses above.'
                : 'It answers on this computer only; turn on LAN access below for integrations on other machines.'}
            </Text>
          </>
        ) : (
          <Text size="sm" c="dimmed">
            The server is stopped: integrations cannot get access tokens. {canManage ? 'Start it to serve them.' : 'Someone with permission to run the token server can start it.'}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
