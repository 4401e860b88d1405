import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFakeSlack } from '../test/support/fake-slack.js';
import { BENCH_SECRET } from './lib/bench-app.js';
import { connectionsFor, runLoad } from './lib/load.js';
import { type Figure, type Section, figure } from './lib/report.js';
import { spawnBareBolt, spawnDutydesk } from './lib/spawn-app.js';

const RATES = [50, 100, 200];

/**
 * Item 1: signed `/escalate` slash commands at fixed rates against dutydesk (`src/main.ts` in its own process,
 * PGlite) and a bare Bolt app (its own process), in the same run, alternating; autocannon runs in a third process.
 */
export const run = async ({ quick }: { quick: boolean }): Promise<Section> => {
  const durationS = quick ? 3 : 10;
  const runs = quick ? 1 : 2;
  const fake = await startFakeSlack();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'dutydesk-bench-cmd-'));
  const dutydesk = await spawnDutydesk({ dataDir, slackApiUrl: fake.url, secret: BENCH_SECRET });
  const bare = await spawnBareBolt({ slackApiUrl: fake.url, secret: BENCH_SECRET });
  const figures: Figure[] = [];
  const notes: string[] = [];
  try {
    // Warm both (JIT, first views.open, first query) before measuring.
    for (const target of [dutydesk, bare]) {
      await runLoad({ url: target.baseUrl, kind: 'slash', rate: 50, durationS: 2, connections: 10, secret: BENCH_SECRET, userId: 'U0AMARA' });
    }
    for (const rate of RATES) {
      const ours = { p50: [] as number[], p99: [] as number[], errors: [] as number[], rss: [] as number[] };
      const floor = { p50: [] as number[], p99: [] as number[], errors: [] as number[] };
      const ratios: number[] = [];
      for (let i = 0; i < runs; i += 1) {
        const plan = { kind: 'slash' as const, rate, durationS, connections: connectionsFor(rate), secret: BENCH_SECRET, userId: 'U0AMARA' };
        fake.reset();
        let peak = 0;
        const sampler = setInterval(() => (peak = Math.max(peak, dutydesk.rssMb())), 250);
        const a = await runLoad({ ...plan, url: dutydesk.baseUrl });
        clearInterval(sampler);
        const opened = fake.callsTo('views.open').length;
        if (opened < a.completed * 0.99) notes.push(`${rate} req/s run ${i + 1}: dutydesk opened ${opened} forms for ${a.completed} commands.`);
        const b = await runLoad({ ...plan, url: bare.baseUrl });
        ours.p50.push(a.p50);
        ours.p99.push(a.p99);
        ours.errors.push(a.errors);
        ours.rss.push(peak);
        floor.p50.push(b.p50);
        floor.p99.push(b.p99);
        floor.errors.push(b.errors);
        ratios.push(a.p99 / b.p99);
        if (Math.abs(a.achievedRate - rate) > rate * 0.05) notes.push(`${rate} req/s run ${i + 1}: dutydesk answered ${a.achievedRate.toFixed(0)} req/s.`);
      }
      figures.push(
        figure({ name: `dutydesk p50 @ ${rate} req/s`, unit: 'ms', runs: ours.p50 }),
        figure({
          name: `dutydesk p99 @ ${rate} req/s`,
          unit: 'ms',
          runs: ours.p99,
          ...(rate === 100 ? { target: '< 300 ms', met: (v: number) => v < 300 } : {}),
        }),
        figure({ name: `bare Bolt p50 @ ${rate} req/s`, unit: 'ms', runs: floor.p50 }),
        figure({ name: `bare Bolt p99 @ ${rate} req/s`, unit: 'ms', runs: floor.p99 }),
        figure({ name: `p99 ratio dutydesk / bare @ ${rate} req/s`, unit: '×', runs: ratios, target: '≤ 1.25×', met: (v) => v <= 1.25 }),
        figure({ name: `errors (dutydesk) @ ${rate} req/s`, unit: 'requests', runs: ours.errors, target: '0', met: (v) => v === 0 }),
        figure({ name: `errors (bare Bolt) @ ${rate} req/s`, unit: 'requests', runs: floor.errors }),
        figure({ name: `dutydesk peak RSS @ ${rate} req/s`, unit: 'MB', runs: ours.rss }),
      );
    }
  } finally {
    await dutydesk.stop();
    await bare.stop();
    await fake.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return {
    title: '1. Command latency: signed /escalate',
    command: 'npm run bench -- command-latency',
    figures,
    notes: [
      `Open-loop load (autocannon overallRate, ${durationS} s per run, ${runs} run(s) per app and rate, alternating dutydesk and bare), from a separate process on loopback.`,
      'Latency is the HTTP answer to the slash command (the ack); both apps then call views.open on the same fake Slack API. dutydesk runs as `npm start` does (src/main.ts, PGlite), the bare Bolt app (bench/lib/bare-bolt.ts) in its own process.',
      'p50/p99 are computed from every response time autocannon measured (float ms); errors are connection errors, timeouts and non-2xx answers.',
      "On a shared 2-core machine the load generator, the fake Slack and the app compete for the same cores: the bare app's own p99 moves by tens of ms between runs, so read the ratio with the runs beside it.",
      ...notes,
    ],
  };
};
