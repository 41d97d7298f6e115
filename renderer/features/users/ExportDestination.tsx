import { Alert, Code, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconServer } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from '../../app/router.js';
import { useCan } from '../../app/session.js';
import { errorMessage } from '../../lib/notify.js';
import { useCredentialDestination } from './credentials.queries.js';

/**
 * The export dialog's answer to "where will the integrator ask for tokens?", before anything is saved
 * (issue 13: a file naming http://127.0.0.1:<port> reached no other machine, and nothing said so). A file
 * only this computer can use gets a warning with the fix: LAN access or an issuer, on the Token server page.
 */
export function ExportDestination() {
  const { t } = useTranslation('users');
  const destination = useCredentialDestination();
  const canManageServer = useCan('server.manage');
  const d = destination.data;
  if (destination.isError) {
    return (
      <Text size="sm" c="red" role="alert">
        {errorMessage(destination.error)}
      </Text>
    );
  }
  if (!d) return null;

  const serverLink = (
    <Text size="sm">
      <Link to="/server" fw={600} data-testid="export-server-link">
        {t('export.toServerPage')}
      </Link>
      {canManageServer ? null : ` ${t('export.askServerAdmin')}`}
    </Text>
  );

  if (!d.known) {
    return (
      <Alert color="red" icon={<IconAlertTriangle size={18} />} title={t('export.noAddressTitle')} data-testid="export-destination-unknown">
        <Stack gap={6}>
          <Text size="sm">{t('export.noAddress')}</Text>
          {serverLink}
        </Stack>
      </Alert>
    );
  }
  if (d.thisComputerOnly) {
    return (
      <Alert color="orange" icon={<IconAlertTriangle size={18} />} title={t('export.thisComputerOnlyTitle')} data-testid="export-destination-local">
        <Stack gap={6}>
          <Text size="sm">{t('export.thisComputerOnly')}</Text>
          <Code block>{d.tokenEndpoint}</Code>
          <Text size="sm">{d.lanAccess ? t('export.fixWithIssuer') : t('export.fixWithLanAccess')}</Text>
          {serverLink}
        </Stack>
      </Alert>
    );
  }
  return (
    <Stack gap={4} data-testid="export-destination">
      <Text size="sm" fw={500}>
        <IconServer size={14} style={{ verticalAlign: 'middle' }} /> {t('export.tokensFrom')}
      </Text>
      <Code block>{d.tokenEndpoint}</Code>
    </Stack>
  );
}
