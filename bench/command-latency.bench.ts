import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startFakeSlack } from '../test/support/fake-slack.js';
import { BENCH_SECRET } from './lib/bench-app.js';
import { connectionsFor, runLoad } from './lib/load.js';
import { type Profile, topFrames } from './lib/profile-top.js';
import { type Figure, type Section, figure, median } from './lib/report.js';
import { type SpawnedProcess, spawnBareBolt, spawnDutydesk } from './lib/spawn-app.js';

const RATES = [50, 100, 200];
/** After a run, let work the acks started (views.open) finish before reading the CPU counter. */
const SETTLE_MS = 200;
/** The rate of the extra, profiled run of dutydesk whose top frames the notes name. */
const PROFILE_RATE = 100;

/** The profile without the probe's own samples (the inspector session that took it). */
const withoutProbe = (profile: Profile): Profile => {
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const probe = new Map<number, boolean>();
  const isProbe = (id: number): boolean => {
    const known = probe.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id);
    const up = parent.get(id);
    const answer = Boolean(node?.callFrame.url.includes('cpu-probe') || node?.callFrame.url === 'node:inspector') || (up !== undefined && isProbe(up));
    probe.set(id, answer);
    return answer;
  };
  const keep = profile.samples.map((id) => !isProbe(id));
  return { ...profile, samples: profile.samples.filter((_, i) => keep[i]), timeDeltas: profile.timeDeltas.filter((_, i) => keep[i]) };
};

/**
 * Busy time by where it is spent: a package (node_modules/<name>), our bundle, PGlite's WASM, Node's own JS, or
 * GC; a native frame (a write, a hash) counts for the nearest caller that has a source.
 */
