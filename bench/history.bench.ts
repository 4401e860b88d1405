import { sql } from 'drizzle-orm';
import type { Db } from '../src/db/database.js';
import { myQueue, timeline } from '../src/use-cases/cases.use-case.js';
import { type DatabaseChoice, fixedClock, startBenchApp } from './lib/bench-app.js';
import { type Figure, type Section, figure, median } from './lib/report.js';
import { seedDeadlines, seedEscalations } from './lib/seed.js';
import { havePostgres } from './lib/shared-postgres.js';

const NOW = new Date('2026-11-24T10:00:00Z');
const CRN = 'X999001';

const timedMedian = async (repeats: number, work: () => Promise<unknown>) => {
  const times: number[] = [];
  for (let i = 0; i < repeats + 2; i += 1) {
    const t0 = performance.now();
    await work();
    if (i >= 2) times.push(performance.now() - t0); // two warm-up calls
  }
  return median(times);
};

/**
 * The work of today: Tom owes 500 open countersigns (ids 1–500, due over the week, half overdue); the CRN X999001
 * has 100 escalations with 10 decisions each (1,000 events) and 1,000 audit events; 200 of Tom's items are overdue
 * for the morning digest.
 */
const seedWork = async (db: Db) => {
  await seedEscalations({ db, count: 500, now: new Date(NOW.getTime() - 3 * 86_400_000) });
  await seedDeadlines({ db, count: 500, firstItemId: 1, dueSql: `'${NOW.toISOString()}'::timestamptz - interval '2 days' + g * interval '10 minutes'` });
  await db.execute(sql`
    INSERT INTO escalations (crn, rosh_current, rosh_new, reason, urgency, summary, oasys_reviewed, sender_unit_id, receiving_unit_id, raised_by, countersigner_id, state, created_at, updated_at)
    SELECT ${CRN}, 'HIGH', 'HIGH', 'breach_or_new_offence', 'standard', 'Timeline bench escalation.', true, 'north-3', 'north-pp', 'amara', 'tom', 'awaiting_countersign',
      ${NOW.toISOString()}::timestamptz - interval '400 days' + g * interval '1 day', ${NOW.toISOString()}::timestamptz
    FROM generate_series(1, 100) AS g`);
  await db.execute(sql`
    INSERT INTO decisions (item_type, item_id, action, actor_id, actor_role, from_state, to_state, rationale, platform, decided_at)
    SELECT 'escalation', e.id, 'countersign', 'tom', 'countersigner', 'awaiting_countersign', 'awaiting_countersign', 'Bench decision ' || s, 'slack',
      e.created_at + s * interval '3 hours'
    FROM escalations e, generate_series(1, 10) AS s WHERE e.crn = ${CRN}`);
  await db.execute(sql`
    INSERT INTO audit_log (at, actor_id, event, item_type, item_id, crn, details)
    SELECT e.created_at + s * interval '2 hours', 'tom', 'case.viewed', 'escalation', e.id, ${CRN}, '{}'::jsonb
    FROM escalations e, generate_series(1, 10) AS s WHERE e.crn = ${CRN}`);
};

/**
 * Five years of history beside it: 50,000 closed escalations with 4 decisions and a met deadline each, 500,000
 * audit events over five years (1 in 50 a person.unreachable), 200,000 sent outbox rows, a digest run per unit
 * per day.
 */
