import { readFileSync } from 'node:fs';
import { ConfigError, parseEnv } from './config/env.config.js';
import { loadOrgFile, resolveOrgFile } from './config/org.loader.js';
import { DataDirInUseError } from './db/database.js';
import { createApp } from './app.js';
import { createLogger } from './logger.js';

/** `npm start`: parse the environment and org file once, start the bot, stop cleanly on SIGTERM/SIGINT. */
const main = async () => {
  let env;
  let org;
  let orgFile;
  try {
    env = parseEnv(process.env);
    orgFile = resolveOrgFile({ orgFile: env.ORG_FILE, cwd: process.cwd() });
    org = loadOrgFile(orgFile);
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const line of error.problems) process.stderr.write(`dutydesk: configuration error: ${line}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger({ level: env.LOG_LEVEL });
  let app;
  try {
    app = await createApp({ env, org, orgFile, orgText: readFileSync(orgFile, 'utf8'), logger });
  } catch (error) {
    if (error instanceof DataDirInUseError) {
      process.stderr.write(`dutydesk: ${error.message}\n`);
      process.exit(1);
    }
    if (error instanceof ConfigError) {
      for (const line of error.problems) process.stderr.write(`dutydesk: configuration error: ${line}\n`);
      process.exit(1);
    }
    throw error;
  }
  const port = await app.listen(env.PORT);
  logger.info(
    {
      port,
      database: app.database.where,
      databaseKind: app.database.kind,
      organisation: org.organisation,
      orgFile,
      slack: app.platforms.slack ?? `not connected: ${app.platforms.slackWhyNot}`,
      teams: app.platforms.teams,
      board: app.platforms.board,
    },
    `dutydesk listening on port ${port}`,
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'dutydesk stopping');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await app.stop();
    logger.info({}, 'dutydesk stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
};

main().catch((error: unknown) => {
  process.stderr.write(`dutydesk: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
