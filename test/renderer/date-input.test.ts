import { expect, test } from 'vitest';
import { strictDateInput } from '../../renderer/lib/format.js';

test('the date inputs read a typed date strictly and stop at the horizon', () => {
  const { dateParser, maxDate } = strictDateInput();
  expect(dateParser('2027-02-28')).toBe('2027-02-28');
  expect(dateParser(' 2028-02-29 ')).toBe('2028-02-29');
  // Mantine's own parser would turn these into 2 and 1 March.
  expect(dateParser('2027-02-30')).toBeNull();
  expect(dateParser('2027-02-29')).toBeNull();
  expect(dateParser('31.01.2027')).toBeNull();
  const years = (maxDate.getTime() - Date.now()) / (365.2425 * 86_400_000);
  expect(years).toBeCloseTo(100, 1);
});