const seedHistory = async (db: Db) => {
  const years = sql`${NOW.toISOString()}::timestamptz - interval '5 years'`;
  await db.execute(sql`
    INSERT INTO escalations (crn, rosh_current, rosh_new, reason, urgency, summary, oasys_reviewed, sender_unit_id, receiving_unit_id, raised_by, countersigner_id, state, created_at, updated_at)
    SELECT 'H' || lpad((g % 900000)::text, 6, '0'), 'HIGH', 'HIGH', 'breach_or_new_offence', 'standard', 'Closed long ago.', true, 'north-3', 'north-pp', 'amara', 'tom', 'closed',
      ${years} + g * interval '50 minutes', ${years} + g * interval '50 minutes'
    FROM generate_series(1, 50000) AS g`);
  await db.execute(sql`
    INSERT INTO decisions (item_type, item_id, action, actor_id, actor_role, from_state, to_state, rationale, platform, decided_at)
    SELECT 'escalation', e.id, 'countersign', 'tom', 'countersigner', 'awaiting_countersign', 'closed', NULL, 'slack', e.created_at + s * interval '1 hour'
    FROM escalations e, generate_series(1, 4) AS s WHERE e.state = 'closed'`);
  await db.execute(sql`
    INSERT INTO deadlines (item_type, item_id, kind, unit_id, owners, urgent, started_at, due_at, policy, next_check_at, met_at, met_by)
    SELECT 'escalation', e.id, 'countersign', 'north-3', '[{"kind":"person","personId":"tom"}]'::jsonb, false, e.created_at, e.created_at + interval '1 day', '{}'::jsonb,
      e.created_at + interval '1 day', e.created_at + interval '5 hours', 'tom'
    FROM escalations e WHERE e.state = 'closed'`);
  await db.execute(sql`
    INSERT INTO audit_log (at, actor_id, event, item_type, item_id, crn, details)
    SELECT ${years} + g * interval '5 minutes', 'tom', CASE WHEN g % 50 = 0 THEN 'person.unreachable' ELSE 'case.viewed' END, 'escalation', 1 + g % 50000,
      'H' || lpad((g % 900000 % 50000)::text, 6, '0'), '{}'::jsonb
    FROM generate_series(1, 500000) AS g`);
  await db.execute(sql`
    INSERT INTO outbox (dedupe_key, platform, target, payload, item_type, item_id, status, attempts, next_attempt_at, created_at, sent_at)
    SELECT 'history:' || g, 'slack', '{"platform":"slack","kind":"user","id":"U0TOM"}'::jsonb, '{"cleared":true}'::jsonb, 'escalation', 1 + g % 50000, 'sent', 1,
      ${years} + g * interval '13 minutes', ${years} + g * interval '13 minutes', ${years} + g * interval '13 minutes'
    FROM generate_series(1, 200000) AS g`);
  await db.execute(sql`
    INSERT INTO digest_runs (unit_id, day, ran_at, messages)
    SELECT u.id, d::date, d + interval '9 hours', 2
    FROM (VALUES ('north-3'), ('north-pp'), ('south-1')) AS u(id), generate_series(${years}, ${NOW.toISOString()}::timestamptz - interval '1 day', interval '1 day') AS d
    ON CONFLICT DO NOTHING`);
  await db.execute(sql`VACUUM ANALYZE`);
};

const measureAll = async (args: { db: Db; app: Awaited<ReturnType<typeof startBenchApp>>['app']; repeats: number; clock: ReturnType<typeof fixedClock>; day: { n: number } }) => {
  void args.db;
  const ctx = args.app.ctx;
  const cases = await timedMedian(args.repeats, () => myQueue({ ctx, personId: 'tom' }));
  const crnTimeline = await timedMedian(args.repeats, () => timeline({ ctx, crn: CRN }));
  // Each digest is a new day (its runs are kept per unit and day), at 10:00 on a working day.
  const digest = await timedMedian(Math.max(3, Math.floor(args.repeats / 4)), async () => {
    args.day.n += 1;
    args.clock.set(new Date(NOW.getTime() + args.day.n * 7 * 86_400_000).toISOString());
    await args.app.scheduler.digestOnce({ force: true });
  });
  args.clock.set(NOW.toISOString());
  return { cases, crnTimeline, digest };
};

/**
 * Item 4 of the second round: cost that grows with the work, not the history. The same three figures on the same
 * day's work, first with no history, then with five years of it beside the work.
 */
