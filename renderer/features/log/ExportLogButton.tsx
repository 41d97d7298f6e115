import { useEffect, useState } from 'react';
import { Alert, Button, Group, Modal, Progress, Radio, Stack, Text } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { LogExportFormat } from '../../../shared/log.schemas.js';
import { errorMessage, notifyError, notifySuccess } from '../../lib/notify.js';
import { EXPORT_FORMATS, exportFinished, exportFraction, exportProgressText } from './export-job.js';
import type { LogFilters } from './log-filters.js';
import { useCancelExport, useExportStatus, useStartExport } from './log.queries.js';

/**
 * Exports every event matching the current filters, as CSV or JSON Lines. Main asks where to save (its own
 * dialog: the renderer never names a path) and streams the file in the background in constant memory; this
 * dialog polls log.exportStatus for the progress bar and can cancel the job.
 */
export function ExportLogButton({ filters, disabled }: { filters: LogFilters; disabled?: boolean }) {
  const { t } = useTranslation(['log', 'common']);
  const [opened, setOpened] = useState(false);
  const [format, setFormat] = useState<LogExportFormat>('csv');
  const [jobId, setJobId] = useState<string | null>(null);
  const start = useStartExport();
  const cancel = useCancelExport();
  const status = useExportStatus(jobId);
  const job = status.data ?? null;
  const running = jobId !== null && (job === null || !exportFinished(job)) && !status.isError;

  // Tell the admin once how it ended, then close: the file is where they chose.
  useEffect(() => {
    if (!job || !exportFinished(job)) return;
    if (job.error !== null) return; // stays open with the message in the dialog
    if (job.cancelled) notifySuccess(exportProgressText(job), t('export.cancelled'));
    else notifySuccess(exportProgressText(job), t('export.done'));
    setJobId(null);
    setOpened(false);
  }, [job, t]);

  const begin = () => {
    start.mutate(
      { ...filters, format },
      {
        onSuccess: (started) => {
          if (started.started) setJobId(started.jobId);
          else setOpened(false); // the save dialog was closed: nothing to do
        },
      },
    );
  };

  const close = () => {
    if (running) return;
    setJobId(null);
    start.reset();
    setOpened(false);
  };

  return (
    <>
      <Button variant="default" leftSection={<IconDownload size={16} />} onClick={() => setOpened(true)} disabled={disabled}>
        {t('export.button')}
      </Button>
      <Modal opened={opened} onClose={close} title={t('export.title')} centered closeOnClickOutside={!running} withCloseButton={!running}>
        {jobId === null ? (
          <Stack gap="md">
            <Text size="sm">{t('export.explain')}</Text>
            <Radio.Group label={t('export.formatLabel')} value={format} onChange={(v) => setFormat(v as LogExportFormat)}>
              <Stack gap="xs" mt={6}>
                {EXPORT_FORMATS.map((value) => (
                  <Radio key={value} value={value} label={t(`export.format.${value}.label`)} description={t(`export.format.${value}.description`)} />
                ))}
              </Stack>
            </Radio.Group>
            {start.isError ? (
              <Alert color="red" role="alert">
                {errorMessage(start.error)}
              </Alert>
            ) : null}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('common:close')}
              </Button>
              <Button leftSection={<IconDownload size={16} />} onClick={begin} loading={start.isPending}>
                {t('export.submit')}
              </Button>
            </Group>
          </Stack>
        ) : (
          <Stack gap="sm" data-testid="export-progress">
            {job ? <Text size="sm">{t('export.writing', { file: job.fileName })}</Text> : null}
            <Progress value={job ? exportFraction(job) * 100 : 0} animated={running} aria-label={t('export.progressLabel')} />
            <Text size="sm" aria-live="polite" c={job?.error ? 'red' : undefined}>
              {status.isError ? errorMessage(status.error) : job ? exportProgressText(job) : t('export.starting')}
            </Text>
            <Group justify="flex-end">
              {running ? (
                <Button
                  variant="default"
                  color="red"
                  loading={cancel.isPending}
                  onClick={() => cancel.mutate(jobId, { onError: (error) => notifyError(error, t('export.cancelFailed')) })}
                >
                  {t('export.cancel')}
                </Button>
              ) : (
                <Button variant="default" onClick={close}>
                  {t('common:close')}
                </Button>
              )}
            </Group>
          </Stack>
        )}
      </Modal>
    </>
  );
}
