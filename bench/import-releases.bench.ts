import { importPlannedReferrals } from '../src/use-cases/planned-referrals.use-case.js';
import { fixedClock, startBenchApp } from './lib/bench-app.js';
import { type Section, figure } from './lib/report.js';
import { havePostgres } from './lib/shared-postgres.js';

/** 500 upcoming releases as a unit's CSV: distinct CRNs, release dates spread over the next year. */
const releasesCsv = (count: number) => {
  const lines = ['CRN,NOMS,prison,release date,date type,officer'];
  for (let i = 0; i < count; i += 1) {
    const day = new Date(Date.UTC(2026, 11, 1) + (i % 360) * 86_400_000).toISOString().slice(0, 10);
    lines.push(`X${String(700000 + i)},A${String(1000 + (i % 9000)).padStart(4, '0')}BC,HMP Leeds,${day},CRD,${i % 2 ? 'amara' : 'ben'}`);
  }
  return `${lines.join('\n')}\n`;
};

/**
 * Item 14.5: planned referrals imported from CSV (one transaction: 500 referrals, their decisions, audit rows and
 * refer-by deadlines), on a fresh database each run, embedded and (when installed) on a PostgreSQL server.
 */
export const run = async ({ quick }: { quick: boolean }): Promise<Section> => {
  const rows = 500;
  const runs = quick ? 1 : 3;
  const csv = releasesCsv(rows);
  const figures = [];
  const notes: string[] = [];
  for (const database of havePostgres() ? (['pglite', 'postgres'] as const) : (['pglite'] as const)) {
    const times: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      const bench = await startBenchApp({ database, clock: fixedClock() });
      try {
        const began = performance.now();
        const result = await importPlannedReferrals({ ctx: bench.app.ctx, unitId: 'north-3', csv });
        times.push(performance.now() - began);
        if (!result.ok || result.count !== rows) throw new Error(`import failed: ${JSON.stringify(result).slice(0, 300)}`);
        const open = (await bench.app.store.repos.deadlines.open()).filter((deadline) => deadline.kind === 'referBy').length;
        if (open !== rows) throw new Error(`expected ${rows} refer-by deadlines, found ${open}`);
      } finally {
        await bench.stop();
      }
    }
    figures.push(figure({ name: `${rows} planned referrals imported from CSV (${database})`, unit: 'ms', runs: times, target: '< 5000 ms', met: (value) => value < 5000 }));
  }
  if (!havePostgres()) notes.push('No PostgreSQL server binaries here: the embedded database only.');
  return { title: 'Planned referrals imported from CSV', command: 'npm run bench -- import-releases', figures, notes };
};
