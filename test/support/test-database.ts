import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase } from '../../src/db/database.js';

/**
 * One embedded cluster per test process, created and migrated once, then copied (closed, without its lock file)
 * into each test's data dir: creating a cluster (initdb, in its own child process) costs seconds, and nearly every
 * test starts an app on a new database. What the app does on a new data dir is tested on real new dirs elsewhere
 * (the start-up and footprint paths do not use this).
 */
let template: Promise<string> | undefined;
const templateCluster = (): Promise<string> => {
  template ??= (async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dutydesk-template-'));
    const database = await openDatabase({ dataDir: dir });
    await database.close();
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    return path.join(dir, 'pgdata');
  })();
  return template;
};

/**
 * Where a test's database lives. Default: a fresh PGlite data dir. When DATABASE_URL is set (the CI pass
 * on a real PostgreSQL server), a fresh database on that server, dropped afterwards.
 */
export const createTestDatabase = async (): Promise<{ databaseUrl?: string; dataDir: string; cleanup(): Promise<void> }> => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'dutydesk-test-'));
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    cpSync(await templateCluster(), path.join(dataDir, 'pgdata'), { recursive: true });
    return { dataDir, cleanup: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const name = `dutydesk_t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    databaseUrl: url.toString(),
    dataDir,
    cleanup: async () => {
      rmSync(dataDir, { recursive: true, force: true });
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
};
