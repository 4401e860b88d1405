import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A throw-away PostgreSQL server on a temporary directory and a free loopback port (Debian's postgresql, run as
 * the postgres user when we are root). For benchmarks and chaos tests; CI's .ci/run does the same in bash.
 */
export interface PostgresServer {
  url: string;
  port: number;
  stop(): void;
  /** Stop the server without removing its data (a database outage), then start it again. */
  pause(): void;
  resume(): void;
}

const pgBin = () => {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) throw new Error('PostgreSQL is not installed: apt-get install -y postgresql');
  const version = readdirSync(base).sort((a, b) => Number(b) - Number(a))[0];
  return path.join(base, version as string, 'bin');
};

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

export const postgresAvailable = () => existsSync('/usr/lib/postgresql');

export const startPostgresServer = async (): Promise<PostgresServer> => {
  const bin = pgBin();
  const root = mkdtempSync(path.join(tmpdir(), 'dutydesk-pg-'));
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  if (asRoot) chownSync(root, Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), Number(execFileSync('id', ['-g', 'postgres']).toString().trim()));
  const run = (command: string) => {
    const result = asRoot ? spawnSync('su', ['postgres', '-s', '/bin/sh', '-c', command], { encoding: 'utf8' }) : spawnSync('sh', ['-c', command], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${command}: ${result.stderr || result.stdout}`);
  };
  const data = path.join(root, 'data');
  run(`'${bin}/initdb' -D '${data}' -U postgres --auth=trust -E UTF8 >/dev/null`);
  const start = () => run(`'${bin}/pg_ctl' -D '${data}' -l '${root}/log' -w -o "-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off" start >/dev/null`);
  const stop = (mode: string) => run(`'${bin}/pg_ctl' -D '${data}' -m ${mode} -w stop >/dev/null`);
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    pause: () => stop('fast'),
    resume: () => start(),
    stop: () => {
      try {
        stop('immediate');
      } catch {
        // already stopped
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
};
