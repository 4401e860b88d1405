import { readFileSync } from 'node:fs';
import { ConfigError, parseEnv } from './config/env.config.js';
import { loadOrgFile, resolveOrgFile } from './config/org.loader.js';
import { DataDirInUseError } from './db/database.js';
import { createApp } from './app.js';
import { createLogger } from './logger.js';
import { nodeSupport } from './ops/node-support.js';

/** `npm start`: parse the environment and org file once, start the bot, stop cleanly on SIGTERM/SIGINT. */
const main = async () => {
  // Files we create (embedded database, exports, lock file) are the owner's only: case narrative lives in them.
  process.umask(0o077);
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
  // A runtime role that could erase its own history is said at every start, before the listening line.
  for (const warning of app.database.role?.warnings ?? []) logger.warn({ component: 'database', code: 'database.role' }, `dutydesk: ${warning}`);
  const node = nodeSupport({ version: process.version, today: new Date() });
  if (node.warning) logger.warn({ node: process.version, nodeStatus: node.status }, node.warning);
  logger.info(
    {
      port,
      database: app.database.where,
      databaseKind: app.database.kind,
      databaseRole: app.database.role
        ? `${app.database.role.name}${app.database.role.warnings.length > 0 ? ' (WARNING: can rewrite audit_log/decisions)' : ' (SELECT, INSERT only on audit_log and decisions)'}`
        : 'embedded: one role, owner of every table (see README "Database roles")',
      organisation: org.organisation,
      orgFile,
      slack: app.platforms.slack ?? `not connected: ${app.platforms.slackWhyNot}`,
      teams: app.platforms.teams,
      node: node.warning ? `${process.version} (${node.status}: ${node.warning})` : process.version,
      board: app.platforms.board,
    },
    `dutydesk listening on port ${port}`,
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'dutydesk stopping');
    // app.stop drains within SHUTDOWN_GRACE; this is the backstop if closing itself hangs.
    const force = setTimeout(() => process.exit(1), env.SHUTDOWN_GRACE + 5_000);
    force.unref();
    await app.stop();
    logger.info({}, 'dutydesk stopped');
    process.exit(0);
  };
  // SIGHUP reloads the org file (so does a change on disk): shared/interface.md "Reloading the org file".
  process.on('SIGHUP', () => void app.org.reload('SIGHUP'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
};

main().catch((error: unknown) => {
  process.stderr.write(`dutydesk: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
