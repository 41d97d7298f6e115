import { useDeferredValue, useEffect, useState } from 'react';
import { Alert, Button, Grid, Group, Paper, SimpleGrid, Skeleton, Stack, Text } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader.js';
import { PendingRegistrationsCard } from '../activations/PendingRegistrationsCard.js';
import { formatTime } from '../../lib/format.js';
import { errorMessage } from '../../lib/notify.js';
import { ActivityChart, loadActivityBars } from './ActivityChart.js';
import { AttentionPanel } from './AttentionPanel.js';
import { FailingMailboxes } from './FailingMailboxes.js';
import { FirstRunChecklist } from './FirstRunChecklist.js';
import { DEFAULT_CHART_CONTROLS, overviewQueryInput, rangeOptions, type ChartControls } from './overview-model.js';
import { useOverview } from './overview.queries.js';
import { TopApiUsers } from './TopApiUsers.js';

/** The home screen: what needs attention now, then what the token server has been doing. */
export function OverviewPage() {
  const { t } = useTranslation(['overview', 'common']);
  const [controls, setControls] = useState<ChartControls>(DEFAULT_CHART_CONTROLS);
  const overview = useOverview(overviewQueryInput(controls));
  useEffect(() => void loadActivityBars(), []);
  const data = overview.data;
  // The chart is the costly part to draw (hundreds of SVG bars): it renders after the attention cards, in
  // a render React may interrupt, so what needs attention is readable first. Null until then: a skeleton.
  const chartData = useDeferredValue(data ?? null, null);
  const periodLabel = rangeOptions().find((o) => o.value === (data?.activity.range ?? controls.range))!.label;

  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('description')}
        actions={
          <Group gap="xs">
            {data ? (
              <Text size="xs" c="dimmed">
                {t('updated', { time: formatTime(data.generatedAt) })}
              </Text>
            ) : null}
            <Button variant="default" leftSection={<IconRefresh size={16} />} onClick={() => void overview.refetch()} loading={overview.isFetching && !overview.isPending}>
              {t('refresh')}
            </Button>
          </Group>
        }
      />
      {overview.isError && !data ? (
        <Alert color="red" title={t('loadFailed')} role="alert">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">{errorMessage(overview.error)}</Text>
            <Button size="xs" variant="default" onClick={() => void overview.refetch()}>
              {t('common:tryAgain')}
            </Button>
          </Stack>
        </Alert>
      ) : !data ? (
        <OverviewSkeleton />
      ) : (
        <Stack gap="md" data-testid="overview">
          <FirstRunChecklist steps={data.firstRun} />
          <PendingRegistrationsCard />
          <AttentionPanel overview={data} />
          <FailingMailboxes />
          <Grid gap="md">
            <Grid.Col span={{ base: 12, lg: 8 }}>
              {chartData ? (
                <ActivityChart
                  activity={chartData.activity}
                  controls={controls}
                  onChange={setControls}
                  refreshing={overview.isPlaceholderData || chartData !== data}
                />
              ) : (
                <ChartSkeleton />
              )}
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 4 }}>
              <TopApiUsers users={data.topApiUsers} since={data.activity.since} periodLabel={periodLabel} />
            </Grid.Col>
          </Grid>
        </Stack>
      )}
    </>
  );
}

/** The page's shape while the first answer comes, so nothing jumps when it arrives. */
function OverviewSkeleton() {
  const { t } = useTranslation();
  return (
    <Stack gap="md" aria-label={t('loading')} aria-busy>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        {[0, 1, 2, 3].map((i) => (
          <Paper key={i} withBorder radius="md" p="md">
            <Skeleton h={18} w="60%" mb="md" />
            <Skeleton h={12} mb={8} />
            <Skeleton h={12} w="80%" />
          </Paper>
        ))}
      </SimpleGrid>
      <ChartSkeleton />
    </Stack>
  );
}

function ChartSkeleton() {
  const { t } = useTranslation();
  return (
    <Paper withBorder radius="md" p="md" aria-label={t('loading')}>
      <Skeleton h={18} w="30%" mb="md" />
      <Skeleton h={260} />
    </Paper>
  );
}
