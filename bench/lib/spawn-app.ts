import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface SpawnedProcess {
  child: ChildProcess;
  pid: number;
  port: number;
  baseUrl: string;
  /** Milliseconds from spawn to the first 200 of GET /healthz (or to the port line, for apps without one). */
  readyMs: number;
  rssMb(): number;
  /** The process's own process.cpuUsage() (user + system), in ms, asked over its IPC channel. */
  cpuMs(): Promise<number>;
  /** The process's own process.memoryUsage(), in MB, asked over its IPC channel. */
  memoryMb(): Promise<MemoryMb>;
  /** Start a V8 CPU profile inside the process; the returned function stops it and gives the profile. */
  profile(): Promise<() => Promise<unknown>>;
  stop(): Promise<void>;
}

const askCpu = (child: ChildProcess): Promise<number> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no cpu answer')), 5_000);
    const onMessage = (message: unknown) => {
      const cpu = (message as { cpu?: NodeJS.CpuUsage }).cpu;
      if (!cpu) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve((cpu.user + cpu.system) / 1000);
    };
    child.on('message', onMessage);
    child.send('cpu');
  });

export interface MemoryMb {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

const askMemory = (child: ChildProcess): Promise<MemoryMb> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no memory answer')), 5_000);
    const onMessage = (message: unknown) => {
      const memory = (message as { memory?: NodeJS.MemoryUsage }).memory;
      if (!memory) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      const mb = (bytes: number) => bytes / 2 ** 20;
      resolve({ rss: mb(memory.rss), heapTotal: mb(memory.heapTotal), heapUsed: mb(memory.heapUsed), external: mb(memory.external), arrayBuffers: mb(memory.arrayBuffers) });
    };
    child.on('message', onMessage);
    child.send('memory');
  });

/** Send `message` over the child's IPC channel and resolve with the first answer that has `key`. */
const ask = <T>(child: ChildProcess, message: string, key: string): Promise<T> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${key} answer`)), 15_000);
    const onMessage = (answer: unknown) => {
      if (!answer || typeof answer !== 'object' || !(key in answer)) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve((answer as Record<string, T>)[key] as T);
    };
    child.on('message', onMessage);
    child.send(message);
  });

/** Resident set size of a process from /proc (Linux), in MB. */
export const rssMbOf = (pid: number): number => {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((entry) => entry.startsWith('VmRSS:'));
    return line ? Number(line.replace(/\D+/g, '')) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
};

const waitForExit = (child: ChildProcess, ms: number) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/**
 * Spawn `node --import tsx <entry>` with PORT=0 and wait until it prints its port (`"port":N` in a JSON log line)
 * and, when `healthPath` is given, answers 200 there. Bounded by `timeoutMs`.
 */
export const spawnNode = async (args: { entry: string; env: Record<string, string>; healthPath?: string; timeoutMs?: number; nodeArgs?: string[] }): Promise<SpawnedProcess> => {
  const started = performance.now();
  // TypeScript entries run under tsx; the built bundle (what `npm start` runs) runs on plain node.
  const probe = ['--import', './bench/lib/cpu-probe.mjs'];
  const argv = args.entry.endsWith('.ts') ? ['--import', 'tsx', ...probe, args.entry] : ['--enable-source-maps', ...probe, args.entry];
  const child = spawn(process.execPath, [...(args.nodeArgs ?? []), ...argv], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', ...args.env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  let port = 0;
  child.stdout?.on('data', (chunk: Buffer) => {
    if (port) return;
    output += chunk.toString();
    const match = /"port":(\d+)/.exec(output);
    if (match) port = Number(match[1]);
  });
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    errors = (errors + chunk.toString()).slice(-2000);
  });
  const deadline = Date.now() + (args.timeoutMs ?? 180_000);
  let readyMs = 0;
  while (!readyMs) {
    if (child.exitCode !== null) throw new Error(`${args.entry} exited with ${child.exitCode}: ${errors}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${args.entry} was not ready in time: ${errors}`);
    }
    if (port && !args.healthPath) readyMs = performance.now() - started;
    else if (port) {
      const ok = await fetch(`http://127.0.0.1:${port}${args.healthPath}`).then(
        (response) => response.status === 200,
        () => false,
      );
      if (ok) readyMs = performance.now() - started;
    }
    if (!readyMs) await sleep(port ? 10 : 20);
  }
  const pid = child.pid as number;
  return {
    child,
    pid,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    readyMs,
    rssMb: () => rssMbOf(pid),
    cpuMs: () => askCpu(child),
    memoryMb: () => askMemory(child),
    profile: async () => {
      await ask(child, 'profile-start', 'profiling');
      return () => ask(child, 'profile-stop', 'profile');
    },
    stop: async () => {
      child.kill('SIGTERM');
      await waitForExit(child, 10_000);
    },
  };
};

let built = false;
/** dutydesk itself as `npm start` runs it (the bundle dist/main.mjs, built once), on a data dir or a PostgreSQL database. */
export const spawnDutydesk = (args: { dataDir: string; databaseUrl?: string; slackApiUrl: string; secret: string; extraEnv?: Record<string, string>; nodeArgs?: string[] }) => {
  if (!built) {
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT });
    built = true;
  }
  return spawnNode({
    entry: 'dist/main.mjs',
    healthPath: '/healthz',
    nodeArgs: args.nodeArgs,
    env: {
      DATA_DIR: args.dataDir,
      ...(args.databaseUrl ? { DATABASE_URL: args.databaseUrl } : {}),
      ORG_FILE: 'org.example.yaml',
      SLACK_SIGNING_SECRET: args.secret,
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_API_URL: args.slackApiUrl,
      LOG_LEVEL: 'info',
      ...args.extraEnv,
    },
  });
};

/** The bare Bolt app (bench/lib/bare-bolt-main.ts). */
export const spawnBareBolt = (args: { slackApiUrl: string; secret: string }) =>
  spawnNode({ entry: 'bench/lib/bare-bolt-main.ts', env: { SLACK_SIGNING_SECRET: args.secret, SLACK_API_URL: args.slackApiUrl } });
