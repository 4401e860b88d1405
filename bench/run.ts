import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { type Section, printSection, writeReport } from './lib/report.js';
import { stopLoadWorker } from './lib/load.js';
import { stopSharedPostgres } from './lib/shared-postgres.js';

/**
 * `npm run bench`: every benchmark in order, a table on stdout, BENCHMARKS.md rewritten.
 * `BENCH_QUICK=1` for small sizes; `npm run bench -- sweep delivery` runs only the named ones (no report written).
 */
const BENCHES = ['command-latency', 'submission-throughput', 'sweep-scale', 'delivery', 'digest-punctuality', 'footprint', 'board', 'history', 'import-releases'];

interface BenchModule {
  run(args: { quick: boolean }): Promise<Section>;
}

const quick = process.env.BENCH_QUICK === '1';
const only = process.argv.slice(2);
const selected = only.length ? BENCHES.filter((name) => only.some((wanted) => name.includes(wanted))) : BENCHES;
const startedAt = new Date();
const loadAtStart = os.loadavg()[0];
const t0 = performance.now();
const sections: Section[] = [];
let failed = false;

try {
  for (const name of selected) {
    const began = performance.now();
    process.stdout.write(`\n… ${name}${quick ? ' (quick)' : ''}\n`);
    try {
      const module = (await import(`./${name}.bench.ts`)) as BenchModule;
      const section = await module.run({ quick });
      section.notes = [...(section.notes ?? []), `This section took ${Math.round((performance.now() - began) / 1000)} s.`];
      sections.push(section);
      printSection(section);
      for (const note of section.notes ?? []) process.stdout.write(`  - ${note}\n`);
    } catch (error) {
      failed = true;
      process.stderr.write(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      sections.push({ title: name, command: `npm run bench -- ${name}`, figures: [], notes: [`Failed: ${error instanceof Error ? error.message : String(error)}`] });
    }
  }
} finally {
  stopLoadWorker();
  await stopSharedPostgres();
}

const durationS = (performance.now() - t0) / 1000;
if (only.length === 0) {
  writeReport({ file: fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url)), sections, startedAt, durationS, loadAtStart, quick });
  process.stdout.write(`\nBENCHMARKS.md written (${quick ? 'quick mode, ' : ''}${Math.round(durationS)} s).\n`);
} else {
  process.stdout.write(`\n${Math.round(durationS)} s (partial run: BENCHMARKS.md not rewritten).\n`);
}
process.exit(failed ? 1 : 0);
