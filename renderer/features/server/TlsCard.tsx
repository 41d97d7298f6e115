import { Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconCertificate } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ServerPageStatus } from '../../../shared/server.dto.js';
import { coreText } from '../../lib/error-text.js';
import { formatTime } from '../../lib/format.js';
import { notifyError, notifySuccess } from '../../lib/notify.js';
import { CopyField } from '../users/SecretReveal.js';
import { useSaveCaCertificate } from './server.queries.js';

/** The certificate integrators trust, its fingerprint to compare, and saving it for them. */
export function TlsCard({ status, canManage }: { status: ServerPageStatus; canManage: boolean }) {
  const save = useSaveCaCertificate();
  const { t } = useTranslation('server');
  const saveCertificate = () =>
    save.mutate(undefined, {
      onSuccess: (result) => {
        if (result.saved) notifySuccess(t('tls.savedTo', { path: result.path }), t('tls.saved'));
      },
      onError: (error) => notifyError(error, t('tls.saveFailed')),
    });

  return (
    <Paper withBorder p="lg" data-testid="server-tls">
      <Stack>
        <Group gap="sm">
          <Title order={2} size="h4">
            {t('tls.title')}
          </Title>
          {status.ca && (
            <Badge variant="light" color={status.ca.source === 'generated' ? 'blue' : 'grape'}>
              {status.ca.source === 'generated' ? t('tls.ownCa') : t('tls.installed')}
            </Badge>
          )}
        </Group>
        {status.ca ? (
          <>
            <CopyField label={t('tls.fingerprint')} copyLabel={t('tls.copyFingerprint')} value={status.ca.fingerprint} testId="server-ca-fingerprint" />
            <Text size="sm" c="dimmed">
              {status.ca.subject} · {t('tls.validUntil', { time: formatTime(status.ca.notAfter) })}
            </Text>
          </>
        ) : (
          <Text size="sm" c="dimmed" data-testid="server-ca-none">
            {canManage ? t('tls.noneYetCanSave') : t('tls.noneYet')}
          </Text>
        )}
        <Text size="sm" c="dimmed">
          {t('tls.protection', { how: coreText(status.keyProtection) })}
        </Text>
        {canManage && (
          <Group justify="flex-end">
            <Button variant="light" leftSection={<IconCertificate size={16} />} onClick={saveCertificate} loading={save.isPending} data-testid="server-save-ca">
              {t('tls.save')}
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}
