import pg from 'pg';
import { type PostgresServer, postgresAvailable, startPostgresServer } from './postgres-server.js';

/**
 * One throw-away PostgreSQL server for the whole `npm run bench` (started on first use, stopped by bench/run.ts),
 * and a fresh database on it for each benchmark that asks.
 */
let server: Promise<PostgresServer> | null = null;

export const havePostgres = () => postgresAvailable();

export const sharedPostgres = (): Promise<PostgresServer> => {
  server ??= startPostgresServer();
  return server;
};

export const stopSharedPostgres = async () => {
  if (!server) return;
  const running = await server.catch(() => null);
  running?.stop();
  server = null;
};

/** A new empty database on the shared server; `drop()` removes it. */
export const freshServerDatabase = async (args: { label: string }): Promise<{ url: string; drop(): Promise<void> }> => {
  const running = await sharedPostgres();
  const name = `bench_${args.label.replace(/[^a-z0-9_]/gi, '_')}_${Date.now().toString(36)}`.toLowerCase();
  const admin = new pg.Client({ connectionString: running.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(running.url);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: running.url });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
};
