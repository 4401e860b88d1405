/**
 * Helpers for the chaos tests: the real bot as a child process (`node --import tsx src/main.ts`), row counts of
 * the tables a refusal must not change, and /metrics readings.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import type { App } from '../../src/app.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export { SECRET } from '../slack/slack-harness.js';
export const BOT_TOKEN = 'xoxb-chaos-token';

export interface BotProcess {
  proc: ChildProcess;
  pid: number;
  port: number;
  baseUrl: string;
  /** Every stdout/stderr line so far (JSON logs). */
  lines: string[];
  exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

/** Start the bot as `npm start` would (node + tsx), on PORT=0; resolves once it logs 'dutydesk listening'. */
export const spawnBot = async (args: { env: Record<string, string>; timeoutMs?: number }): Promise<BotProcess> => {
  const tsxImport = existsSync(`${ROOT}/node_modules/tsx`) ? 'tsx' : 'tsx/esm';
  const proc = spawn(process.execPath, ['--import', tsxImport, 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'info', ...args.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bot did not start:\n${lines.slice(-20).join('\n')}`)), args.timeoutMs ?? 60_000);
    const onLine = (line: string) => {
      lines.push(line);
      if (!line.includes('dutydesk listening')) return;
      try {
        const parsed = JSON.parse(line) as { port?: number };
        if (typeof parsed.port === 'number') {
          clearTimeout(timer);
          resolve(parsed.port);
        }
      } catch {
        // not JSON: keep reading
      }
    };
    let buffered = { out: '', err: '' };
    const feed = (which: 'out' | 'err') => (chunk: Buffer) => {
      buffered[which] += chunk.toString('utf8');
      const parts = buffered[which].split('\n');
      buffered = { ...buffered, [which]: parts.pop() ?? '' };
      parts.forEach(onLine);
    };
    proc.stdout?.on('data', feed('out'));
    proc.stderr?.on('data', feed('err'));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`bot exited with ${code} before listening:\n${lines.slice(-20).join('\n')}`));
    });
  });
  return {
    proc,
    pid: proc.pid as number,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    lines,
    exited,
    kill: async (signal) => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
};

/** Poll until `check` gives something truthy; only a generous upper bound, never a timing assertion. */
export const until = async <T>(check: () => T | Promise<T>, what: string, timeoutMs = 30_000): Promise<NonNullable<T>> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
};

/** One sample of a Prometheus metric (sum over series matching every given label). */
export const metricValue = async (args: { baseUrl: string; name: string; labels?: Record<string, string> }): Promise<number> => {
  const text = await (await fetch(`${args.baseUrl}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${args.name}{`) && !line.startsWith(`${args.name} `)) continue;
    const labels = Object.entries(args.labels ?? {});
    if (!labels.every(([key, value]) => line.includes(`${key}="${value}"`))) continue;
    total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
};

export const TABLES = ['escalations', 'referrals', 'decisions', 'audit_log', 'outbox', 'deadlines', 'message_refs'] as const;

/** Row counts of every table a refused request must leave alone. */
export const tableCounts = async (app: App): Promise<Record<(typeof TABLES)[number], number>> => {
  const counts = {} as Record<(typeof TABLES)[number], number>;
  for (const table of TABLES) {
    const result = (await app.database.db.execute(`SELECT count(*)::int AS n FROM ${table}`)) as unknown as { rows: { n: number }[] };
    counts[table] = Number(result.rows[0]?.n);
  }
  return counts;
};

/** Rows of a raw query (test inspection only). */
export const queryRows = async <T>(app: App, text: string): Promise<T[]> => ((await app.database.db.execute(text)) as unknown as { rows: T[] }).rows;
