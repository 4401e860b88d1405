import { setTimeout as sleep } from 'node:timers/promises';
import { systemClock } from '../src/system-clock.js';
import { type DatabaseChoice, fixedClock, startBenchApp } from './lib/bench-app.js';
import { largeOrg } from './lib/bench-org.js';
import { type Figure, type Section, figure, percentile } from './lib/report.js';
import { rowsOf, seedDeadlines, seedEscalations } from './lib/seed.js';
import { havePostgres } from './lib/shared-postgres.js';
import { sql } from 'drizzle-orm';
import { type DigestPhases, lastDigestPhases } from '../src/chase/digest.service.js';
import { profileTop } from './lib/profile-top.js';

const NOW = new Date('2026-11-24T10:00:00Z');

const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

/**
 * Digest: `units` units with `perUnit` overdue escalations each; time one digestOnce() writing every digest (wall
 * and this process's CPU, and the run's own read / build / insert split), then one more run under the profiler.
 */
const digest = async (args: { database: DatabaseChoice; units: number; perUnit: number; runs: number }) => {
  const clock = fixedClock(NOW.toISOString());
  const bench = await startBenchApp({ database: args.database, org: largeOrg({ units: args.units, membersPerUnit: 1 }), clock });
  const db = bench.app.database.db;
  try {
    const seedStart = performance.now();
    const total = args.units * args.perUnit;
    const unitOf = `((g - 1) % ${args.units})`;
    await seedEscalations({ db, count: total, now: NOW, unitSql: `'u' || ${unitOf}`, receivingUnit: 'pp', raisedBy: 'dev', countersigner: 'kate' });
    await seedDeadlines({
      db,
      count: total,
      firstItemId: 1,
      unitSql: `'u' || ${unitOf}`,
      ownerSql: `'m' || ${unitOf}`,
      dueSql: `'${NOW.toISOString()}'::timestamptz - interval '2 hours' - g * interval '1 second'`,
    });
    await db.execute(sql`VACUUM ANALYZE deadlines`);
    const seedMs = performance.now() - seedStart;
    const times: number[] = [];
    const cpu: number[] = [];
    const phases: DigestPhases[] = [];
    let written = 0;
    // Each run is a new day's digest (the dedupe keys carry the local date).
    const day = (i: number) => clock.set(new Date(NOW.getTime() + i * 86_400_000).toISOString());
    for (let i = 0; i < args.runs; i += 1) {
      day(i);
      const since = process.cpuUsage();
      const t0 = performance.now();
      written = (await bench.app.scheduler.digestOnce({ force: true })).digests;
      times.push(performance.now() - t0);
      cpu.push(cpuMs(since));
      const split = lastDigestPhases();
      if (split) phases.push(split);
    }
    day(args.runs);
    const profile = await profileTop({ work: () => bench.app.scheduler.digestOnce({ force: true }), count: 10, filter: /^(?!\(idle\)|\(program\)|dispatch )/ });
    const bytes = rowsOf<{ avg: number; max: number }>(
      await db.execute(sql`SELECT avg(octet_length(payload::text))::int AS avg, max(octet_length(payload::text)) AS max FROM outbox WHERE dedupe_key LIKE 'digest:%'`),
    )[0];
    return { times, cpu, phases, written, seedMs, profile, payloadAvg: Number(bytes?.avg ?? 0), payloadMax: Number(bytes?.max ?? 0) };
  } finally {
    await bench.stop();
  }
};

/**
 * Punctuality: the app running on the real clock with its background loops (punctual timer, outbox), `count`
 * urgent deadlines falling due evenly over `windowS`; lag from each due time to the chat.postMessage that
 * delivered its reminder.
 */
