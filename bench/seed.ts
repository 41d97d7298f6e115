/** npm run seed:log -- --data DIR --events N [--api-users N] [--days N]: see seed-store.ts. */
import { parseArgs } from 'node:util';
import { seedStore } from './seed-store.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      events: { type: 'string', default: '1000000' },
      'api-users': { type: 'string', default: '200' },
      days: { type: 'string', default: '365' },
    },
  });
  if (!values.data) throw new Error('usage: npm run seed:log -- --data DIR --events N [--api-users N] [--days N]');
  await seedStore({
    dataDir: values.data,
    events: Number(values.events),
    apiUsers: Number(values['api-users']),
    days: Number(values.days),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stderr.write(`done: ${values.data}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
