import { useState } from 'react';
import { Alert, Badge, Button, Group, Loader, Menu, Paper, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconChevronDown, IconCloudDownload, IconFileImport } from '@tabler/icons-react';
import { DataTable } from 'mantine-datatable';
import { PROVIDERS, type Provider } from '../../../shared/domain.js';
import type { RangeInfo, RangeUpdateReport } from '../../../shared/ranges.dto.js';
import type { RangesUpdateProgress } from '../../../shared/server.dto.js';
import { formatTime } from '../../lib/format.js';
import { errorMessage, notifyError, notifySuccess } from '../../lib/notify.js';
import { useImportRanges, useRanges, useRangesProgress, useUpdateRanges } from './server.queries.js';

const STATUS_COLORS: Record<RangeInfo['status'], string> = { loaded: 'teal', missing: 'gray', damaged: 'red' };
const PROVIDER_NAMES: Record<Provider, string> = {
  AWS: 'Amazon Web Services',
  GOOGLE: 'Google Cloud',
  AZURE: 'Microsoft Azure',
  CLOUDFLARE: 'Cloudflare',
  DIGITAL_OCEAN: 'DigitalOcean',
};

type Phase = RangesUpdateProgress['providers'][number]['phase'];
const PHASE_WORDS: Record<Phase, string> = { waiting: 'Waiting…', downloading: 'Downloading…', done: 'Updated', failed: 'Failed' };

/** The cloud providers' published ranges behind the allowlist words, with their dates, Update and Import. */
export function RangesCard({ canManage }: { canManage: boolean }) {
  const ranges = useRanges();
  const update = useUpdateRanges();
  const importFile = useImportRanges();
  const progress = useRangesProgress(update.isPending);
  const [report, setReport] = useState<RangeUpdateReport | null>(null);
  const phaseOf = (provider: Provider): Phase | null =>
    update.isPending ? (progress.data?.providers.find((p) => p.provider === provider)?.phase ?? null) : null;

  const updateAll = () => {
    setReport(null);
    update.mutate(
      {},
      {
        onSuccess: (result) => {
          setReport(result);
          if (result.ok) notifySuccess('Every provider\'s ranges were downloaded.', 'Provider ranges updated');
        },
        onError: (error) => notifyError(error, 'The provider ranges were not updated'),
      },
    );
  };

  const importFor = (provider: Provider | undefined) =>
    importFile.mutate(provider ? { provider } : {}, {
      onSuccess: (result) => {
        if (result.imported) {
          notifySuccess(`${result.info.count} ranges of ${PROVIDER_NAMES[result.info.provider]}, published ${result.info.publishedAt ?? 'on an unknown date'}.`, 'Ranges imported');
        }
      },
      onError: (error) => notifyError(error, 'The file was not imported'),
    });

  const failures = report?.results.filter((r) => !r.ok) ?? [];

  return (
    <Paper withBorder p="lg" data-testid="server-ranges">
      <Stack>
        <Group justify="space-between">
          <Stack gap={2}>
            <Title order={2} size="h4">
              Provider ranges
            </Title>
            <Text size="sm" c="dimmed">
              The published addresses behind the allowlist words {PROVIDERS.join(', ')}. A word matches nothing until its provider has a snapshot.
            </Text>
          </Stack>
          {canManage && (
            <Group gap="xs" wrap="nowrap">
              <Button leftSection={<IconCloudDownload size={16} />} onClick={updateAll} loading={update.isPending} data-testid="ranges-update">
                Update from providers
              </Button>
              <Menu position="bottom-end" withinPortal>
                <Menu.Target>
                  <Button variant="light" leftSection={<IconFileImport size={16} />} rightSection={<IconChevronDown size={14} />} loading={importFile.isPending} data-testid="ranges-import">
                    Import file
                  </Button>
                </Menu.Target>
                <Menu.Dropdown>
                  <Menu.Label>Whose file is it?</Menu.Label>
                  <Menu.Item onClick={() => importFor(undefined)} data-testid="ranges-import-auto">
                    Recognise it from the file
                  </Menu.Item>
                  {PROVIDERS.map((p) => (
                    <Menu.Item key={p} onClick={() => importFor(p)} data-testid={`ranges-import-${p}`}>
                      {PROVIDER_NAMES[p]}
                      {p === 'CLOUDFLARE' ? ' (choose both ips-v4 and ips-v6)' : ''}
                    </Menu.Item>
                  ))}
                </Menu.Dropdown>
              </Menu>
            </Group>
          )}
        </Group>
        {failures.length > 0 && (
          <Alert color="orange" icon={<IconAlertTriangle size={18} />} title="Some providers were not updated; they keep their previous snapshot" data-testid="ranges-failures">
            {failures.map((f) => (
              <Text size="sm" key={f.provider}>
                {PROVIDER_NAMES[f.provider]}: {f.ok ? '' : f.error}
              </Text>
            ))}
            <Text size="sm" mt="xs">
              Without internet access, download the files elsewhere and use Import file.
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
                title: 'Provider',
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
                title: 'Snapshot',
                render: (r) => {
                  const phase = phaseOf(r.provider);
                  if (phase && phase !== 'done' && phase !== 'failed') {
                    return (
                      <Group gap={6}>
                        <Loader size="xs" />
                        <Text size="sm">{PHASE_WORDS[phase]}</Text>
                      </Group>
                    );
                  }
                  return (
                    <Badge color={STATUS_COLORS[r.status]} variant="light">
                      {r.status === 'loaded' ? 'Loaded' : r.status === 'missing' ? 'None yet' : 'Damaged'}
                    </Badge>
                  );
                },
              },
              { accessor: 'publishedAt', title: 'Published by provider', render: (r) => r.publishedAt?.slice(0, 16).replace('T', ' ') ?? '—' },
              { accessor: 'fetchedAt', title: 'Fetched', render: (r) => formatTime(r.fetchedAt) },
              { accessor: 'count', title: 'Ranges', textAlign: 'right', render: (r) => (r.status === 'loaded' ? r.count.toLocaleString() : '—') },
            ]}
          />
        )}
      </Stack>
    </Paper>
  );
}
