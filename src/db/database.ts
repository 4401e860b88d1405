import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import * as schema from './schema.js';
import { type RoleReport, grantRuntimeRole, inspectRuntimeRole } from './database-roles.js';
import { leanPgliteClient } from './pglite-client.js';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  db: Db;
  kind: 'embedded' | 'server';
  /** Human description for logs, never with credentials. */
  where: string;
  ping(): Promise<boolean>;
  close(): Promise<void>;
  /** The runtime role and what it could still do to the history (server only; the embedded database has one role). */
  role?: RoleReport;
}

/** `migrations/` at the package root, from src/db (tsx) or from dist/ (the built bundle `npm start` runs). */
export const MIGRATIONS_FOLDER = ['../../migrations', '../migrations']
  .map((relative) => fileURLToPath(new URL(relative, import.meta.url)))
  .find((candidate) => existsSync(path.join(candidate, 'meta', '_journal.json'))) as string;
const MIGRATION_LOCK_KEY = 720_431_977; // arbitrary, constant: "dutydesk migrations"

export class DataDirInUseError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `The data directory ${dataDir} is in use by another dutydesk process (pid ${pid}). ` +
        'The embedded database allows one process per data directory: stop that process, or set DATABASE_URL to share a PostgreSQL server between replicas.',
    );
    this.name = 'DataDirInUseError';
  }
}

const processAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * PGlite's file layer creates every data file 0666 whatever the process umask: make the tree the owner's only
 * (files 0600, directories 0700), at open and again at close. Files it creates while running are 0666 until then,
 * inside this 0700 directory.
 */
export const tightenDataDir = (dir: string): void => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      chmodSync(full, 0o700);
      tightenDataDir(full);
    } else if (entry.isFile()) chmodSync(full, 0o600);
  }
};

/** One process per PGlite data dir: a lock file with our pid; a stale one (dead pid) is taken over. */
const takeDataDirLock = (dataDir: string) => {
  const lockFile = path.join(dataDir, 'dutydesk.lock');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      return () => rmSync(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number.parseInt(readFileSync(lockFile, 'utf8'), 10);
      if (Number.isInteger(pid) && pid !== process.pid && processAlive(pid)) throw new DataDirInUseError(dataDir, pid);
      rmSync(lockFile, { force: true });
    }
  }
  throw new Error(`could not lock the data directory ${dataDir}`);
};

const redactUrl = (url: string) => {
  try {
    const parsed = new URL(url);
    return `postgres://${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
  } catch {
    return 'postgres server';
  }
};

const createClusterInWorker = (args: { pgdata: string; postgresqlconf: string }) =>
  new Promise<void>((resolve, reject) => {
    // A child process, not a worker thread: a thread's native memory (WASM code, malloc arenas) stayed resident
    // in this process after the thread ended (~100 MB); a process gives all of it back when it exits.
    const code = `
      const [pglite, pgdata, postgresqlconf] = JSON.parse(process.argv[1]);
      const { PGlite } = await import(pglite);
      const db = new PGlite(pgdata, { postgresqlconf });
      await db.waitReady;
      await db.close();`;
    // Resolved here, so the child finds PGlite whatever the working directory.
    const child = spawn(process.execPath, ['--input-type=module', '-e', code, JSON.stringify([import.meta.resolve('@electric-sql/pglite'), args.pgdata, args.postgresqlconf])], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let errors = '';
    child.stderr?.on('data', (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-1000)));
    child.once('error', reject);
    child.once('exit', (exitCode) => (exitCode === 0 ? resolve() : reject(new Error(`creating the embedded database failed (exit ${exitCode}): ${errors}`))));
  });

const openEmbedded = async (dataDir: string): Promise<Database> => {
  const absolute = path.resolve(dataDir);
  // The embedded database's files hold every rationale: the directory is the owner's only (0700), also when it was
  // created earlier with a looser mode. The files inside follow the process umask (0077, set in main).
  mkdirSync(absolute, { recursive: true, mode: 0o700 });
  if ((statSync(absolute).mode & 0o077) !== 0) chmodSync(absolute, 0o700);
  const releaseLock = takeDataDirLock(absolute);
  try {
    const pgdata = path.join(absolute, 'pgdata');
    // shared_buffers: PostgreSQL's 128 MB default is resident WASM memory in this process; a bot's store needs far less.
    const options = { postgresqlconf: 'shared_buffers = 16MB' };
    // Creating a cluster (initdb) grows the WASM heap by hundreds of MB that it never gives back: create it in a
    // short-lived worker thread, whose memory goes with it, and serve from a fresh instance here.
    if (!existsSync(pgdata)) await createClusterInWorker({ pgdata, postgresqlconf: options.postgresqlconf });
    tightenDataDir(absolute);
    const client = new PGlite(pgdata, options);
    await client.waitReady;
    const db = drizzlePglite({ client: leanPgliteClient(client) as unknown as PGlite, schema }) as unknown as Db;
    await client.query(`SELECT pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
    try {
      await migratePglite(drizzlePglite(client), { migrationsFolder: MIGRATIONS_FOLDER });
    } finally {
      await client.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
    }
    let closed = false;
    return {
      db,
      kind: 'embedded',
      where: `embedded PGlite in ${absolute}`,
      ping: async () => {
        if (closed) return false;
        await client.query('SELECT 1');
        return true;
      },
      close: async () => {
        if (closed) return;
        closed = true;
        await client.close();
        try {
          tightenDataDir(absolute); // files PGlite created while running
        } catch {
          /* best effort: the 0700 directory still guards them */
        }
        releaseLock();
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
};

/** Migrations run on one dedicated connection holding a session advisory lock, so replicas never race. */
const migrateServer = async (connectionString: string) => {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await migratePg(drizzlePg(client), { migrationsFolder: MIGRATIONS_FOLDER });
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
  } finally {
    await client.end();
  }
};

const openServer = async (connectionString: string, migrationsUrl?: string): Promise<Database> => {
  // The owner role migrates when one is given; the runtime role then gets only its grants (database-roles.ts).
  await migrateServer(migrationsUrl ?? connectionString);
  const pool = new pg.Pool({ connectionString, max: 10, connectionTimeoutMillis: 5_000 });
  // A server restart kills idle connections; the pool drops them and reconnects on the next query.
  pool.on('error', () => undefined);
  // A client checked out when the server goes away emits 'error' with no listener of the pool's own: without
  // this, a database restart mid-query crashes the process. The query itself still rejects (StoreUnavailableError)
  // and the pool discards the broken client on release.
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  let role: RoleReport;
  try {
    if (migrationsUrl) {
      const { rows } = await pool.query('SELECT current_user AS name');
      await grantRuntimeRole({ ownerUrl: migrationsUrl, runtimeRole: String(rows[0]?.name) });
    }
    role = await inspectRuntimeRole((text) => pool.query(text));
  } catch (error) {
    await pool.end();
    throw error;
  }
  let closed = false;
  return {
    db,
    role,
    kind: 'server',
    where: redactUrl(connectionString),
    ping: async () => {
      await db.execute(sql`SELECT 1`);
      return true;
    },
    // Idempotent, as the embedded one: a stop after the pool was already closed must not throw.
    close: async () => {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
};

export const openDatabase = (args: { databaseUrl?: string; migrationsUrl?: string; dataDir: string }): Promise<Database> =>
  args.databaseUrl ? openServer(args.databaseUrl, args.migrationsUrl) : openEmbedded(args.dataDir);