const punctuality = async (args: { database: DatabaseChoice; count: number; windowS: number }) => {
  const bench = await startBenchApp({ database: args.database, clock: systemClock, background: true });
  const db = bench.app.database.db;
  try {
    const start = new Date(Date.now() + 3_000);
    const stepMs = (args.windowS * 1000) / args.count;
    await seedEscalations({ db, count: args.count, now: new Date(), urgent: true });
    await seedDeadlines({
      db,
      count: args.count,
      firstItemId: 1,
      urgent: true,
      dueSql: `'${start.toISOString()}'::timestamptz + (g - 1) * interval '${stepMs} milliseconds'`,
    });
    const dueById = new Map(
      rowsOf<{ item_id: number; due: string }>(await db.execute(sql`SELECT item_id, due_at::text AS due FROM deadlines`)).map((row) => [Number(row.item_id), new Date(row.due).getTime()]),
    );
    bench.app.scheduler.rearm();
    const until = start.getTime() + args.windowS * 1000 + 20_000;
    const reminders = () => bench.fake.callsTo('chat.postMessage').filter((call) => !call.failed && /ESC-\d+/.test(String(call.args.text)));
    while (Date.now() < until && reminders().length < args.count) await sleep(100);
    const lags: number[] = [];
    const seen = new Set<number>();
    for (const call of reminders()) {
      const id = Number(/ESC-(\d+)/.exec(String(call.args.text))?.[1]);
      const due = dueById.get(id);
      if (due === undefined || seen.has(id)) continue;
      seen.add(id);
      lags.push(call.at - due);
    }
    return { lags, delivered: seen.size };
  } finally {
    await bench.stop();
  }
};

