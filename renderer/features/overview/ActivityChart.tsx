import { lazy, Suspense, useState } from 'react';
import { Box, Group, Paper, SegmentedControl, Select, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import type { Overview } from '../../../shared/log.dto.js';
import type { ActivityBucket, OverviewRange } from '../../../shared/log.schemas.js';
import { Link } from '../../app/router.js';
import { activityHref, activityTotals, chartRows, denialRate, hourlyAllowed, rangeOptions, type ChartControls } from './overview-model.js';
import { useApiUserOptions } from './overview.queries.js';
import { formatCount } from '../../lib/format.js';

interface ActivityChartProps {
  activity: Overview['activity'];
  controls: ChartControls;
  onChange: (next: ChartControls) => void;
  /** True while another range or user loads (the previous chart stays, dimmed). */
  refreshing: boolean;
}


// The charting library (recharts) is the largest part of the app's script: it loads with the first chart,
// so every other page, and the overview's attention cards, start without parsing it.
// The overview route's prefetch (or OverviewPage as it mounts) starts the download, so it runs while main
// computes the overview.
export const loadActivityBars = () => import('./ActivityBars.js');
const ActivityBars = lazy(() => loadActivityBars().then((m) => ({ default: m.ActivityBars })));

/** Token issuances and denials over time, overall or for one API user, by hour or by day. */
export function ActivityChart({ activity, controls, onChange, refreshing }: ActivityChartProps) {
  const { t } = useTranslation(['overview', 'common']);
  const rows = chartRows(activity.points, activity.bucket);
  const totals = activityTotals(activity.points);
  const rate = denialRate(totals.issued, totals.denied);
  const span = { since: activity.since, until: activity.until, userId: activity.userId };

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label={t('chart.title')}>
      <Group justify="space-between" align="flex-start" mb="md" gap="sm">
        <Stack gap={2}>
          <Title order={2} size="h4">
            {t('chart.title')}
          </Title>
          <Text size="sm" c="dimmed" data-testid="activity-totals">
            <Link to={activityHref('issued', span)} size="sm">
              {t('chart.issuedCount', { number: formatCount(totals.issued) })}
            </Link>
            {' · '}
            <Link to={activityHref('denied', span)} size="sm" c="red">
              {t('chart.refusedCount', { number: formatCount(totals.denied) })}
            </Link>
            {rate ? ` ${t('chart.rate', { rate })}` : ''}
            {controls.user ? ` ${t('chart.forUser', { name: controls.user.name })}` : ` ${t('chart.forAll')}`}
          </Text>
        </Stack>
        <Group gap="sm" align="flex-end">
          <ApiUserPicker value={controls.user} onChange={(user) => onChange({ ...controls, user })} />
          <SegmentedControl
            aria-label={t('chart.period')}
            size="xs"
            value={controls.range}
            onChange={(v) => onChange({ ...controls, range: v as OverviewRange })}
            data={rangeOptions()}
          />
          <SegmentedControl
            aria-label={t('chart.barsPer')}
            size="xs"
            value={activity.bucket}
            onChange={(v) => onChange({ ...controls, bucket: v as ActivityBucket })}
            data={[
              { value: 'hour', label: t('chart.hour'), disabled: !hourlyAllowed(controls.range) },
              { value: 'day', label: t('chart.day') },
            ]}
          />
        </Group>
      </Group>
      <Box style={{ opacity: refreshing ? 0.55 : 1, transition: 'opacity 150ms' }} data-testid="activity-chart">
        {totals.issued + totals.denied === 0 ? (
          <Text c="dimmed" size="sm" ta="center" py={80}>
            {controls.user ? t('chart.noneBy', { name: controls.user.name }) : t('chart.none')}
          </Text>
        ) : (
          <Suspense fallback={<Skeleton h={260} aria-label={t('common:loading')} />}>
            <ActivityBars rows={rows} />
          </Suspense>
        )}
      </Box>
    </Paper>
  );
}

/** Picks one API user for the chart (searched in main), or all of them. */
function ApiUserPicker({ value, onChange }: { value: ChartControls['user']; onChange: (user: ChartControls['user']) => void }) {
  const { t } = useTranslation(['overview', 'common']);
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 250);
  // While an option is selected the input shows its name; searching for that name is not what was typed.
  const users = useApiUserOptions(value && debounced === value.name ? '' : debounced);
  const options = (users.data?.rows ?? []).map((u) => ({ value: String(u.id), label: u.name }));
  if (value && !options.some((o) => o.value === String(value.id))) options.unshift({ value: String(value.id), label: value.name });

  return (
    <Select
      label={t('chart.apiUser')}
      size="xs"
      w={220}
      placeholder={t('chart.allApiUsers')}
      searchable
      clearable
      nothingFoundMessage={users.isFetching ? t('chart.searching') : t('chart.noApiUser')}
      data={options}
      value={value ? String(value.id) : null}
      searchValue={search}
      onSearchChange={setSearch}
      onChange={(id, option) => onChange(id && option ? { id: Number(id), name: option.label } : null)}
    />
  );
}