export const run = async ({ quick }: { quick: boolean }): Promise<Section> => {
  const database: DatabaseChoice = havePostgres() ? 'postgres' : 'pglite';
  const repeats = quick ? 5 : 11;
  const runs = quick ? 2 : 3;
  const clocks = [fixedClock(NOW.toISOString()), fixedClock(NOW.toISOString())] as const;
  // Two databases side by side, the same work in each, five years of history in the second; measured in turn.
  const apps = [await startBenchApp({ database, clock: clocks[0] }), await startBenchApp({ database, clock: clocks[1] })] as const;
  const results = [
    { cases: [] as number[], crnTimeline: [] as number[], digest: [] as number[] },
    { cases: [] as number[], crnTimeline: [] as number[], digest: [] as number[] },
  ];
  const days = [{ n: 0 }, { n: 0 }];
  let seedS = 0;
  try {
    for (const bench of apps) await seedWork(bench.app.database.db);
    const t0 = performance.now();
    await seedHistory(apps[1].app.database.db);
    seedS = (performance.now() - t0) / 1000;
    await apps[0].app.database.db.execute(sql`VACUUM ANALYZE`);
    for (let i = -1; i < runs; i += 1) {
      // Run -1 warms both (JIT, plans, buffers) and is not kept; the order alternates run by run.
      for (const which of i % 2 === 0 ? [1, 0] : [0, 1]) {
        const bench = apps[which] as (typeof apps)[number];
        const r = await measureAll({ db: bench.app.database.db, app: bench.app, repeats, clock: clocks[which] as ReturnType<typeof fixedClock>, day: days[which] as { n: number } });
        if (i < 0) continue;
        const into = results[which] as (typeof results)[number];
        into.cases.push(r.cases);
        into.crnTimeline.push(r.crnTimeline);
        into.digest.push(r.digest);
      }
    }
  } finally {
    for (const bench of apps) await bench.stop();
  }
  const [empty, full] = results as [(typeof results)[number], (typeof results)[number]];
  const figures: Figure[] = [];
  const rows = [
    { key: 'cases' as const, name: '/cases of a person owing 500 items' },
    { key: 'crnTimeline' as const, name: 'timeline of a CRN with 1,000 events' },
    { key: 'digest' as const, name: 'digest (example org, 250 overdue)' },
  ];
  for (const row of rows) {
    const ratios = full[row.key].map((ms, i) => ms / (empty[row.key][i] as number));
    figures.push(
      figure({ name: `${row.name}, empty history`, unit: 'ms', runs: empty[row.key] }),
      figure({ name: `${row.name}, 5 years of history`, unit: 'ms', runs: full[row.key] }),
      figure({ name: `${row.name}: 5 years / empty`, unit: '×', runs: ratios, target: '≤ 1.5×', met: (v) => v <= 1.5 }),
    );
  }
  return {
    title: '8. Cost that grows with the work, not the history',
    command: 'npm run bench -- history',
    figures,
    notes: [
      `${database === 'postgres' ? 'PostgreSQL server' : 'PGlite'}, two databases side by side with the same work, the second with five years of history besides; the apps run in the bench process on fixed clocks and are measured in turn (order swapped every run, one warm-up run of each not kept). The work: Tom owes 500 open countersigns (half overdue); CRN ${CRN} has 100 escalations with 10 decisions and 10 audit events each; the example org's digest. Each figure is the median of ${repeats} calls after two warm-up calls (the digest: ${Math.max(3, Math.floor(repeats / 4))} calls, each a new day), ${runs} runs; the ratio is taken within each run.`,
      `History (seeded in ${seedS.toFixed(1)} s, then VACUUM ANALYZE): 50,000 closed escalations with 4 decisions and a met deadline each, 500,000 audit events over five years (1 in 50 a person.unreachable), 200,000 sent outbox rows, a digest run per unit per day for five years.`,
    ],
  };
};
