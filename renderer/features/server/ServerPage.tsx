import { Alert, Grid, Loader, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../app/session.js';
import { PageHeader } from '../../components/PageHeader.js';
import { errorMessage } from '../../lib/notify.js';
import { MailRelaySection } from './MailRelayCard.js';
import { RangesCard } from './RangesCard.js';
import { ServerSettingsCard } from './ServerSettingsCard.js';
import { ServerStatusCard } from './ServerStatusCard.js';
import { SigningKeysCard } from './SigningKeysCard.js';
import { StoreSection } from './StoreCard.js';
import { TlsCard } from './TlsCard.js';
import { useServerStatus } from './server.queries.js';

/** The embedded OAuth token server: is it running, where, with which settings, keys, certificate and ranges. */
export function ServerPage() {
  const status = useServerStatus();
  const canManage = useCan('server.manage');
  const { t } = useTranslation('server');

  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('description')}
      />
      {status.isPending ? (
        <Stack align="center" py="xl">
          <Loader aria-label={t('loading')} />
        </Stack>
      ) : status.isError ? (
        <Alert color="red" icon={<IconAlertTriangle size={18} />} title={t('loadFailed')} role="alert">
          {errorMessage(status.error)}
        </Alert>
      ) : (
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, lg: 6 }}>
            <Stack gap="lg">
              <ServerStatusCard status={status.data} canManage={canManage} />
              {/* Keyed by the saved settings, so the form starts over when they change (saved here or elsewhere). */}
              <ServerSettingsCard
                key={JSON.stringify(status.data.settings)}
                settings={status.data.settings}
                running={status.data.running}
                listeningPort={status.data.listening?.port ?? null}
                canManage={canManage}
              />
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 6 }}>
            <Stack gap="lg">
              <TlsCard status={status.data} canManage={canManage} />
              <SigningKeysCard keys={status.data.signingKeys} canManage={canManage} />
              <MailRelaySection canManage={canManage} />
              <StoreSection canManage={canManage} />
            </Stack>
          </Grid.Col>
          <Grid.Col span={12}>
            <RangesCard canManage={canManage} />
          </Grid.Col>
        </Grid>
      )}
      {!canManage && !status.isPending && (
        <Text size="sm" c="dimmed" mt="md">
          {t('readOnly')}
        </Text>
      )}
    </>
  );
}
