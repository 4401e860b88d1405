import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startFakeSlack } from '../test/support/fake-slack.js';
import { BENCH_SECRET } from './lib/bench-app.js';
import { connectionsFor, runLoad } from './lib/load.js';
import { type Figure, type Section, figure } from './lib/report.js';
import { type SpawnedProcess, spawnBareBolt, spawnDutydesk } from './lib/spawn-app.js';

const RATES = [50, 100, 200];
/** After a run, let work the acks started (views.open) finish before reading the CPU counter. */
const SETTLE_MS = 300;

type Side = { p50: number[]; p99: number[]; errors: number[]; cpuPerRequest: number[]; rss: number[] };
const side = (): Side => ({ p50: [], p99: [], errors: [], cpuPerRequest: [], rss: [] });

/**
 * Signed `/escalate` slash commands at fixed rates against dutydesk (as `npm start` runs it, PGlite, its own
 * process) and a bare Bolt app (its own process); autocannon in a third. Runs are interleaved (run i of every
 * rate, both apps, the order swapped every run) so a change in the machine's load falls on both apps alike; the
 * figure is the median over the runs of each run's ratio. Beside the latency, each server's own CPU time per
 * request answered (process.cpuUsage() inside the server, before and after the run), which the load on a shared
 * machine moves far less than the latency.
 */
