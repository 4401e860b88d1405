import { sql } from 'drizzle-orm';
import { hashToken, randomToken } from '../src/board/board-sessions.js';
import { type DatabaseChoice, fixedClock, startBenchApp } from './lib/bench-app.js';
import { type Figure, type Section, figure, percentile } from './lib/report.js';
import { seedDeadlines, seedEscalations } from './lib/seed.js';
import { havePostgres } from './lib/shared-postgres.js';

const NOW = new Date('2026-11-24T10:00:00Z');
const ITEMS = 5_000;
const PAGES = [
  { name: 'my units (5,000 open items)', path: '/board' },
  { name: 'an item (timeline, deadlines, decision forms)', path: '/board/items/ESC-000042' },
  { name: 'weekly report (2 SVG charts, 4 tables)', path: '/board/reports?unit=north-3&week=2026-11-23' },
  { name: 'report CSV', path: '/board/reports/north-3/2026-11-23/times.csv' },
  // Something was recorded before each request (an audit row, as every decision writes): the report is recomputed.
  { name: 'weekly report, recomputed after each change', path: '/board/reports?unit=north-3&week=2026-11-23', invalidate: true },
] as { name: string; path: string; invalidate?: boolean }[];

/**
 * The managers' board for a unit with 5,000 open escalations: each page requested one after another as the unit
 * manager (a signed-in session), p99 of the server's answer time as the client sees it.
 */
const measure = async (args: { database: DatabaseChoice; requests: number }) => {
  const bench = await startBenchApp({
    database: args.database,
    clock: fixedClock(NOW.toISOString()),
    env: { BOARD_URL: 'http://127.0.0.1:9', SLACK_CLIENT_ID: 'bench', SLACK_CLIENT_SECRET: 'bench-secret', SLACK_OIDC_ISSUER: 'http://127.0.0.1:9' },
  });
  try {
    const db = bench.app.database.db;
    await seedEscalations({ db, count: ITEMS, now: new Date(NOW.getTime() - 86_400_000) });
    // Deadlines spread over the week, every other one met (by the manager): the report has real work to do.
    await seedDeadlines({ db, count: ITEMS, firstItemId: 1, dueSql: `'2026-11-23T09:00:00Z'::timestamptz + (g % 120) * interval '1 hour'` });
    await db.execute(sql`UPDATE deadlines SET met_at = due_at - interval '30 minutes', met_by = 'tom' WHERE item_id % 2 = 0`);
    await db.execute(sql`VACUUM ANALYZE`);
    const board = bench.app.board;
    if (!board) throw new Error('the board is off');
    const token = randomToken();
    await board.repo.insertSession({
      idHash: hashToken(token),
      personId: 'tom',
      provider: 'slack',
      csrfSecret: randomToken(),
      pending: null,
      createdAt: NOW,
      expiresAt: new Date(NOW.getTime() + 3_600_000),
    });
    const cookie = `dutydesk_board=${token}`;
    const results: { name: string; p50: number; p99: number; bytes: number }[] = [];
    for (const target of PAGES) {
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i < args.requests + 5; i += 1) {
        if (target.invalidate) await db.execute(sql`INSERT INTO audit_log (at, event, details) VALUES (now(), 'bench.change', '{}'::jsonb)`);
        const t0 = performance.now();
        const response = await fetch(`${bench.baseUrl}${target.path}`, { headers: { cookie }, redirect: 'manual' });
        const body = await response.text();
        const elapsed = performance.now() - t0;
        if (response.status !== 200) throw new Error(`${target.path}: ${response.status}`);
        bytes = body.length;
        if (i >= 5) times.push(elapsed); // five warm-up requests
      }
      results.push({ name: target.name, p50: percentile(times, 50), p99: percentile(times, 99), bytes });
    }
    return results;
  } finally {
    await bench.stop();
  }
};

export const run = async ({ quick }: { quick: boolean }): Promise<Section> => {
  const requests = quick ? 40 : 100;
  const engines: DatabaseChoice[] = havePostgres() ? ['pglite', 'postgres'] : ['pglite'];
  const figures: Figure[] = [];
  const notes: string[] = [];
  for (const database of engines) {
    const results = await measure({ database, requests });
    for (const r of results) {
      figures.push(
        figure({ name: `${database}: ${r.name} p50`, unit: 'ms', runs: [r.p50] }),
        figure({ name: `${database}: ${r.name} p99`, unit: 'ms', runs: [r.p99], target: '< 200 ms', met: (v) => v < 200 }),
      );
      notes.push(`${database}: ${r.name} answers ${Math.round(r.bytes / 1024)} KiB.`);
    }
  }
  return {
    title: "Managers' board: page times for a unit with 5,000 items",
    command: 'npm run bench -- board',
    figures,
    notes: [
      `${requests} sequential requests per page after 5 warm-up requests, as the unit manager with a session cookie, over loopback (the app runs in the bench process).`,
      'The units page lists the 50 most urgent items per state and counts the rest; the item page reads the case history and audits the view.',
      'A report is kept while nothing new is recorded (the audit log\'s newest id, on any replica) and for at most a minute; "recomputed" requests insert an audit row first, so they read the week\'s 5,000 deadlines, work out 2,500 spans in working time and look up both SVG charts (drawn once per distinct set of figures).',
      'The machine was shared with other work during the run: read p99 as an upper bound.',
      ...notes,
    ],
  };
};