/** Item 5: the morning digest at scale, and reminder punctuality on a real clock. */
export const run = async ({ quick }: { quick: boolean }): Promise<Section> => {
  const database: DatabaseChoice = havePostgres() ? 'postgres' : 'pglite';
  const units = quick ? 50 : 500;
  const perUnit = quick ? 20 : 200;
  const count = quick ? 200 : 1_000;
  // 30 s: 1,000 due in half a minute is a denser load than the old 60 s, and keeps the whole bench under 10 minutes.
  const windowS = quick ? 10 : 30;
  const figures: Figure[] = [];
  const d = await digest({ database, units, perUnit, runs: quick ? 1 : 2 });
  const split = (pick: (phase: DigestPhases) => number) => d.phases.map(pick);
  const ms = (values: number[]) => values.map((v) => Math.round(v)).join(' / ');
  figures.push(
    figure({ name: `digest: ${units} units × ${perUnit} overdue, build + enqueue all`, unit: 'ms', runs: d.times, target: '≤ 1 s', met: (v) => v <= 1_000 }),
    figure({ name: 'digest CPU (this process)', unit: 'ms', runs: d.cpu }),
    figure({ name: 'digest: read (one query + the run facts)', unit: 'ms', runs: split((phase) => phase.readMs) }),
    figure({ name: 'digest: build every message (in memory)', unit: 'ms', runs: split((phase) => phase.buildMs) }),
    figure({ name: 'digest: one set-based insert', unit: 'ms', runs: split((phase) => phase.insertMs) }),
    figure({ name: 'digest messages written', unit: 'rows', runs: [d.written] }),
  );
  const p = await punctuality({ database, count, windowS });
  figures.push(
    figure({ name: `reminder lag p50 (${count} due over ${windowS} s)`, unit: 'ms', runs: [percentile(p.lags, 50)] }),
    figure({ name: `reminder lag p99 (${count} due over ${windowS} s)`, unit: 'ms', runs: [percentile(p.lags, 99)], target: '< 1000 ms', met: (v) => v < 1_000 }),
    figure({ name: 'reminders delivered', unit: 'of ' + count, runs: [p.delivered], target: `= ${count}`, met: (v) => v === count }),
  );
  return {
    title: '5. Digest and punctuality',
    command: 'npm run bench -- digest-punctuality',
    figures,
    notes: [
      `${database === 'postgres' ? 'PostgreSQL server' : 'PGlite'}. Digest: an org of ${units} sending units (manager + officer, a channel each), ${(units * perUnit).toLocaleString('en-GB')} overdue countersign deadlines on real escalations; scheduler.digestOnce({ force: true }) writes each unit's channel digest and its manager's DM (${quick ? 1 : 2} run(s), each a new day).`,
      `Digest split per run (wall ms, the run's own clock): read ${ms(split((phase) => phase.readMs))}, build ${ms(split((phase) => phase.buildMs))}, insert ${ms(split((phase) => phase.insertMs))}; CPU of this process ${ms(d.cpu)} against wall ${ms(d.times)} (the rest is PostgreSQL's side and waiting for a core). Payload ${d.payloadAvg.toLocaleString('en-GB')} bytes on average, ${d.payloadMax.toLocaleString('en-GB')} at most (a channel digest lists all of its unit's ${perUnit} lines; Slack's renderer packs lines into 3,000-character sections and stops at 50 blocks with "More in /cases", Teams at its line cap). Seeded in ${(d.seedMs / 1000).toFixed(1)} s (set-based INSERT … SELECT). Top frames of one more run by self time (CPU profile of this process; waiting on the database is idle): ${d.profile}.`,
      "How the digest runs now (src/chase/digest.service.ts, digest-plan.ts, src/db/digest.repository.ts): one query reads every unit's overdue and due-today deadlines (only the seven deadline columns shown) with their escalation or referral, mapped by a column list worked out once per table instead of drizzle's per-cell mapper (src/db/row-mapper.ts); the run's facts (runs, duty changes, dead rows, unreachable people, Teams reach) are one read each; rows are grouped in memory in one synchronous pass, who owes an owner list is put in words once per distinct list and a local due time formatted once per distinct time; buttons ask only the actions that belong on the deadline (not every action, then narrowed); every message row goes in one INSERT … SELECT from one JSON parameter (src/db/bulk-writes.ts). test/chase/digest-fast-path.test.ts shows the rows are the same, byte for byte, as the previous read and grouping wrote.",
      "Before and after, back to back on this machine (load 4–5, 500 × 200 on PostgreSQL, the digest alone): before 3.7 / 3.8 s wall, 3.6 / 3.6 s CPU per run (earlier at load 6.4: 4.0–5.3 s wall, 2.9–3.0 s CPU; drizzle's select alone took 2.1 s CPU for the 100,000 rows of three tables' columns; top self frames: garbage collector 22 %, drizzle mapResultRow (utils.js) 11 %, drizzle is() 4 %, digest-plan 4 %, workflow.ts (every action's authority asked per row) 4 %). After: 2.3 / 2.3 / 2.3 s wall, 2.1–2.2 s CPU; read 1.2–1.3 s, build 0.6–0.7 s, insert 0.3–0.4 s; top self frames: garbage collector 22 %, pg parseRow 8 %, digest-plan 6 %, item-message.presenter (buttons) 5 %, digest-messages 3 %, row-mapper 3 %.",
      "Where the rest goes (≤ 1 s not met on this shared machine): the read is the cost that grows with the work. It brings every due item's whole row (28 escalation or 21 referral columns), because a manager's buttons are decided from the whole item (the workflow's roles and checks read its facts), and a unit whose manager may act on none of its 200 items is asked about all 200, as in this benchmark (the seeded countersigner is someone else). node-postgres parsing those 100,000 × 56-column rows is about 0.5 s CPU, their garbage about 0.6 s, deciding 100,000 button sets about 0.26 s, and PostgreSQL's own side of the join about 0.25–0.5 s. The insert writes 1,001 rows of 16 KB (each channel digest lists all 200 lines), 16 MB of JSON. Next steps, not done: read only the columns the built-in workflows' roles and button checks need (a test proving which they read), or one query per item type to drop the other type's null columns. Under a heavy load (15–30 on 2 cores) the wall figures are several times the CPU: steer by the CPU figure.",
      `Section time: the digest half is the seed (set-based, ${(d.seedMs / 1000).toFixed(1)} s here), ${quick ? 1 : 2} measured runs and one profiled run; the punctuality half waits its whole ${windowS}-second window plus delivery, so the section cannot take under about ${windowS + 5} s while that window stays as it is.`,
      `Punctuality: the app on the real clock with its background loops (punctual timer + outbox, no cron sweep), ${count} urgent deadlines due evenly over ${windowS} s; lag = fake Slack's arrival time of each reminder minus its due time. One run (it takes the window's length).`,
    ],
  };
};