export const run = async ({ quick }: { quick: boolean }): Promise<Section> => {
  const durationS = quick ? 2 : 4;
  const runs = quick ? 3 : 5;
  const fake = await startFakeSlack();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'dutydesk-bench-cmd-'));
  const dutydesk = await spawnDutydesk({ dataDir, slackApiUrl: fake.url, secret: BENCH_SECRET });
  const bare = await spawnBareBolt({ slackApiUrl: fake.url, secret: BENCH_SECRET });
  const figures: Figure[] = [];
  const notes: string[] = [];
  const ours = new Map(RATES.map((rate) => [rate, side()]));
  const floor = new Map(RATES.map((rate) => [rate, side()]));
  const ratios = new Map(RATES.map((rate) => [rate, [] as number[]]));
  const cpuRatios = new Map(RATES.map((rate) => [rate, [] as number[]]));
  const once = async (args: { target: SpawnedProcess; into: Side; rate: number; label: string; run: number }) => {
    const plan = { kind: 'slash' as const, rate: args.rate, durationS, connections: connectionsFor(args.rate), secret: BENCH_SECRET, userId: 'U0AMARA' };
    fake.reset();
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, args.target.rssMb())), 250);
    const cpuBefore = await args.target.cpuMs();
    const result = await runLoad({ ...plan, url: args.target.baseUrl });
    await sleep(SETTLE_MS);
    const cpu = (await args.target.cpuMs()) - cpuBefore;
    clearInterval(sampler);
    const opened = fake.callsTo('views.open').length;
    if (opened < result.completed * 0.99) notes.push(`${args.rate} req/s run ${args.run + 1}: ${args.label} opened ${opened} forms for ${result.completed} commands.`);
    if (Math.abs(result.achievedRate - args.rate) > args.rate * 0.05) notes.push(`${args.rate} req/s run ${args.run + 1}: ${args.label} answered ${result.achievedRate.toFixed(0)} req/s.`);
    args.into.p50.push(result.p50);
    args.into.p99.push(result.p99);
    args.into.errors.push(result.errors);
    args.into.cpuPerRequest.push(cpu / Math.max(1, result.completed));
    args.into.rss.push(peak);
  };
  try {
    // Warm both (JIT, first views.open, first query) before measuring.
    for (const target of [dutydesk, bare]) {
      await runLoad({ url: target.baseUrl, kind: 'slash', rate: 100, durationS: 2, connections: 25, secret: BENCH_SECRET, userId: 'U0AMARA' });
    }
    for (let i = 0; i < runs; i += 1) {
      for (const rate of RATES) {
        const a = ours.get(rate) as Side;
        const b = floor.get(rate) as Side;
        const order = i % 2 === 0 ? ([dutydesk, bare] as const) : ([bare, dutydesk] as const);
        for (const target of order) await once({ target, into: target === dutydesk ? a : b, rate, label: target === dutydesk ? 'dutydesk' : 'bare Bolt', run: i });
        ratios.get(rate)?.push((a.p99.at(-1) as number) / (b.p99.at(-1) as number));
        cpuRatios.get(rate)?.push((a.cpuPerRequest.at(-1) as number) / (b.cpuPerRequest.at(-1) as number));
      }
    }
    for (const rate of RATES) {
      const a = ours.get(rate) as Side;
      const b = floor.get(rate) as Side;
      figures.push(
        figure({ name: `p99 ratio dutydesk / bare @ ${rate} req/s`, unit: '×', runs: ratios.get(rate) as number[], target: '≤ 1.25×', met: (v) => v <= 1.25 }),
        figure({ name: `CPU per request ratio dutydesk / bare @ ${rate} req/s`, unit: '×', runs: cpuRatios.get(rate) as number[], target: '≤ 1.5×', met: (v) => v <= 1.5 }),
        figure({ name: `dutydesk p50 @ ${rate} req/s`, unit: 'ms', runs: a.p50 }),
        figure({
          name: `dutydesk p99 @ ${rate} req/s`,
          unit: 'ms',
          runs: a.p99,
          ...(rate === 100 ? { target: '< 300 ms', met: (v: number) => v < 300 } : {}),
        }),
        figure({ name: `bare Bolt p50 @ ${rate} req/s`, unit: 'ms', runs: b.p50 }),
        figure({ name: `bare Bolt p99 @ ${rate} req/s`, unit: 'ms', runs: b.p99 }),
        figure({ name: `dutydesk CPU per request @ ${rate} req/s`, unit: 'ms', runs: a.cpuPerRequest }),
        figure({ name: `bare Bolt CPU per request @ ${rate} req/s`, unit: 'ms', runs: b.cpuPerRequest }),
        figure({ name: `errors (dutydesk) @ ${rate} req/s`, unit: 'requests', runs: a.errors, target: '0', met: (v) => v === 0 }),
        figure({ name: `errors (bare Bolt) @ ${rate} req/s`, unit: 'requests', runs: b.errors }),
        figure({ name: `dutydesk peak RSS @ ${rate} req/s`, unit: 'MB', runs: a.rss, target: rate === 100 ? '< 300 MB' : undefined, met: rate === 100 ? (v) => v < 300 : undefined }),
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
      `Open-loop load (autocannon overallRate, ${durationS} s per run), ${runs} runs per app and rate, interleaved: run i goes through every rate, dutydesk and bare Bolt back to back, in swapped order every other run; a ratio is taken within each run and the figure is the median of those ratios (all of them, with their min–max, beside it).`,
      'Latency is the HTTP answer to the slash command (the ack); both apps then call views.open on the same fake Slack API. dutydesk runs as `npm start` does (dist/main.mjs, PGlite), the bare Bolt app (bench/lib/bare-bolt.ts) in its own process.',
      `CPU per request: the server's own process.cpuUsage() (user + system, read over an IPC channel by a preloaded probe, bench/lib/cpu-probe.mjs) from before a run to ${SETTLE_MS} ms after it, divided by the requests answered; it includes the work each app does after its ack (views.open, and for dutydesk the command itself).`,
      'p50/p99 are computed from every response time autocannon measured (float ms); errors are connection errors, timeouts and non-2xx answers.',
      'The ack path now: the replay guard reads the body, checks the signature and window once and, on the embedded engine, decides "seen before?" from memory (rows still in the window are loaded at start) and writes its ledger row behind, so the answer never waits for PGlite; Bolt no longer verifies the same signature again (signatureVerification off behind the guard); the handler acks before any database or form work (as before). On a PostgreSQL server the ledger insert stays on the ack path: it is what refuses a request replayed to another replica.',
      "Where dutydesk's CPU per request goes (node --cpu-prof of dist/main.mjs at 50 req/s for 6 s, 2026-12-02, machine load ~30; 11.7 ms CPU per request then): PGlite's WASM (execProtocolRawSync and the wasm functions under it, about a quarter of the busy time: the ledger row per request, the submissions' own statements) well ahead of everything else; then @slack/web-api's apiCall (views.open, its request redaction), Bolt's middleware chain and form building. The gap to bare Bolt is the work the command does after its ack, not the ack itself.",
      ...notes,
    ],
  };
};
