import { useState } from 'react';
import { Alert, Button, CloseButton, Group, List, Paper, Progress, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { UserSummary } from '../../../shared/dto.js';
import { call } from '../../api/call.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { useRefreshAfter } from '../../lib/use-refresh-after.js';
import { errorMessage, notifyError, notifySuccess } from '../../lib/notify.js';
import { runForEach, type BulkFailure } from './bulk-run.js';

type Verb = 'disable' | 'enable';

interface Run {
  verb: Verb;
  done: number;
  total: number;
}

interface BulkActionsProps {
  selected: UserSummary[];
  /** Empties the selection once a run is over (the rows have changed). */
  onFinished: () => void;
  onClear: () => void;
}

/**
 * What the Users table does with its selected rows: export them as a CSV file, or disable (confirmed first) or
 * enable each, through the
 * same channel as a single user's page, so each one is checked and logged by the service as today. The bar
 * shows how far the run is; a user main refuses is listed with the reason and the others still run.
 */
export function BulkActions({ selected, onFinished, onClear }: BulkActionsProps) {
  const { t } = useTranslation(['users', 'common']);
  const refresh = useRefreshAfter('user');
  const [run, setRun] = useState<Run | null>(null);
  const [failures, setFailures] = useState<{ verb: Verb; failed: BulkFailure<UserSummary>[] } | null>(null);

  const start = async (verb: Verb) => {
    // Only the users the action changes: enabling an active user (or disabling a disabled one) is no step.
    const targets = selected.filter((u) => (verb === 'disable' ? u.status === 'active' : u.status === 'disabled'));
    setFailures(null);
    setRun({ verb, done: 0, total: targets.length });
    const outcome = await runForEach(targets, (u) => call(`users.${verb}`, { id: u.id }), (done, total) => setRun({ verb, done, total }));
    await refresh();
    setRun(null);
    onFinished();
    if (outcome.succeeded.length > 0) notifySuccess(t(verb === 'disable' ? 'bulk.disabledDone' : 'bulk.enabledDone', { count: outcome.succeeded.length }));
    if (outcome.failed.length > 0) setFailures({ verb, failed: outcome.failed });
  };

  // A spreadsheet of the selection (main asks where, writes it owner-only and logs it); changes nothing.
  const [exporting, setExporting] = useState(false);
  const exportSelection = async () => {
    setExporting(true);
    try {
      const outcome = await call('users.export', { ids: selected.map((u) => u.id) });
      if (outcome.saved) notifySuccess(t('bulk.exportedTo', { path: outcome.path }), t('bulk.exported', { count: selected.length }));
    } catch (error) {
      notifyError(error, t('bulk.exportFailed'));
    } finally {
      setExporting(false);
    }
  };

  const canDisable = selected.some((u) => u.status === 'active');
  const canEnable = selected.some((u) => u.status === 'disabled');

  return (
    <Stack gap="xs">
      {selected.length > 0 || run ? (
        <Paper withBorder p="xs" data-testid="bulk-bar">
          <Group justify="space-between" wrap="wrap" gap="sm">
            <Text size="sm" fw={500}>
              {t('bulk.selected', { count: selected.length })}
            </Text>
            {run ? (
              <Stack gap={4} miw={260} data-testid="bulk-progress">
                <Text size="sm">{t(run.verb === 'disable' ? 'bulk.disabling' : 'bulk.enabling', { done: run.done, total: run.total })}</Text>
                <Progress value={run.total === 0 ? 100 : (100 * run.done) / run.total} aria-label={t('bulk.progress')} />
              </Stack>
            ) : (
              <Group gap="xs">
                <ConfirmButton
                  size="xs"
                  color="orange"
                  disabled={!canDisable}
                  title={t('bulk.disableTitle', { count: selected.filter((u) => u.status === 'active').length })}
                  consequence={t('bulk.disableConsequence', {
                    names: selected
                      .filter((u) => u.status === 'active')
                      .map((u) => u.name)
                      .join(', '),
                  })}
                  confirmLabel={t('bulk.disable')}
                  onConfirm={() => start('disable')}
                >
                  {t('bulk.disable')}
                </ConfirmButton>
                <Button size="xs" variant="light" color="teal" disabled={!canEnable} onClick={() => void start('enable')}>
                  {t('bulk.enable')}
                </Button>
                <Button size="xs" variant="light" loading={exporting} onClick={() => void exportSelection()}>
                  {t('bulk.export')}
                </Button>
                <Button size="xs" variant="default" onClick={onClear}>
                  {t('bulk.clear')}
                </Button>
              </Group>
            )}
          </Group>
        </Paper>
      ) : null}
      {failures ? (
        <Alert
          color="red"
          icon={<IconAlertTriangle size={18} />}
          title={t(failures.verb === 'disable' ? 'bulk.notDisabled' : 'bulk.notEnabled', { count: failures.failed.length })}
          role="alert"
          data-testid="bulk-failures"
        >
          <Group justify="space-between" align="flex-start" wrap="nowrap">
            <List size="sm" spacing={2}>
              {failures.failed.map(({ target, error }) => (
                <List.Item key={target.id}>{t('bulk.failedLine', { name: target.name, reason: errorMessage(error) })}</List.Item>
              ))}
            </List>
            <CloseButton aria-label={t('common:close')} onClick={() => setFailures(null)} />
          </Group>
        </Alert>
      ) : null}
    </Stack>
  );
}
