import { useState } from 'react';
import { Button, Group, Stack, Text } from '@mantine/core';
import { IconCloudDownload, IconFileImport } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Provider } from '../../../shared/domain.js';
import { Link } from '../../app/router.js';
import { useCan } from '../../app/session.js';
import { notifyError, notifySuccess } from '../../lib/notify.js';
import { PROVIDER_NAMES } from './provider-names.js';
import { useImportRanges, useRangesProgress, useUpdateRanges } from './server.queries.js';

/**
 * The fix for one provider's missing or stale ranges, where the problem shows (the allowlist field, the
 * Overview): download them now (ranges.update for that provider, its progress polled), or import the file the
 * provider publishes (ranges.import, main's open dialog). Without permission to run the token server, it says
 * who can, and where.
 */
export function RangesFix({ provider }: { provider: Provider }) {
  const { t } = useTranslation('server');
  const canManage = useCan('server.manage');
  const update = useUpdateRanges();
  const importFile = useImportRanges();
  const progress = useRangesProgress(update.isPending);
  // The last download's failure, kept beside the buttons: a toast would vanish before the admin read why.
  const [failure, setFailure] = useState<string | null>(null);
  const name = PROVIDER_NAMES[provider];

  if (!canManage) {
    return (
      <Text size="sm">
        {t('rangeProblem.askSomeone')}{' '}
        <Link to="/server">{t('rangeProblem.toServerPage')}</Link>
      </Text>
    );
  }

  // mutateAsync, not mutate's callbacks: success removes the warning this sits in, and the callbacks of a
  // mutate() whose component has unmounted never run, so the admin would not hear that it worked.
  const download = () => {
    setFailure(null);
    void update.mutateAsync({ providers: [provider] }).then(
      (report) => {
        const outcome = report.results.find((r) => r.provider === provider);
        if (outcome?.ok) notifySuccess(t('rangeProblem.downloaded', { count: outcome.info.count, provider: name }), t('ranges.updated'));
        else setFailure(outcome && !outcome.ok ? outcome.error : t('ranges.updateFailed'));
      },
      (error: unknown) => notifyError(error, t('ranges.updateFailed')),
    );
  };

  const importChosen = () =>
    void importFile.mutateAsync({ provider }).then(
      (result) => {
        if (!result.imported) return; // the admin closed the file dialog: nothing changed
        setFailure(null);
        notifySuccess(t('rangeProblem.importedCount', { count: result.info.count, provider: name }), t('ranges.imported'));
      },
      (error: unknown) => notifyError(error, t('ranges.importFailed')),
    );

  const phase = progress.data?.providers.find((p) => p.provider === provider)?.phase;
  return (
    <Stack gap={6}>
      <Group gap="xs">
        <Button
          size="xs"
          leftSection={<IconCloudDownload size={14} />}
          onClick={download}
          loading={update.isPending}
          disabled={importFile.isPending}
          data-testid={`ranges-fix-download-${provider}`}
        >
          {t('rangeProblem.download', { word: provider })}
        </Button>
        <Button
          size="xs"
          variant="default"
          leftSection={<IconFileImport size={14} />}
          onClick={importChosen}
          loading={importFile.isPending}
          disabled={update.isPending}
          data-testid={`ranges-fix-import-${provider}`}
        >
          {provider === 'CLOUDFLARE' ? t('rangeProblem.importCloudflare') : t('rangeProblem.import')}
        </Button>
        {update.isPending && phase ? (
          <Text size="xs" c="dimmed" aria-live="polite">
            {t(`ranges.phase.${phase}`)}
          </Text>
        ) : null}
      </Group>
      {failure !== null ? (
        <Text size="sm" c="red" role="alert" data-testid={`ranges-fix-failure-${provider}`}>
          {t('rangeProblem.downloadFailed', { error: failure })} {t('ranges.offlineHint')}
        </Text>
      ) : null}
    </Stack>
  );
}
