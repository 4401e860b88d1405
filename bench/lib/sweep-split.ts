import { readFileSync, readdirSync } from 'node:fs';
import pg from 'pg';

/**
 * Where a sweep's wall time goes, for the sweep-scale notes: the PostgreSQL server's CPU (its backends serving
 * this bench's database, from /proc: Linux only) and the statements this process sent (node-postgres queries).
 */
const TICK_MS = 10; // USER_HZ is 100 on Linux

/** CPU ms used so far by the server processes whose title names this database (its backends). */
export const serverCpuMs = (database: string): number | null => {
  let total = 0;
  let found = false;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  for (const pid of pids) {
    try {
      const title = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!title.startsWith('postgres: ') || !title.includes(` ${database} `)) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(fields[11]) + Number(fields[12])) * TICK_MS; // utime, stime
      found = true;
    } catch {
      // the process ended meanwhile
    }
  }
  return found ? total : null;
};

/** Count the statements node-postgres sends while `work` runs (every client of this process). */
export const countStatements = async <T>(work: () => Promise<T>): Promise<{ result: T; statements: number }> => {
  const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = prototype.query;
  let statements = 0;
  prototype.query = function (this: unknown, ...args: unknown[]) {
    statements += 1;
    return original.apply(this, args);
  };
  try {
    return { result: await work(), statements };
  } finally {
    prototype.query = original;
  }
};
