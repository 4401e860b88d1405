import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFakeSlack } from '../test/support/fake-slack.js';
import { BENCH_SECRET } from './lib/bench-app.js';
import { type LoadResult, connectionsFor, runLoad } from './lib/load.js';
import { type Figure, type Section, figure } from './lib/report.js';
import { freshServerDatabase, havePostgres } from './lib/shared-postgres.js';
import { spawnDutydesk } from './lib/spawn-app.js';

const P99_LIMIT_MS = 500;

/** A step passes when every request was answered 2xx, at (nearly) the offered rate, with p99 under 500 ms. */
const sustained = (result: LoadResult) => result.errors === 0 && result.achievedRate >= result.rate * 0.95 && result.p99 < P99_LIMIT_MS;

/**
 * Item 2: view_submission of valid escalations (store + decision + audit + deadline + outbox in one transaction),
 * stepping the offered rate up until p99 passes 500 ms or requests fail; the figure is the highest rate sustained.
 */
export const run = async ({ quick }: { quick: boolean }): Promise<Section> => {
  const stepsFor = (database: 'pglite' | 'postgres') => (quick ? [25, 50, 100, 150] : database === 'pglite' ? [25, 50, 75, 100, 150, 200, 300] : [50, 100, 200, 300, 400, 600, 800]);
  const stepS = quick ? 2 : 3;
  const ramps = quick ? 1 : 2;
  const figures: Figure[] = [];
  const notes: string[] = [];
  const databases: ('pglite' | 'postgres')[] = havePostgres() ? ['pglite', 'postgres'] : ['pglite'];
  if (!havePostgres()) notes.push('PostgreSQL is not installed here: the server figures are missing (apt-get install -y postgresql).');
  const fake = await startFakeSlack();
  try {
    for (const database of databases) {
      const steps = stepsFor(database);
      const best: number[] = [];
      const p99AtBest: number[] = [];
      const cpuPerSubmission: number[] = [];
      for (let ramp = 0; ramp < ramps; ramp += 1) {
        const dataDir = mkdtempSync(path.join(tmpdir(), 'dutydesk-bench-sub-'));
        const server = database === 'postgres' ? await freshServerDatabase({ label: 'submission' }) : null;
        const app = await spawnDutydesk({ dataDir, databaseUrl: server?.url, slackApiUrl: fake.url, secret: BENCH_SECRET });
        try {
          await runLoad({ url: app.baseUrl, kind: 'submission', rate: 20, durationS: 2, connections: 10, secret: BENCH_SECRET, userId: 'U0AMARA' });
          let top = 0;
          let topP99 = Number.NaN;
          let topCpu = Number.NaN;
          const trail: string[] = [];
          for (const rate of steps) {
            fake.reset();
            const cpuBefore = await app.cpuMs();
            const result = await runLoad({ url: app.baseUrl, kind: 'submission', rate, durationS: stepS, connections: connectionsFor(rate), secret: BENCH_SECRET, userId: 'U0AMARA' });
            const cpu = ((await app.cpuMs()) - cpuBefore) / Math.max(1, result.completed);
            trail.push(`${rate}→${result.achievedRate.toFixed(0)}/s p99 ${result.p99.toFixed(0)} ms, ${cpu.toFixed(2)} ms CPU each${result.errors ? `, ${result.errors} errors` : ''}`);
            if (!sustained(result)) break;
            top = rate;
            topP99 = result.p99;
            topCpu = cpu;
          }
          best.push(top);
          p99AtBest.push(topP99);
          cpuPerSubmission.push(topCpu);
          notes.push(`${database} ramp ${ramp + 1}: ${trail.join('; ')}.`);
        } finally {
          await app.stop();
          rmSync(dataDir, { recursive: true, force: true });
          await server?.drop();
        }
      }
      const label = database === 'pglite' ? 'PGlite (embedded)' : 'PostgreSQL 15 server';
      const goal = database === 'pglite' ? 150 : 600;
      figures.push(
        figure({ name: `sustained submissions, ${label}`, unit: 'req/s', runs: best, target: `≥ ${goal} req/s`, met: (v) => v >= goal }),
        figure({ name: `server CPU per submission at that rate, ${label}`, unit: 'ms', runs: cpuPerSubmission }),
        figure({ name: `p99 at that rate, ${label}`, unit: 'ms', runs: p99AtBest, target: '< 500 ms', met: (v) => v < P99_LIMIT_MS }),
      );
    }
  } finally {
    await fake.close();
  }
  return {
    title: '2. Submission throughput: view_submission of valid escalations',
    command: 'npm run bench -- submission-throughput',
    figures,
    notes: [
      `dutydesk as \`npm start\` runs it (background outbox on, sending the countersign DMs to the fake Slack). Offered rates ${stepsFor('pglite').join(', ')} req/s (PGlite) and ${stepsFor('postgres').join(', ')} req/s (PostgreSQL), ${stepS} s each, on a fresh database per ramp; a step is sustained when all answers are 2xx, at ≥ 95 % of the offered rate, with p99 < 500 ms. The highest step sustained is the figure (the ladder's resolution bounds it). CPU per submission is the server's own process.cpuUsage() over that step divided by the submissions answered (it includes the outbox sending the DMs they cause); with PostgreSQL the server's own CPU is not in it.`,
      'PGlite runs the database in the same single thread as the bot, one connection: every submission transaction (about 10 statements) and every outbox delivery (a DM to the countersigner and the raiser, each with a markSent transaction) queue on it, so a few tens of submissions a second is its ceiling on this machine. A PostgreSQL server (pool of 10) takes several times that.',
      ...notes,
    ],
  };
};
