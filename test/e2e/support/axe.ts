import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from '@playwright/test';

const SEVERE = new Set(['serious', 'critical']);

/**
 * axe-core's WCAG 2.1 A and AA rules on the page as it is now (an open dialog included): the serious and
 * critical violations, each with where and why (the selector, axe's figures and the element's start).
 */
export async function severeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((v) => SEVERE.has(v.impact ?? ''))
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} ${JSON.stringify(n.any[0]?.data ?? '')} ${n.html.slice(0, 120)}`).join(' | ')}`);
}
