import { type ChildProcess, spawn } from 'node:child_process';
import { percentile } from './report.js';
import { ROOT } from './spawn-app.js';

export interface LoadPlan {
  url: string;
  kind: 'slash' | 'submission';
  rate: number;
  durationS: number;
  connections: number;
  secret: string;
  userId: string;
}

export interface LoadResult {
  rate: number;
  sent: number;
  completed: number;
  achievedRate: number;
  p50: number;
  p99: number;
  /** Connection errors + timeouts + non-2xx answers. */
  errors: number;
  autocannonP99: number;
}

interface WorkerAnswer {
  latencies: number[];
  errors: number;
  timeouts: number;
  non2xx: number;
  sent: number;
  durationS: number;
  autocannonP99: number;
  error?: string;
}

/** One load-generator process for the whole bench (spawning one per run cost a tsx start-up each time). */
let worker: ChildProcess | null = null;
const loadWorker = (): ChildProcess => {
  if (worker && worker.exitCode === null) return worker;
  worker = spawn(process.execPath, ['--import', 'tsx', 'bench/lib/load-worker.ts'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  worker.unref();
  (worker as unknown as { channel?: { unref(): void } }).channel?.unref();
  return worker;
};

export const stopLoadWorker = () => {
  worker?.kill('SIGTERM');
  worker = null;
};

/** Run autocannon in the load-generator process (bench/lib/load-worker.ts) against `url`; bounded by the plan's duration. */
export const runLoad = (plan: LoadPlan): Promise<LoadResult> =>
  new Promise((resolve, reject) => {
    const child = loadWorker();
    const guard = setTimeout(
      () => {
        child.off('message', onMessage);
        stopLoadWorker();
        reject(new Error('load worker did not answer in time'));
      },
      (plan.durationS + 60) * 1000,
    );
    const onMessage = (message: unknown) => {
      clearTimeout(guard);
      child.off('message', onMessage);
      const parsed = message as WorkerAnswer;
      if (parsed.error) return reject(new Error(`load worker failed: ${parsed.error}`));
      resolve({
        rate: plan.rate,
        sent: parsed.sent,
        completed: parsed.latencies.length,
        achievedRate: parsed.latencies.length / plan.durationS,
        p50: percentile(parsed.latencies, 50),
        p99: percentile(parsed.latencies, 99),
        errors: parsed.errors + parsed.non2xx,
        autocannonP99: parsed.autocannonP99,
      });
    };
    child.on('message', onMessage);
    child.send(plan);
  });

/** Enough keep-alive connections that a fixed rate never waits for a free one at these latencies. */
export const connectionsFor = (rate: number) => Math.max(10, Math.ceil(rate / 4));
