import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { startFakeSlack } from '../test/support/fake-slack.js';
import { BENCH_SECRET } from './lib/bench-app.js';
import { connectionsFor, runLoad } from './lib/load.js';
import { type Figure, type Section, figure, median } from './lib/report.js';
import { freshServerDatabase, havePostgres } from './lib/shared-postgres.js';
import { ROOT, type SpawnedProcess, spawnDutydesk } from './lib/spawn-app.js';

const SETTLE_MS = 1_500;
const run$ = promisify(execFile);

/**
 * Resident MB of the process's WASM linear memory (PGlite's): V8 maps a WebAssembly.Memory as one anonymous mapping
 * of its current size (128 MiB here) inside a larger reservation, and no other mapping of this process is that
 * large, so the resident part of the anonymous mappings between 64 MB and 1 GB is the WASM heap.
 */
const wasmResidentMb = (pid: number): number => {
  let total = 0;
  let size = 0;
  let anonymous = false;
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      size = (Number.parseInt(head[2] as string, 16) - Number.parseInt(head[1] as string, 16)) / 2 ** 20;
      anonymous = !head[3];
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss && anonymous && size >= 64 && size <= 1024) total += Number(rss[1]) / 1024;
  }
  return total;
};

/** RSS split: V8's heap, the WASM heap's resident pages, and the rest (code, native libraries, WASM compiled code, malloc). */
const breakdownOf = async (app: SpawnedProcess) => {
  const memory = await app.memoryMb();
  const wasm = wasmResidentMb(app.pid);
  return { rss: memory.rss, heap: memory.heapTotal, wasm, rest: memory.rss - memory.heapTotal - wasm };
};
type Breakdown = Awaited<ReturnType<typeof breakdownOf>>;
const said = (b: Breakdown) => `RSS ${b.rss.toFixed(0)} MB = V8 heap ${b.heap.toFixed(0)} + WASM heap resident ${b.wasm.toFixed(0)} + the rest ${b.rest.toFixed(0)}`;

