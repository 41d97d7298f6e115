import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { tickInterval, type ChartRow } from './overview-model.js';
import { formatCount } from '../../lib/format.js';


/** The bars of the activity chart (its own module so recharts loads only when a chart shows). */
export function ActivityBars({ rows }: { rows: ChartRow[] }) {
  return (
    <BarChart
      h={260}
      data={rows}
      dataKey="label"
      type="stacked"
      series={[
        { name: 'Issued', color: 'teal.6' },
        { name: 'Denied', label: 'Refused', color: 'red.6' },
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
