import { writeFileSync } from 'node:fs';
import os from 'node:os';

/** One figure of a benchmark: the median of its runs, with the target it is judged against. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  runs: number[];
  /** e.g. '≤ 1.25× bare', '< 300 ms' */
  target?: string;
  met?: boolean;
  note?: string;
}

export interface Section {
  title: string;
  command: string;
  figures: Figure[];
  notes?: string[];
}

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

export const percentile = (values: number[], p: number) => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
};

export const figure = (args: { name: string; unit: string; runs: number[]; target?: string; met?: (value: number) => boolean; note?: string }): Figure => {
  const value = median(args.runs);
  return { name: args.name, unit: args.unit, runs: args.runs, value, target: args.target, met: args.met ? args.met(value) : undefined, note: args.note };
};

const format = (value: number) => (Number.isInteger(value) ? String(value) : value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));

/** The runs, and their min–max when there are three or more. */
const runsText = (runs: number[]) => (runs.length >= 3 ? `${runs.map(format).join(', ')} (${format(Math.min(...runs))}–${format(Math.max(...runs))})` : runs.map(format).join(', '));

export const printSection = (section: Section) => {
  process.stdout.write(`\n## ${section.title}\n`);
  for (const f of section.figures) {
    const verdict = f.met === undefined ? '' : f.met ? '  [met]' : '  [MISSED]';
    process.stdout.write(`  ${f.name.padEnd(58)} ${format(f.value).padStart(10)} ${f.unit.padEnd(8)} ${f.target ? `target ${f.target}` : ''}${verdict}  [${runsText(f.runs)}]\n`);
  }
};

export const writeReport = (args: { file: string; sections: Section[]; startedAt: Date; durationS: number; loadAtStart?: number; quick?: boolean }) => {
  const cpus = os.cpus();
  const lines = [
    '# Benchmarks',
    '',
    `Written by \`${args.quick ? 'BENCH_QUICK=1 ' : ''}npm run bench\` on ${args.startedAt.toISOString().slice(0, 10)} in ${Math.round(args.durationS)} s${args.quick ? ' (quick mode: smaller sizes, fewer and shorter runs)' : ''}.`,
    '',
    `Machine: ${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}, Node ${process.version}.`,
    `Load average (1 min) at the end of the run: ${os.loadavg()[0]?.toFixed(1)} on ${cpus.length} cores${args.loadAtStart !== undefined ? `, ${args.loadAtStart.toFixed(1)} at its start` : ''}: on a shared machine read latencies with their runs, and lean on the CPU-time figures.`,
    'Each figure is the median of the runs listed beside it (with their min–max when there are three or more). Load runs on loopback only, bounded in time.',
    '',
    "Reproduce: `npm install && npm run bench` (a PostgreSQL server is started on a temporary directory when Debian's `postgresql` is installed; `BENCH_QUICK=1` for a short run).",
    '',
  ];
  for (const section of args.sections) {
    lines.push(`## ${section.title}`, '', `\`${section.command}\``, '', '| figure | median | unit | runs | target | met |', '|---|---:|---|---|---|---|');
    for (const f of section.figures) {
      lines.push(`| ${f.name} | ${format(f.value)} | ${f.unit} | ${runsText(f.runs)} | ${f.target ?? ''} | ${f.met === undefined ? '' : f.met ? 'yes' : '**no**'} |`);
    }
    if (section.notes?.length) lines.push('', ...section.notes.map((note) => `- ${note}`));
    lines.push('');
  }
  writeFileSync(args.file, lines.join('\n'));
};