/** Item 6: RSS idle and under load, and start-up to healthy, of dutydesk as `npm start` runs it. */
export const run = async ({ quick }: { quick: boolean }): Promise<Section> => {
  const restarts = 1;
  const loadS = quick ? 3 : 4;
  const fake = await startFakeSlack();
  const fresh: number[] = [];
  const existing: number[] = [];
  const idlePglite: number[] = [];
  const idleExisting: number[] = [];
  const idleServer: number[] = [];
  const serverStart: number[] = [];
  const loaded: number[] = [];
  const seen: { label: string; breakdown: Breakdown }[] = [];
  const notes: string[] = [];
  const breakdownFigures: { label: string; node: number; open: number; queried: number }[] = [];
  const underLoad = async (app: SpawnedProcess, label: string) => {
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, app.rssMb())), 200);
    await runLoad({ url: app.baseUrl, kind: 'slash', rate: 100, durationS: loadS, connections: connectionsFor(100), secret: BENCH_SECRET, userId: 'U0AMARA' });
    clearInterval(sampler);
    loaded.push(peak);
    seen.push({ label: `${label}, just after ${loadS} s at 100 req/s (peak ${peak.toFixed(0)} MB)`, breakdown: await breakdownOf(app) });
  };
  const dataDir = mkdtempSync(path.join(tmpdir(), 'dutydesk-bench-fp-'));
  try {
    // The slow start (a new data dir: the cluster is created first) once; then restarts on the same data dir.
    const first = await spawnDutydesk({ dataDir, slackApiUrl: fake.url, secret: BENCH_SECRET });
    fresh.push(first.readyMs);
    await sleep(SETTLE_MS);
    idlePglite.push(first.rssMb());
    seen.push({ label: 'idle after the first start (new data dir)', breakdown: await breakdownOf(first) });
    await underLoad(first, 'first start');
    await first.stop();
    for (let i = 0; i < restarts; i += 1) {
      const again = await spawnDutydesk({ dataDir, slackApiUrl: fake.url, secret: BENCH_SECRET });
      existing.push(again.readyMs);
      await sleep(SETTLE_MS);
      idleExisting.push(again.rssMb());
      if (i === 0) {
        seen.push({ label: 'idle after a restart (existing data dir)', breakdown: await breakdownOf(again) });
        await underLoad(again, 'restart');
      }
      await again.stop();
    }
    if (havePostgres()) {
      const server = await freshServerDatabase({ label: 'footprint' });
      const serverDir = mkdtempSync(path.join(tmpdir(), 'dutydesk-bench-fp-'));
      try {
        const app = await spawnDutydesk({ dataDir: serverDir, databaseUrl: server.url, slackApiUrl: fake.url, secret: BENCH_SECRET });
        serverStart.push(app.readyMs);
        await sleep(SETTLE_MS);
        idleServer.push(app.rssMb());
        seen.push({ label: 'idle on a PostgreSQL server', breakdown: await breakdownOf(app) });
        await app.stop();
      } finally {
        rmSync(serverDir, { recursive: true, force: true });
        await server.drop();
      }
    }
    // Where the embedded engine's memory goes: PGlite alone in a fresh process on the existing data dir, per
    // setting (the processes run side by side: each measures only its own memory).
    const settings = [
      ['PostgreSQL defaults (shared_buffers 128MB)', ''],
      ['as shipped (shared_buffers 16MB)', 'shared_buffers = 16MB'],
      ['smaller buffers (8MB shared, 256kB WAL, 1MB work_mem)', 'shared_buffers = 8MB\nwal_buffers = 256kB\nwork_mem = 1MB\ntemp_buffers = 1MB'],
    ] as const;
    const alone = await Promise.all(
      settings.map(async ([label, postgresqlconf], i) => {
        // Each on its own copy: one PostgreSQL per data dir.
        const copy = path.join(dataDir, `alone-${i}`);
        cpSync(path.join(dataDir, 'pgdata'), copy, { recursive: true });
        const { stdout } = await run$(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/lib/pglite-memory.ts', copy, JSON.stringify({ postgresqlconf: postgresqlconf || undefined })], {
          cwd: ROOT,
        });
        const { stages } = JSON.parse(stdout.trim().split('\n').pop() as string) as { stages: { node: number; open: number; queried: number } };
        return { label, ...stages };
      }),
    );
    breakdownFigures.push(...alone);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    await fake.close();
  }
  const breakdown = breakdownFigures;
  const restartIdle = seen.find((entry) => entry.label.startsWith('idle after a restart'))?.breakdown;
  const serverIdle = seen.find((entry) => entry.label.startsWith('idle on a PostgreSQL'))?.breakdown;
  const peak = median(loaded);
  const figures: Figure[] = [
    figure({ name: 'RSS idle after first start (new PGlite data dir, initdb)', unit: 'MB', runs: idlePglite, target: '< 200 MB', met: (v) => v < 200 }),
    figure({ name: 'RSS idle after restart (existing PGlite data dir)', unit: 'MB', runs: idleExisting, target: '< 200 MB', met: (v) => v < 200 }),
    ...(idleServer.length ? [figure({ name: 'RSS idle after start, PostgreSQL server', unit: 'MB', runs: idleServer, target: '< 200 MB', met: (v) => v < 200 })] : []),
    figure({ name: 'RSS peak under 100 req/s /escalate, PGlite (after a first start, after a restart)', unit: 'MB', runs: loaded, target: '< 300 MB', met: (v) => v < 300 }),
    ...(restartIdle
      ? [
          figure({ name: 'idle after restart: V8 heap (heapTotal)', unit: 'MB', runs: [restartIdle.heap] }),
          figure({ name: 'idle after restart: WASM heap resident (of 128 MiB reserved)', unit: 'MB', runs: [restartIdle.wasm] }),
          figure({ name: 'idle after restart: the rest (code, native, WASM code, malloc)', unit: 'MB', runs: [restartIdle.rest] }),
        ]
      : []),
    ...breakdown.map((b) => figure({ name: `PGlite alone, RSS it adds open + queried: ${b.label}`, unit: 'MB', runs: [b.queried - b.node] })),
    figure({ name: 'start-up to healthy, new PGlite data dir', unit: 'ms', runs: fresh }),
    figure({ name: 'start-up to healthy, existing PGlite data dir', unit: 'ms', runs: existing }),
    ...(serverStart.length ? [figure({ name: 'start-up to healthy, new PostgreSQL database', unit: 'ms', runs: serverStart })] : []),
  ];
  const shipped = breakdown.find((b) => b.label.startsWith('as shipped'));
  const pgliteAdds = shipped ? shipped.queried - shipped.node : Number.NaN;
  return {
    title: '6. Footprint',
    command: 'npm run bench -- footprint',
    figures,
    notes: [
      `\`node dist/main.mjs\` (what \`npm start\` runs after its esbuild prestart) with PORT=0 and the example org, Slack pointed at the fake; start-up is spawn to the first 200 from GET /healthz (includes the migrations on a new database). One first start on a new data dir (the slow one: it creates the cluster), then ${restarts} restart(s) on it. RSS (VmRSS) read ${SETTLE_MS / 1000} s after healthy; under load, sampled every 200 ms during a ${loadS} s run at 100 req/s, once after the first start and once after the first restart.`,
      `Where the RSS goes (process.memoryUsage() from inside the server, and the resident pages of PGlite's WASM memory from /proc/<pid>/smaps): ${seen.map((entry) => `${entry.label}: ${said(entry.breakdown)}`).join('; ')}.`,
      "What the memory is, and what was done: running TypeScript under tsx cost ~80 MB, so `npm start` runs an esbuild bundle (prestart, ~0.1 s). PGlite is a whole PostgreSQL in WASM in this process; PostgreSQL's default shared_buffers (128 MB) would be resident, so PGlite opens with `shared_buffers = 16MB`. Creating a new cluster (initdb) grows the WASM heap by hundreds of MB that WASM never gives back, so it runs in a short-lived child process (it was a worker thread, whose native memory — WASM code, malloc arenas — stayed resident after it ended: 400 MB idle on a new data dir, now the same as a restart).",
      `PGlite alone (bench/lib/pglite-memory.ts, a fresh process per setting on an existing data dir, after 50 queries): ${breakdown.map((b) => `${b.label}: node ${b.node.toFixed(0)} MB → open ${b.open.toFixed(0)} MB → queried ${b.queried.toFixed(0)} MB`).join('; ')}.`,
      `Why idle < 200 MB is out of reach on the embedded engine: the WASM module declares 128 MiB of initial linear memory (PGlite's initialMemory refuses less), but that is reserved, not resident: only the pages PostgreSQL touched count (${restartIdle ? restartIdle.wasm.toFixed(0) : '~30'} MB, shared_buffers among them). What PGlite adds is ~${Number.isFinite(pgliteAdds) ? pgliteAdds.toFixed(0) : '120–140'} MB in all: that resident linear memory, its JavaScript (the Emscripten glue and the file-system bundle, in V8's heap) and, the largest part, native memory outside both heaps (the compiled WASM code of a 9 MB module and its metadata). The bot without it is ${serverIdle ? serverIdle.rss.toFixed(0) : '~160'} MB on a PostgreSQL server (Node itself ~40 MB, then Bolt, the Microsoft Agents SDK, express, date-holidays, drizzle, pg, zod and our code), so bot + PGlite is ~300 MB; the < 200 MB target holds on a PostgreSQL server.`,
      `Under load the RSS grows by what V8's heap grows (the young generation's semi-spaces and old space filling between major collections: ${seen
        .filter((entry) => entry.label.includes('req/s'))
        .map((entry) => `V8 heap ${entry.breakdown.heap.toFixed(0)} MB, WASM ${entry.breakdown.wasm.toFixed(0)} MB`)
        .join(
          '; ',
        )}); the WASM heap barely moves, since the per-request ledger row is now one grouped statement per 200 ms.${peak >= 300 ? ` The < 300 MB peak is missed by what the idle figure already is (~${median(idleExisting).toFixed(0)} MB) plus that heap growth.` : ''}`,
      'V8 flags, measured (2026-12-02, machine load ~20, 6 s at 100 req/s on an existing data dir, two runs each): `--max-semi-space-size=8` (half the default young generation) gave idle 243 / 281 MB and peak 288 / 300 MB against the default: 307 / 272 and 351 / 285: within the run-to-run noise, and it trades scavenges (CPU per request) for it, so main sets no V8 flags; `--max-old-space-size` only moves when a major collection runs, not what is live.',
      "Durability: PGlite's relaxedDurability skips the file-system sync step after each query; on Node that step is a no-op (the data dir is Emscripten's NODEFS, every write goes through to the OS file as it happens), so it would change nothing and is not set. What a commit promises on the embedded engine is the OS's page cache (it survives the process dying, as the crash tests check); for power-loss durability run on a PostgreSQL server.",
      ...notes,
    ],
  };
};
