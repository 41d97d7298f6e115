/** Human output: aligned tables and dates. Machine output is `--json`, printed as is. */

export type Cell = string | number | boolean | null | undefined;

export function table(rows: readonly Record<string, Cell>[], columns: readonly [key: string, title: string][]): string {
  if (rows.length === 0) return '(none)\n';
  const text = (v: Cell) => (v === null || v === undefined || v === '' ? '-' : String(v));
  const widths = columns.map(([key, title]) => Math.max(title.length, ...rows.map((r) => text(r[key]).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(columns.map(([, t]) => t.toUpperCase())), ...rows.map((r) => line(columns.map(([k]) => text(r[k]))))]
    .join('\n')
    .concat('\n');
}

export function fields(pairs: readonly [label: string, value: Cell][]): string {
  const width = Math.max(...pairs.map(([l]) => l.length));
  return pairs.map(([l, v]) => `${`${l}:`.padEnd(width + 2)}${v === null || v === undefined || v === '' ? '-' : v}`).join('\n') + '\n';
}

export function when(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '-';
  // A store written before times had a horizon may hold one no Date can show (8.6e15 ms): say so, not crash.
  if (Number.isNaN(new Date(ms).getTime())) return `invalid time (${ms} ms)`;
  return new Date(ms).toISOString().replace('T', ' ').replace(/:\d\d\.\d+Z$/, 'Z');
}

export const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
