import { useRef, useState } from 'react';
import { Button, Group, Modal, Progress, Stack, Text } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { call } from '../../api/call.js';
import { notifyError, notifySuccess } from '../../lib/notify.js';
import { exportSink } from './export-sink.js';
import { ExportCancelled, exportFileName, exportLogCsv, type ExportProgress, type LogFilters } from './log-export.js';

/**
 * Exports every event matching the current filters as CSV, with a progress bar and a Cancel button.
 * The pages come through log.search one at a time (see log-export.ts), so a large log never sits in main
 * as one answer.
 */
export function ExportLogButton({ filters, disabled }: { filters: LogFilters; disabled?: boolean }) {
  const [progress, setProgress] = useState<ExportProgress | null>(null);
  const controller = useRef<AbortController | null>(null);

  const run = async () => {
    controller.current = new AbortController();
    setProgress({ rows: 0, fraction: 0 });
    try {
      const result = await exportLogCsv((q) => call('log.search', q), filters, {
        signal: controller.current.signal,
        onProgress: setProgress,
      });
      const outcome = await exportSink().save({ name: exportFileName(new Date()), type: 'text/csv;charset=utf-8', parts: result.chunks });
      if (outcome === 'saved') notifySuccess(`${result.rows} event${result.rows === 1 ? '' : 's'} exported`, 'Log exported');
    } catch (error) {
      if (!(error instanceof ExportCancelled)) notifyError(error, 'The export stopped');
    } finally {
      controller.current = null;
      setProgress(null);
    }
  };

  return (
    <>
      <Button variant="default" leftSection={<IconDownload size={16} />} onClick={() => void run()} disabled={disabled || progress !== null}>
        Export CSV
      </Button>
      <Modal opened={progress !== null} onClose={() => controller.current?.abort()} title="Exporting the log" centered withCloseButton={false} closeOnClickOutside={false}>
        <Stack gap="sm">
          <Progress value={(progress?.fraction ?? 0) * 100} animated aria-label="Export progress" />
          <Text size="sm" aria-live="polite">
            {progress?.rows ?? 0} events so far…
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => controller.current?.abort()}>
              Cancel
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
