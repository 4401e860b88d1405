// `npm run import:releases -- --unit north-3 [--provider gateway-resettle] [--by tom] file.csv`: upcoming releases
// for a unit (columns CRN, NOMS, prison, release date, date type; optional officer and referral type) become planned
// referrals, each with a refer-by deadline that chases the officer until the referral is sent. All rows or none:
// one line per bad row on stderr and nothing stored. With the embedded database, stop the bot first.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, parseEnv } from '../src/config/env.config.js';
import { loadOrgFile, resolveOrgFile } from '../src/config/org.loader.js';
import { DataDirInUseError, openDatabase } from '../src/db/database.js';
import { createStore } from '../src/db/store.js';
import { systemClock } from '../src/system-clock.js';
import type { Clock } from '../src/domain/clock.js';
import { buildDirectory } from '../src/use-cases/directory.js';
import { importPlannedReferrals } from '../src/use-cases/planned-referrals.use-case.js';
import { slackReach } from '../src/slack/slack-reach.js';
import { teamsReach } from '../src/teams/teams-reach.js';

const USAGE = 'usage: npm run import:releases -- --unit <unit id> [--provider <unit id>] [--by <person id>] file.csv';

export const parseImportArgs = (argv: string[]): { unit: string; provider?: string; by?: string; file: string } | { error: string } => {
  const options: Record<string, string> = {};
  const files: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] as string;
    const match = /^--(unit|provider|by)(?:=(.*))?$/.exec(arg);
    if (!match) {
      if (arg.startsWith('--')) return { error: `unknown argument "${arg}"` };
      files.push(arg);
      continue;
    }
    let value = match[2];
    if (value === undefined) {
      index += 1;
      value = argv[index];
    }
    if (!value) return { error: `--${match[1]} needs a value` };
    options[match[1] as string] = value;
  }
  if (!options.unit) return { error: '--unit is required' };
  if (files.length !== 1) return { error: 'give exactly one CSV file' };
  return { unit: options.unit, provider: options.provider, by: options.by, file: files[0] as string };
};

export const runImportCli = async (args: {
  argv: string[];
  env: Record<string, string | undefined>;
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  clock?: Clock;
}): Promise<number> => {
  const parsed = parseImportArgs(args.argv);
  if ('error' in parsed) {
    args.stderr(`dutydesk import: ${parsed.error}\n${USAGE}\n`);
    return 2;
  }
  let csv: string;
  try {
    csv = readFileSync(path.resolve(args.cwd, parsed.file), 'utf8');
  } catch (error) {
    args.stderr(`dutydesk import: cannot read ${parsed.file} (${(error as NodeJS.ErrnoException).code ?? 'error'})\n`);
    return 2;
  }
  let database;
  try {
    const env = parseEnv(args.env);
    const org = loadOrgFile(resolveOrgFile({ orgFile: env.ORG_FILE, cwd: args.cwd }));
    database = await openDatabase({ databaseUrl: env.DATABASE_URL, migrationsUrl: env.MIGRATIONS_DATABASE_URL, dataDir: path.resolve(args.cwd, env.DATA_DIR) });
    // Both platforms' reach, as the bot registers them: the officers' DMs are queued here and sent by the bot.
    const ctx = { store: createStore(database), directory: buildDirectory(org), clock: args.clock ?? systemClock, reach: [slackReach, teamsReach] };
    // The people and units of the org file, as the bot keeps them (the officers the rows name must be on record).
    await ctx.store.transaction((repos) => repos.org.sync(org));
    const result = await importPlannedReferrals({ ctx, unitId: parsed.unit, csv, providerUnitId: parsed.provider, importedBy: parsed.by });
    if (!result.ok) {
      for (const line of result.errors) args.stderr(`dutydesk import: ${parsed.file}: ${line}\n`);
      args.stderr(`dutydesk import: nothing imported (${result.errors.length} problem${result.errors.length === 1 ? '' : 's'})\n`);
      return 1;
    }
    args.stdout(
      `Imported ${result.count} planned referral${result.count === 1 ? '' : 's'} for ${ctx.directory.unit(parsed.unit)?.name ?? parsed.unit} (${result.refs[0]} to ${result.refs.at(-1)}); ${result.officersTold} officer${result.officersTold === 1 ? '' : 's'} told by direct message.\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof DataDirInUseError) {
      args.stderr('dutydesk import: the bot is running on this embedded database. Stop it and run the import again, or use a PostgreSQL server (DATABASE_URL).\n');
      return 3;
    }
    if (error instanceof ConfigError) {
      for (const line of error.problems) args.stderr(`dutydesk import: configuration error: ${line}\n`);
      return 1;
    }
    args.stderr(`dutydesk import: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await database?.close();
  }
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await runImportCli({
    argv: process.argv.slice(2),
    env: process.env,
    cwd: process.cwd(),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
}
