import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type App, createApp } from '../../src/app.js';
import { parseEnv } from '../../src/config/env.config.js';
import type { Org } from '../../src/config/org.schema.js';
import type { Clock } from '../../src/domain/clock.js';
import { createLogger } from '../../src/logger.js';
import { type FakeSlack, type FakeSlackOptions, startFakeSlack } from '../../test/support/fake-slack.js';
import { exampleOrg } from './bench-org.js';
import { freshServerDatabase } from './shared-postgres.js';

export const BENCH_SECRET = 'bench-signing-secret-0123456789';
export type DatabaseChoice = 'pglite' | 'postgres';

export interface BenchApp {
  app: App;
  fake: FakeSlack;
  baseUrl: string;
  stop(): Promise<void>;
}

/** A fixed clock (a Tuesday, 10:00 London: working hours) unless the bench passes a real one. */
export const fixedClock = (at = '2026-11-24T10:00:00Z'): Clock & { set(iso: string): void } => {
  let now = new Date(at);
  return {
    now: () => new Date(now),
    set: (iso) => {
      now = new Date(iso);
    },
  };
};

/**
 * The real app in this process on a fresh database (PGlite in a temp dir, or a new database on the shared
 * PostgreSQL server), Slack pointed at a fake Web API on loopback. Background loops off unless asked.
 */
export const startBenchApp = async (options: {
  database: DatabaseChoice;
  org?: Org;
  clock?: Clock;
  background?: boolean;
  fakeSlack?: FakeSlackOptions;
  env?: Record<string, string>;
}): Promise<BenchApp> => {
  const fake = await startFakeSlack(options.fakeSlack);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'dutydesk-bench-'));
  const server = options.database === 'postgres' ? await freshServerDatabase({ label: 'app' }) : null;
  const env = parseEnv({
    DATA_DIR: dataDir,
    ...(server ? { DATABASE_URL: server.url } : {}),
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent',
    SLACK_SIGNING_SECRET: BENCH_SECRET,
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_API_URL: fake.url,
    // Only the punctual timer (and explicit calls) sweep: the cron safety net never fires during a bench.
    SWEEP_CRON: '0 0 1 1 *',
    DIGEST_CRON: '0 0 1 1 *',
    ...options.env,
  });
  const app = await createApp({
    env,
    org: options.org ?? exampleOrg(),
    orgFile: 'bench-org.yaml',
    clock: options.clock ?? fixedClock(),
    logger: createLogger({ level: env.LOG_LEVEL }),
    background: options.background ?? false,
  });
  const port = await app.listen(0, '127.0.0.1');
  return {
    app,
    fake,
    baseUrl: `http://127.0.0.1:${port}`,
    stop: async () => {
      await app.stop();
      await fake.close();
      rmSync(dataDir, { recursive: true, force: true });
      await server?.drop();
    },
  };
};
