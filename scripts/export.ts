// `npm run export -- --crn X123456 [--format csv|json] [--out file]`: a CRN's timeline for an inspector, read from
// DATABASE_URL or the embedded database in DATA_DIR. The embedded database serves one process at a time, so
// with it this refuses while the bot runs; stop the bot first (or use a PostgreSQL server via DATABASE_URL).
import { closeSync, constants, existsSync, fchmodSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, parseEnv } from '../src/config/env.config.js';
import { loadOrgFile, resolveOrgFile } from '../src/config/org.loader.js';
import { DataDirInUseError, openDatabase } from '../src/db/database.js';
import { createStore } from '../src/db/store.js';
import { crnSchema } from '../src/domain/case-facts.js';
import { systemClock } from '../src/system-clock.js';
import { buildDirectory } from '../src/use-cases/directory.js';
import { exportCase } from '../src/use-cases/export.use-case.js';
import { SECURITY_WORDS } from '../src/use-cases/refusal-words.js';

const USAGE = 'usage: npm run export -- --crn X123456 [--format csv|json] [--out file [--force]]';

/** The file holds case narrative: created 0600 (owner only), never over an existing file unless --force. */
export const writeExportFile = (args: { file: string; content: string; force: boolean }): 'written' | 'exists' => {
  const flags = constants.O_WRONLY | constants.O_CREAT | (args.force ? constants.O_TRUNC : constants.O_EXCL);
  let fd: number;
  try {
    fd = openSync(args.file, flags, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return 'exists';
    throw error;
  }
  try {
    fchmodSync(fd, 0o600); // a replaced file keeps its old mode otherwise
    writeSync(fd, args.content);
  } finally {
    closeSync(fd);
  }
  return 'written';
};

export const parseExportArgs = (argv: string[]): { crn: string; format: 'csv' | 'json'; out?: string; force: boolean } | { error: string } => {
  const options: Record<string, string> = {};
  let force = false;
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] as string;
    if (arg === '--force') {
      force = true;
      continue;
    }
    const match = /^--(crn|format|out)(?:=(.*))?$/.exec(arg);
    if (!match) return { error: `unknown argument "${arg}"` };
    let value = match[2];
    if (value === undefined) {
      index += 1; // the value is the next argument: --crn X123456
      value = argv[index];
    }
    if (value === undefined || value === '') return { error: `--${match[1]} needs a value` };
    options[match[1] as string] = value;
  }
  const crn = crnSchema.safeParse(options.crn ?? '');
  if (!options.crn) return { error: '--crn is required' };
  if (!crn.success) return { error: `--crn: ${crn.error.issues[0]?.message ?? 'invalid'}` };
  const format = (options.format ?? 'csv').toLowerCase();
  if (format !== 'csv' && format !== 'json') return { error: '--format is csv or json' };
  if (force && !options.out) return { error: '--force only goes with --out' };
  return { crn: crn.data, format, out: options.out, force };
};

export const runExportCli = async (args: { argv: string[]; env: Record<string, string | undefined>; cwd: string; stdout: (text: string) => void; stderr: (text: string) => void }): Promise<number> => {
  const parsed = parseExportArgs(args.argv);
  if ('error' in parsed) {
    args.stderr(`dutydesk export: ${parsed.error}\n${USAGE}\n`);
    return 2;
  }
  // Before anything is read (or audited as exported): an existing file is never replaced without --force.
  if (parsed.out && !parsed.force && existsSync(path.resolve(args.cwd, parsed.out))) {
    args.stderr(`dutydesk export: ${SECURITY_WORDS.exportExists(parsed.out)}\n`);
    return 4;
  }
  let database;
  try {
    const env = parseEnv(args.env);
    const org = loadOrgFile(resolveOrgFile({ orgFile: env.ORG_FILE, cwd: args.cwd }));
    database = await openDatabase({ databaseUrl: env.DATABASE_URL, migrationsUrl: env.MIGRATIONS_DATABASE_URL, dataDir: path.resolve(args.cwd, env.DATA_DIR) });
    const ctx = { store: createStore(database), directory: buildDirectory(org), clock: systemClock };
    const result = await exportCase({ ctx, crn: parsed.crn, format: parsed.format, actorId: null, platform: 'cli' });
    if (parsed.out) {
      if (writeExportFile({ file: path.resolve(args.cwd, parsed.out), content: result.content, force: parsed.force }) === 'exists') {
        args.stderr(`dutydesk export: ${SECURITY_WORDS.exportExists(parsed.out)}\n`);
        return 4;
      }
      args.stderr(`dutydesk export: ${result.data.rows.length} rows for ${parsed.crn} written to ${parsed.out}\n`);
    } else {
      args.stdout(result.content);
    }
    if (result.data.items.length === 0) args.stderr(`dutydesk export: nothing recorded for ${parsed.crn}\n`);
    return 0;
  } catch (error) {
    if (error instanceof DataDirInUseError) {
      args.stderr(
        `dutydesk export: the bot is running on this embedded database (${error.message.split('. ')[0]}). ` +
          'Stop the bot and run the export again, or run the bot on a PostgreSQL server (DATABASE_URL) so both can use it at once.\n',
      );
      return 3;
    }
    if (error instanceof ConfigError) {
      for (const line of error.problems) args.stderr(`dutydesk export: configuration error: ${line}\n`);
      return 1;
    }
    args.stderr(`dutydesk export: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await database?.close();
  }
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const code = await runExportCli({
    argv: process.argv.slice(2),
    env: process.env,
    cwd: process.cwd(),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
  process.exitCode = code;
}
