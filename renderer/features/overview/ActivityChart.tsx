import { lazy, Suspense, useState } from 'react';
import { Box, Group, Paper, SegmentedControl, Select, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import type { Overview } from '../../../shared/log.dto.js';
import type { ActivityBucket, OverviewRange } from '../../../shared/log.schemas.js';
import { Link } from '../../app/router.js';
import { activityHref, activityTotals, chartRows, denialRate, hourlyAllowed, RANGE_OPTIONS, type ChartControls } from './overview-model.js';
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
  const rows = chartRows(activity.points, activity.bucket);
  const totals = activityTotals(activity.points);
  const rate = denialRate(totals.issued, totals.denied);
  const span = { since: activity.since, until: activity.until, userId: activity.userId };

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label="Token activity">
      <Group justify="space-between" align="flex-start" mb="md" gap="sm">
        <Stack gap={2}>
          <Title order={2} size="h4">
            Token activity
          </Title>
          <Text size="sm" c="dimmed" data-testid="activity-totals">
            <Link to={activityHref('issued', span)} size="sm">
              {formatCount(totals.issued)} issued
            </Link>
            {' · '}
            <Link to={activityHref('denied', span)} size="sm" c="red">
              {formatCount(totals.denied)} refused
            </Link>
            {rate ? ` (${rate} refused)` : ''}
            {controls.user ? ` for ${controls.user.name}` : ' for all API users'}
          </Text>
        </Stack>
        <Group gap="sm" align="flex-end">
          <ApiUserPicker value={controls.user} onChange={(user) => onChange({ ...controls, user })} />
          <SegmentedControl
            aria-label="Period"
            size="xs"
            value={controls.range}
            onChange={(v) => onChange({ ...controls, range: v as OverviewRange })}
            data={RANGE_OPTIONS}
          />
          <SegmentedControl
            aria-label="Bars per"
            size="xs"
            value={activity.bucket}
            onChange={(v) => onChange({ ...controls, bucket: v as ActivityBucket })}
            data={[
              { value: 'hour', label: 'Hour', disabled: !hourlyAllowed(controls.range) },
              { value: 'day', label: 'Day' },
            ]}
          />
        </Group>
      </Group>
      <Box style={{ opacity: refreshing ? 0.55 : 1, transition: 'opacity 150ms' }} data-testid="activity-chart">
        {totals.issued + totals.denied === 0 ? (
          <Text c="dimmed" size="sm" ta="center" py={80}>
            No token was requested in this period{controls.user ? ` by ${controls.user.name}` : ''}.
          </Text>
        ) : (
          <Suspense fallback={<Skeleton h={260} aria-label="Loading" />}>
            <ActivityBars rows={rows} />
          </Suspense>
        )}
      </Box>
    </Paper>
  );
}

/** Picks one API user for the chart (searched in main), or all of them. */
function ApiUserPicker({ value, onChange }: { value: ChartControls['user']; onChange: (user: ChartControls['user']) => void }) {
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 250);
  // While an option is selected the input shows its name; searching for that name is not what was typed.
  const users = useApiUserOptions(value && debounced === value.name ? '' : debounced);
  const options = (users.data?.rows ?? []).map((u) => ({ value: String(u.id), label: u.name }));
  if (value && !options.some((o) => o.value === String(value.id))) options.unshift({ value: String(value.id), label: value.name });

  return (
    <Select
      label="API user"
      size="xs"
      w={220}
      placeholder="All API users"
      searchable
      clearable
      nothingFoundMessage={users.isFetching ? 'Searching…' : 'No API user by that name'}
      data={options}
      value={value ? String(value.id) : null}
      searchValue={search}
      onSearchChange={setSearch}
      onChange={(id, option) => onChange(id && option ? { id: Number(id), name: option.label } : null)}
    />
  );
}
