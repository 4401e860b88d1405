import { spawn } from 'node:child_process';
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

/** Run autocannon in a child process (bench/lib/load-worker.ts) against `url`; bounded by the plan's duration. */
export const runLoad = (plan: LoadPlan): Promise<LoadResult> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/lib/load-worker.ts', JSON.stringify(plan)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err = (err + chunk.toString()).slice(-2000)));
    const guard = setTimeout(() => child.kill('SIGKILL'), (plan.durationS + 60) * 1000);
    child.on('exit', (code) => {
      clearTimeout(guard);
      const line = out.trim().split('\n').pop() ?? '';
      try {
        const parsed = JSON.parse(line) as {
          latencies: number[];
          errors: number;
          timeouts: number;
          non2xx: number;
          sent: number;
          durationS: number;
          autocannonP99: number;
          error?: string;
        };
        if (parsed.error) throw new Error(parsed.error);
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
      } catch (error) {
        reject(new Error(`load worker failed (exit ${code}): ${String(error)} ${err}`));
      }
    });
  });

/** Enough keep-alive connections that a fixed rate never waits for a free one at these latencies. */
export const connectionsFor = (rate: number) => Math.max(10, Math.ceil(rate / 4));
