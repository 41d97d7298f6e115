import { Alert, Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconInfoCircle, IconPlayerPlay } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ServerPageStatus } from '../../../shared/server.dto.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { formatTime } from '../../lib/format.js';
import { notifyError, notifySuccess } from '../../lib/notify.js';
import { CopyField } from '../users/SecretReveal.js';
import { listenNotes, type ListenNote } from './listen-notes.js';
import { useStartServer, useStopServer } from './server.queries.js';

/** Running or not, where it answers, and start / stop. */
export function ServerStatusCard({ status, canManage }: { status: ServerPageStatus; canManage: boolean }) {
  const start = useStartServer();
  const stop = useStopServer();
  const { t } = useTranslation('server');

  const startServer = () =>
    start.mutate(undefined, {
      onSuccess: (s) => notifySuccess(t('status.answersOn', { urls: s.urls.join(', ') }), t('status.started')),
      onError: (error) => notifyError(error, t('status.startFailed')),
    });
  const noteText = (note: ListenNote): string => {
    switch (note.key) {
      case 'portFixed':
        return t('status.portFixed', note.values);
      case 'portPending':
        return t('status.portPending', note.values);
      case 'hostFixed':
        return t('status.hostFixed', note.values);
      case 'lanPending':
        return t('status.lanPending');
    }
  };
  const stopServer = async () => {
    try {
      await stop.mutateAsync(undefined);
      notifySuccess(t('status.stoppedHint'), t('status.stopped'));
    } catch (error) {
      notifyError(error, t('status.stopFailed'));
      throw error;
    }
  };

  return (
    <Paper withBorder p="lg" data-testid="server-status">
      <Stack>
        <Group justify="space-between">
          <Group gap="sm">
            <Title order={2} size="h4">
              {t('status.title')}
            </Title>
            <Badge color={status.running ? 'teal' : 'gray'} variant="light" size="lg" data-testid="server-state">
              {status.running ? t('status.running') : t('status.stoppedBadge')}
            </Badge>
            {status.running && (
              <Badge color={status.tls ? 'blue' : 'yellow'} variant="outline" data-testid="server-transport">
                {status.tls ? t('status.tls') : status.settings.lanAccess ? t('status.plainHttp') : t('status.localHttp')}
              </Badge>
            )}
          </Group>
          {canManage &&
            (status.running ? (
              <ConfirmButton
                title={t('status.stopTitle')}
                consequence={t('status.stopConsequence')}
                confirmLabel={t('status.stopConfirm')}
                onConfirm={stopServer}
                data-testid="server-stop"
              >
                {t('status.stop')}
              </ConfirmButton>
            ) : (
              <Button leftSection={<IconPlayerPlay size={16} />} onClick={startServer} loading={start.isPending} data-testid="server-start">
                {t('status.start')}
              </Button>
            ))}
        </Group>
        {status.lastError && !status.running && (
          <Alert color="red" icon={<IconAlertTriangle size={18} />} title={t('status.couldNotStart')} data-testid="server-last-error">
            {status.lastError}
          </Alert>
        )}
        {status.running ? (
          <>
            <Stack gap="xs" data-testid="server-urls">
              {status.urls.map((url, i) => (
                <CopyField
                  key={url}
                  label={i === 0 ? t('status.address') : t('status.addressN', { n: i + 1 })}
                  copyLabel={t('status.copyAddress')}
                  value={url}
                  testId={`server-url-${i}`}
                />
              ))}
            </Stack>
            {status.tokenEndpoint && (
              <CopyField label={t('status.tokenEndpoint')} copyLabel={t('status.copyTokenEndpoint')} value={status.tokenEndpoint} testId="server-token-endpoint" />
            )}
            {status.issuer && <CopyField label={t('status.issuer')} copyLabel={t('status.copyIssuer')} value={status.issuer} testId="server-issuer" />}
            {listenNotes(status).map((note) => (
              <Alert key={note.key} color="yellow" icon={<IconInfoCircle size={18} />} data-testid={`server-listen-${note.key}`}>
                {noteText(note)}
              </Alert>
            ))}
            <Text size="sm" c="dimmed">
              {t('status.since', { time: formatTime(status.startedAt) })}{' '}
              {status.reach === 'network' ? t('status.onLan') : status.settings.lanAccess ? '' : t('status.localOnly')}
            </Text>
          </>
        ) : (
          <Text size="sm" c="dimmed">
            {t('status.isStopped')} {canManage ? t('status.startIt') : t('status.askSomeone')}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
