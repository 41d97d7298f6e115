import { useState } from 'react';
import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconShieldCheck } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from '../../app/router.js';
import { errorMessage } from '../../lib/notify.js';
import { logHref } from './log-url.js';
import { useVerifyLog } from './log.queries.js';
import { describeVerifyResult } from './verify-result.js';

/**
 * Checks the log's hash chain in main and says either "intact" or which event was altered, with a link
 * that opens that event. The check reads every event, so it shows as busy while it runs.
 */
export function VerifyLogButton() {
  const verify = useVerifyLog();
  const { t } = useTranslation(['log', 'common']);
  const [opened, setOpened] = useState(false);
  const summary = verify.data ? describeVerifyResult(verify.data) : null;

  const run = () => {
    setOpened(true);
    verify.mutate();
  };

  return (
    <>
      <Button variant="default" leftSection={<IconShieldCheck size={16} />} onClick={run} loading={verify.isPending}>
        {t('verify.button')}
      </Button>
      <Modal opened={opened && !verify.isPending} onClose={() => setOpened(false)} title={t('verify.title')} centered>
        <Stack gap="md" data-testid="verify-result">
          {verify.isError ? (
            <Alert color="red" role="alert" title={t('verify.didNotRun')}>
              {errorMessage(verify.error)}
            </Alert>
          ) : summary ? (
            <Alert
              color={summary.intact ? 'teal' : 'red'}
              icon={summary.intact ? <IconShieldCheck size={18} /> : <IconAlertTriangle size={18} />}
              title={summary.title}
              role={summary.intact ? 'status' : 'alert'}
            >
              <Text size="sm">{summary.message}</Text>
              {summary.eventId !== null ? (
                <Link to={logHref({ event: summary.eventId })} size="sm" onClick={() => setOpened(false)}>
                  {t('verify.showEvent', { id: summary.eventId })}
                </Link>
              ) : null}
            </Alert>
          ) : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpened(false)}>
              {t('common:close')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
