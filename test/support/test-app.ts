import { readFileSync } from 'node:fs';
import type { DestinationStream } from 'pino';
import { type App, type AppOptions, createApp } from '../../src/app.js';
import { loadOrgFile } from '../../src/config/org.loader.js';
import { parseEnv } from '../../src/config/env.config.js';
import type { Org } from '../../src/config/org.schema.js';
import { createLogger } from '../../src/logger.js';
import { exampleOrg } from './test-org.js';
import { type TestClock, createTestClock } from './test-clock.js';
import { createTestDatabase } from './test-database.js';

export interface TestApp {
  app: App;
  clock: TestClock;
  baseUrl: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * The real app on a loopback port, a fresh database, a clock the test moves, and no background loops unless
 * asked (tests drive the outbox and the sweep by hand with app.dispatcher.drain() / app.scheduler.sweepOnce()).
 */
export const startTestApp = async (
  options: {
    org?: Org;
    env?: Record<string, string>;
    /** Default: Tue 24 Nov 2026 10:00 London (a working day, working hours). */
    now?: string;
    background?: boolean;
    /** An org file on disk (read for the org unless `org` is given) and whether to watch it. */
    orgFile?: string;
    watchOrg?: boolean;
    /** Where the app's JSON log lines go (default stdout at TEST_LOG_LEVEL, silent unless set). */
    logDestination?: DestinationStream;
    /** A fixed port (e.g. when BOARD_URL must name it before start); default: any free port. */
    port?: number;
    /** Workflows to register besides the built-in ones (composition is where a workflow is added). */
    workflows?: AppOptions['workflows'];
  } = {},
): Promise<TestApp> => {
  const database = await createTestDatabase();
  const clock = createTestClock(options.now ?? '2026-11-24T10:00:00Z');
  const env = parseEnv({
    DATA_DIR: database.dataDir,
    ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : {}),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...options.env,
  });
  const app = await createApp({
    env,
    org: options.org ?? (options.orgFile ? loadOrgFile(options.orgFile) : exampleOrg()),
    orgFile: options.orgFile ?? 'org.example.yaml',
    orgText: options.orgFile ? readFileSync(options.orgFile, 'utf8') : undefined,
    watchOrg: options.watchOrg,
    clock,
    logger: createLogger({ level: env.LOG_LEVEL, destination: options.logDestination }),
    background: options.background ?? false,
    workflows: options.workflows,
  });
  const port = await app.listen(options.port ?? 0, '127.0.0.1');
  return {
    app,
    clock,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    stop: async () => {
      await app.stop();
      await database.cleanup();
    },
  };
};
