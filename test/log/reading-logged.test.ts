import { afterEach, beforeEach, expect, test } from 'vitest';
import type { Actor } from '../../electron/services/context.js';
import { LOG_VIEW_EVENT, VIEW_LOG_INTERVAL_MS } from '../../electron/services/log.service.js';
import { keyrack } from '../support/cli.js';
import { describeEngines, type EngineCore } from '../support/engines.js';
import { parseInputOf } from '../../shared/contract.js';

describeEngines((engine) => {
  let core: EngineCore;
  let admin: Actor;
  beforeEach(async () => ({ core, admin } = await engine.coreWithAdmin()));
  afterEach(() => core.cleanup());

  const views = async () => (await core.log.search(admin, { type: LOG_VIEW_EVENT, limit: 500 })).rows.filter((e) => e.details?.view === true);

  test('reading the log is logged once per reader per interval, after the page was read', async () => {
    const first = await core.log.view(admin, { type: 'setup.completed', limit: 10 });
    expect(first.rows.map((e) => e.type)).toEqual(['setup.completed']);
    expect(await views()).toMatchObject([{ actorName: 'alice', details: { view: true, filters: { type: 'setup.completed' } } }]);
    // Paging and refining within the interval is the same reading.
    await core.log.view(admin, { limit: 1, before: first.rows[0]!.id + 1 });
    core.clock.advance(VIEW_LOG_INTERVAL_MS - 1);
    await core.log.view(admin, parseInputOf('log.search', { text: 'alice' }));
    expect(await views()).toHaveLength(1);
    core.clock.advance(1);
    const page = await core.log.view(admin, { limit: 1 });
    expect(await views()).toHaveLength(2);
    // Never its own event: it is written after the read.
    expect(page.rows[0]!.id).toBeLessThan((await views())[0]!.id);
  });

  test('keyrack log records the reading too, with its filters', async () => {
    const data = core.dataDir;
    core.close();
    const run = await keyrack(data, ['log', '--type', 'setup.completed', '--json'], '', { env: core.cliEnv });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toHaveLength(1);
    const all = JSON.parse((await keyrack(data, ['log', '--json'], '', { env: core.cliEnv })).stdout) as { type: string; actorName: string; details: Record<string, unknown> }[];
    expect(all[0]).toMatchObject({ type: LOG_VIEW_EVENT, actorName: 'cli:tester', details: { view: true, filters: { type: 'setup.completed' } } });
  });
});