const byPackage = (profile: Profile) => {
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const where = (id: number): string => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const { url, functionName } = byId.get(at)?.callFrame ?? { url: '', functionName: '' };
      if (functionName === '(garbage collector)') return 'garbage collection';
      if (!url) continue;
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
      if (pkg) return pkg;
      if (url.startsWith('wasm://')) return 'WASM (PGlite)';
      if (url.includes('/dist/')) return 'dutydesk (bundle)';
      return 'Node (http, net, streams, crypto)';
    }
    return 'other (microtasks, natives)';
  };
  const totals = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    if (byId.get(id)?.callFrame.functionName === '(idle)') return;
    const us = profile.timeDeltas[i] ?? 0;
    busy += us;
    const key = where(id);
    totals.set(key, (totals.get(key) ?? 0) + us);
  });
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 10)
    .map(([key, us]) => `${key} ${((us / busy) * 100).toFixed(0)} %`)
    .join(', ');
};

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
  const durationS = quick ? 2 : 3;
  const runs = quick ? 3 : 5;
  const fake = await startFakeSlack();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'dutydesk-bench-cmd-'));
  // Both start at once (dutydesk's first start creates its database; bare Bolt is ready long before).
  const [dutydesk, bare] = await Promise.all([spawnDutydesk({ dataDir, slackApiUrl: fake.url, secret: BENCH_SECRET }), spawnBareBolt({ slackApiUrl: fake.url, secret: BENCH_SECRET })]);
  const figures: Figure[] = [];
  const notes: string[] = [];
  const ours = new Map(RATES.map((rate) => [rate, side()]));
  const floor = new Map(RATES.map((rate) => [rate, side()]));
  const ratios = new Map(RATES.map((rate) => [rate, [] as number[]]));
  const cpuRatios = new Map(RATES.map((rate) => [rate, [] as number[]]));
  let profileNotes: string[] = [];
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
      await runLoad({ url: target.baseUrl, kind: 'slash', rate: 100, durationS: 1, connections: 25, secret: BENCH_SECRET, userId: 'U0AMARA' });
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
    // One more run of dutydesk, profiled from inside (bench/lib/cpu-probe.mjs), for the notes: where its CPU goes.
    {
      const stop = await dutydesk.profile();
      const cpuBefore = await dutydesk.cpuMs();
      const result = await runLoad({ url: dutydesk.baseUrl, kind: 'slash', rate: PROFILE_RATE, durationS: 2, connections: connectionsFor(PROFILE_RATE), secret: BENCH_SECRET, userId: 'U0AMARA' });
      await sleep(SETTLE_MS);
      const cpu = ((await dutydesk.cpuMs()) - cpuBefore) / Math.max(1, result.completed);
      const profile = withoutProbe((await stop()) as Profile);
      const top = topFrames({ profile, count: 12, filter: /^(?!\(idle\))/ });
      const frames = (list: typeof top.self) => list.map((f) => `${f.frame.replace(/^(.*) (.*\/)?([^/]+)$/, '$1 $3')} ${(f.share * 100).toFixed(1)} %`).join('; ');
      profileNotes = [
        `Profile of dutydesk (one extra 2 s run at ${PROFILE_RATE} req/s, in-process V8 profiler, ${cpu.toFixed(2)} ms CPU per request while profiled), busy time by where it is spent: ${byPackage(profile)}.`,
        `Its top frames by self time (share of all samples, idle ${((topFrames({ profile, count: 1, filter: /^\(idle\)/ }).self[0]?.share ?? 0) * 100).toFixed(0)} %): ${frames(top.self.slice(0, 10))}.`,
        `By total time: ${frames(top.inclusive.slice(1, 12))}.`,
      ];
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
  // A missed CPU target, with its cause (the figures and the profile above it in the notes).
  const cpuCause = () => {
    const at100 = median(cpuRatios.get(100) ?? []);
    const ours100 = median(ours.get(100)?.cpuPerRequest ?? []);
    const bare100 = median(floor.get(100)?.cpuPerRequest ?? []);
    const p99Missed = RATES.filter((rate) => median(ratios.get(rate) ?? []) > 1.25);
    const p99 = p99Missed.length
      ? [
          `p99 ratio target (≤ 1.25×) missed at ${p99Missed.map((rate) => `${rate} req/s`).join(', ')}: on two shared cores a process's latency is its queueing for a CPU share; dutydesk needs ${at100.toFixed(1)}× bare Bolt's CPU per request, so under the same share it queues longer (its p50 rises with the machine's load while bare Bolt's barely moves). The lever is the CPU per request, above.`,
        ]
      : [];
    if (!(at100 > 1.5)) return p99;
    return [
      ...p99,
      `CPU per request target (≤ 1.5×) missed: ${ours100.toFixed(2)} ms against ${bare100.toFixed(2)} ms at 100 req/s (${at100.toFixed(2)}×). What dutydesk does per /escalate besides what bare Bolt does, from the profile: its own middleware (request id in an AsyncLocalStorage, whose promise hooks tax every await; the access log line through pino with its redaction paths; the requests counter and the handler histogram), the form itself (13 fields and their options, ~5 kB of JSON URL-encoded into views.open against bare Bolt's one field; the fake answers with the view, which the WebClient parses and walks for its debug-log redaction), the signed private_metadata (an HMAC), the replay ledger (memory, and its grouped row), and the garbage all that makes. None of it waits on the database before the ack; the p99 ratio follows the CPU share each process gets on a loaded machine.`,
    ];
  };
  return {
    title: '1. Command latency: signed /escalate',
    command: 'npm run bench -- command-latency',
    figures,
    notes: [
      `Open-loop load (autocannon overallRate, ${durationS} s per run), ${runs} runs per app and rate, interleaved: run i goes through every rate, dutydesk and bare Bolt back to back, in swapped order every other run; a ratio is taken within each run and the figure is the median of those ratios (all of them, with their min–max, beside it).`,
      'Latency is the HTTP answer to the slash command (the ack); both apps then call views.open on the same fake Slack API. dutydesk runs as `npm start` does (dist/main.mjs, PGlite), the bare Bolt app (bench/lib/bare-bolt.ts) in its own process.',
      `CPU per request: the server's own process.cpuUsage() (user + system, read over an IPC channel by a preloaded probe, bench/lib/cpu-probe.mjs) from before a run to ${SETTLE_MS} ms after it, divided by the requests answered; it includes the work each app does after its ack (views.open, and for dutydesk the command itself).`,
      'p50/p99 are computed from every response time autocannon measured (float ms); errors are connection errors, timeouts and non-2xx answers.',
      'The ack path now: the replay guard reads the body, checks the signature and window once (Bolt does not check it again: signatureVerification off behind the guard) and, on the embedded engine, decides "seen before?" from memory (rows still in the window are loaded at start); the ledger rows are written behind, grouped (one statement for the requests of the last 200 ms), and written at once before any work that changes something (a form submission, a click, a command other than a form). The handler acks before any database or form work. On a PostgreSQL server the ledger insert stays on the ack path: it is what refuses a request replayed to another replica.',
      'Before this round (2026-12-02, machine load 6–17, same bench): dutydesk 5.5–7.6 ms CPU per /escalate against bare Bolt 1.6 ms (~4×); PGlite was 31 % of the busy time (a transaction per request for the ledger row: BEGIN, a pruning DELETE, INSERT … RETURNING, COMMIT, each statement two protocol round trips into WASM), then @slack/web-api (its debug-log redaction walks every views.open body and response even with debug off), garbage collection and the socket writes of the larger form. After: the ledger is one grouped statement per 200 ms and the form goes to views.open as its JSON text (the same wire body, no redaction walk).',
      ...profileNotes,
      ...cpuCause(),
      ...notes,
    ],
  };
};
