import { useState } from 'react';
import { Alert, Badge, Button, Group, Loader, Menu, Paper, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconChevronDown, IconCloudDownload, IconFileImport } from '@tabler/icons-react';
import { DataTable } from 'mantine-datatable';
import { useTranslation } from 'react-i18next';
import { PROVIDERS, type Provider } from '../../../shared/domain.js';
import { snapshotAgeDays, snapshotFreshness } from '../../../shared/range-freshness.js';
import type { RangeInfo, RangeUpdateReport } from '../../../shared/ranges.dto.js';
import type { RangesUpdateProgress } from '../../../shared/server.dto.js';
import { formatCount, formatTime, formatWallClock } from '../../lib/format.js';
import { errorMessage, notifyError, notifySuccess } from '../../lib/notify.js';
import { PROVIDER_NAMES } from './provider-names.js';
import { useImportRanges, useRanges, useRangesProgress, useUpdateRanges } from './server.queries.js';

const STATUS_COLORS: Record<RangeInfo['status'], string> = { loaded: 'teal', missing: 'gray', damaged: 'red' };

type Phase = RangesUpdateProgress['providers'][number]['phase'];

/** The cloud providers' published ranges behind the allowlist words, with their dates, Update and Import. */
export function RangesCard({ canManage }: { canManage: boolean }) {
  const { t } = useTranslation('server');
  const ranges = useRanges();
  const update = useUpdateRanges();
  const importFile = useImportRanges();
  const progress = useRangesProgress(update.isPending);
  const [report, setReport] = useState<RangeUpdateReport | null>(null);
  const now = Date.now();
  const phaseOf = (provider: Provider): Phase | null =>
    update.isPending ? (progress.data?.providers.find((p) => p.provider === provider)?.phase ?? null) : null;

  const updateAll = () => {
    setReport(null);
    update.mutate(
      {},
      {
        onSuccess: (result) => {
          setReport(result);
          if (result.ok) notifySuccess(t('ranges.allDownloaded'), t('ranges.updated'));
        },
        onError: (error) => notifyError(error, t('ranges.updateFailed')),
      },
    );
  };

  const importFor = (provider: Provider | undefined) =>
    importFile.mutate(provider ? { provider } : {}, {
      onSuccess: (result) => {
        if (result.imported) {
          const published = result.info.publishedAt ? formatWallClock(result.info.publishedAt) : null;
          notifySuccess(
            published
              ? t('ranges.importedPublished', { count: result.info.count, provider: PROVIDER_NAMES[result.info.provider], published })
              : t('ranges.importedUndated', { count: result.info.count, provider: PROVIDER_NAMES[result.info.provider] }),
            t('ranges.imported'),
          );
        }
      },
      onError: (error) => notifyError(error, t('ranges.importFailed')),
    });

  const failures = report?.results.filter((r) => !r.ok) ?? [];

  return (
    <Paper withBorder p="lg" data-testid="server-ranges">
      <Stack>
        <Group justify="space-between">
          <Stack gap={2}>
            <Title order={2} size="h4">
              {t('ranges.title')}
            </Title>
            <Text size="sm" c="dimmed">
              {t('ranges.description', { words: PROVIDERS.join(', ') })}
            </Text>
          </Stack>
          {canManage && (
            <Group gap="xs" wrap="nowrap">
              <Button leftSection={<IconCloudDownload size={16} />} onClick={updateAll} loading={update.isPending} data-testid="ranges-update">
                {t('ranges.update')}
              </Button>
              <Menu position="bottom-end" withinPortal>
                <Menu.Target>
                  <Button variant="light" leftSection={<IconFileImport size={16} />} rightSection={<IconChevronDown size={14} />} loading={importFile.isPending} data-testid="ranges-import">
                    {t('ranges.import')}
                  </Button>
                </Menu.Target>
                <Menu.Dropdown>
                  <Menu.Label>{t('ranges.whose')}</Menu.Label>
                  <Menu.Item onClick={() => importFor(undefined)} data-testid="ranges-import-auto">
                    {t('ranges.recognise')}
                  </Menu.Item>
                  {PROVIDERS.map((p) => (
                    <Menu.Item key={p} onClick={() => importFor(p)} data-testid={`ranges-import-${p}`}>
                      {PROVIDER_NAMES[p]}
                      {p === 'CLOUDFLARE' ? ` ${t('ranges.cloudflareBoth')}` : ''}
                    </Menu.Item>
                  ))}
                </Menu.Dropdown>
              </Menu>
            </Group>
          )}
        </Group>
        {failures.length > 0 && (
          <Alert color="orange" icon={<IconAlertTriangle size={18} />} title={t('ranges.someFailed')} data-testid="ranges-failures">
            {failures.map((f) => (
              <Text size="sm" key={f.provider}>
                {PROVIDER_NAMES[f.provider]}: {f.ok ? '' : f.error}
              </Text>
            ))}
            <Text size="sm" mt="xs">
              {t('ranges.offlineHint')}
            </Text>
          </Alert>
        )}
        {ranges.isError ? (
          <Text c="red" role="alert">
            {errorMessage(ranges.error)}
          </Text>
        ) : (
          <DataTable<RangeInfo>
            withTableBorder
            borderRadius="sm"
            minHeight={ranges.data?.length ? undefined : 150}
            fetching={ranges.isPending}
            records={ranges.data ?? []}
            idAccessor="provider"
            data-testid="ranges-table"
            columns={[
              {
                accessor: 'provider',
                title: t('ranges.column.provider'),
                render: (r) => (
                  <Stack gap={0} data-testid={`ranges-row-${r.provider}`}>
                    <Text size="sm" fw={500}>
                      {PROVIDER_NAMES[r.provider]}
                    </Text>
                    <Text size="xs" c="dimmed" ff="monospace">
                      {r.provider}
                    </Text>
                  </Stack>
                ),
              },
              {
                accessor: 'status',
                title: t('ranges.column.snapshot'),
                render: (r) => {
                  const phase = phaseOf(r.provider);
                  if (phase && phase !== 'done' && phase !== 'failed') {
                    return (
                      <Group gap={6}>
                        <Loader size="xs" />
                        <Text size="sm">{t(`ranges.phase.${phase}`)}</Text>
                      </Group>
                    );
                  }
                  // A loaded snapshot not refreshed for a month is said to be old, as the allowlist warnings say.
                  if (r.fetchedAt !== null && snapshotFreshness(r, now) === 'stale') {
                    return (
                      <Badge color="yellow" variant="light" miw="max-content" data-testid={`ranges-stale-${r.provider}`}>
                        {t('ranges.staleBadge', { count: snapshotAgeDays(r.fetchedAt, now) })}
                      </Badge>
                    );
                  }
                  // max-content on both badges: in this auto-sized column German's "NOCH KEINER" was cut to
                  // "NOCH KEI…" at 1024×768.
                  return (
                    <Badge color={STATUS_COLORS[r.status]} variant="light" miw="max-content">
                      {t(`ranges.status.${r.status}`)}
                    </Badge>
                  );
                },
              },
              { accessor: 'publishedAt', title: t('ranges.column.published'), render: (r) => (r.publishedAt ? formatWallClock(r.publishedAt) : '—') },
              { accessor: 'fetchedAt', title: t('ranges.column.fetched'), render: (r) => formatTime(r.fetchedAt) },
              { accessor: 'count', title: t('ranges.column.count'), textAlign: 'right', render: (r) => (r.status === 'loaded' ? formatCount(r.count) : '—') },
            ]}
          />
        )}
      </Stack>
    </Paper>
  );
}
