import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { useTranslation } from 'react-i18next';
import { tickInterval, type ChartRow } from './overview-model.js';
import { formatCount } from '../../lib/format.js';


/** The bars of the activity chart (its own module so recharts loads only when a chart shows). */
export function ActivityBars({ rows }: { rows: ChartRow[] }) {
  const { t } = useTranslation('overview');
  return (
    <BarChart
      h={260}
      data={rows}
      dataKey="label"
      type="stacked"
      series={[
        // The names are the rows' data keys; the labels are what the legend and tooltip show.
        { name: 'Issued', label: t('chart.issued'), color: 'teal.6' },
        { name: 'Denied', label: t('chart.refused'), color: 'red.6' },
      ]}
      withLegend
      legendProps={{ verticalAlign: 'bottom', height: 40 }}
      gridAxis="x"
      valueFormatter={formatCount}
      // A fixed tick interval and no bar animation: with 168 or 90 bars, recharts otherwise measures
      // every label's width and animates every bar frame by frame, seconds of work on a slow machine.
      xAxisProps={{ interval: tickInterval(rows.length) }}
      barProps={{ isAnimationActive: false }}
      tooltipAnimationDuration={0}
      barChartProps={{ barCategoryGap: rows.length > 60 ? 0 : '15%' }}
    />
  );
}
