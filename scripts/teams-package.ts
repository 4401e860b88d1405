// Builds the Teams app package to upload (Teams admin centre, Developer Portal or "Upload a custom app"):
// teams/build/dutydesk-teams.zip = manifest.json (placeholders filled from the environment) + the two icons.
// Run: MICROSOFT_APP_ID=<bot app id> npm run teams:package
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMMANDS } from '../commands/index.js';
import { HOME_COMMAND } from '../src/teams/teams-everywhere.js';
import { pngSize } from './teams-icons.js';
import { writeZip } from './zip-writer.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ICONS = { 'color.png': 192, 'outline.png': 32 } as const;

export class PackageError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'PackageError';
  }
}

/** The managers' board is the personal tab; without BOARD_URL the package is built without the tab. */
const OPTIONAL = new Set(['BOARD_URL', 'BOARD_HOST']);

const boardHost = (url: string | undefined) => {
  try {
    return url ? new URL(url).host : undefined;
  } catch {
    return undefined;
  }
};

const defaults = (env: Record<string, string | undefined>): Record<string, string | undefined> => {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  return {
    TEAMS_APP_ID: env.MICROSOFT_APP_ID,
    TEAMS_APP_VERSION: pkg.version,
    TEAMS_DEVELOPER_NAME: 'DutyDesk',
    TEAMS_DEVELOPER_URL: 'https://example.org/dutydesk',
    TEAMS_PRIVACY_URL: 'https://example.org/dutydesk/privacy',
    TEAMS_TERMS_URL: 'https://example.org/dutydesk/terms',
    BOARD_HOST: boardHost(env.BOARD_URL),
  };
};

/** The manifest text with every ${{NAME}} replaced; each missing or malformed value is one problem line. */
export const renderManifest = (args: { template: string; env: Record<string, string | undefined> }) => {
  const values = { ...defaults(args.env), ...Object.fromEntries(Object.entries(args.env).filter(([, v]) => v !== undefined && v.trim() !== '')) };
  const problems: string[] = [];
  const text = args.template.replace(/\$\{\{\s*([A-Z0-9_]+)\s*\}\}/g, (_match, name: string) => {
    const value = values[name]?.trim();
    if (!value && OPTIONAL.has(name)) return '';
    if (!value) {
      if (name === 'TEAMS_APP_ID' && !values.MICROSOFT_APP_ID) return ''; // reported once, as MICROSOFT_APP_ID
      problems.push(`environment ${name}: required to build the Teams package${name === 'MICROSOFT_APP_ID' ? ' (the bot registration’s application (client) id)' : ''}`);
      return '';
    }
    if ((name === 'MICROSOFT_APP_ID' || name === 'TEAMS_APP_ID') && !GUID.test(value))
      problems.push(`environment ${name}: expected a GUID such as 00000000-0000-0000-0000-000000000000, got "${value}"`);
    if (name.endsWith('_URL') && !/^https:\/\//.test(value)) problems.push(`environment ${name}: expected an https:// URL, got "${value}"`);
    if (name === 'TEAMS_APP_VERSION' && !/^\d+\.\d+\.\d+$/.test(value)) problems.push(`environment ${name}: expected a version such as 1.0.0, got "${value}"`);
    return JSON.stringify(value).slice(1, -1);
  });
  return { text, problems };
};

/** Checks the filled-in manifest against what Teams and DutyDesk need. */
export const checkManifest = (manifest: Record<string, any>): string[] => {
  const problems: string[] = [];
  const bot = manifest.bots?.[0];
  if (!bot || !bot.scopes?.includes('personal')) problems.push('manifest.json: one bot with the "personal" scope is required');
  type CommandList = { scopes: string[]; commands: { title: string }[] };
  const lists: CommandList[] = bot?.commandLists ?? [];
  // Every scope the bot is in lists every command (a mention outside the personal chat is answered inside it);
  // the personal scope also has `home` (teams-everywhere.ts).
  for (const scope of bot?.scopes ?? []) {
    const titles = new Set(lists.filter((list) => list.scopes.includes(scope)).flatMap((list) => list.commands.map((c) => c.title)));
    for (const command of [...COMMANDS.map((c) => c.name), 'help', ...(scope === 'personal' ? [HOME_COMMAND] : [])]) {
      if (!titles.has(command)) problems.push(`manifest.json: the ${scope} command list lacks "${command}" (commands/index.ts registers it)`);
    }
  }
  for (const list of lists) if (list.commands.length > 10) problems.push('manifest.json: Teams allows at most 10 bot commands per command list');
  for (const list of bot?.commandLists ?? []) {
    for (const c of list.commands as { title: string; description: string }[]) {
      if (c.title.length > 32 || c.description.length > 128) problems.push(`manifest.json: command "${c.title}" title ≤ 32 and description ≤ 128 characters`);
    }
  }
  if (String(manifest.name?.short ?? '').length > 30) problems.push('manifest.json: name.short is at most 30 characters');
  if (String(manifest.description?.short ?? '').length > 80) problems.push('manifest.json: description.short is at most 80 characters');
  return problems;
};

export const buildTeamsPackage = (args: { env: Record<string, string | undefined>; outFile?: string }) => {
  const teamsDir = path.join(root, 'teams');
  const rendered = renderManifest({ template: readFileSync(path.join(teamsDir, 'manifest.json'), 'utf8'), env: args.env });
  if (rendered.problems.length > 0) throw new PackageError(rendered.problems);
  const manifest = JSON.parse(rendered.text) as Record<string, any>;
  if (!args.env.BOARD_URL?.trim()) {
    delete manifest.staticTabs;
    manifest.validDomains = (manifest.validDomains as string[]).filter((domain) => domain !== '');
  } else {
    for (const tab of manifest.staticTabs ?? []) for (const key of ['contentUrl', 'websiteUrl']) tab[key] = String(tab[key]).replace(/([^:])\/\/+/g, '$1/');
  }
  const problems = checkManifest(manifest);
  const icons = Object.entries(ICONS).map(([name, size]) => {
    const data = readFileSync(path.join(teamsDir, name));
    const actual = pngSize(data);
    if (!actual || actual.width !== size || actual.height !== size) problems.push(`teams/${name}: expected a ${size}x${size} PNG`);
    return { name, data };
  });
  if (problems.length > 0) throw new PackageError(problems);
  const outFile = args.outFile ?? path.join(teamsDir, 'build', 'dutydesk-teams.zip');
  mkdirSync(path.dirname(outFile), { recursive: true });
  writeFileSync(outFile, writeZip([{ name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) }, ...icons]));
  return { outFile, manifest };
};

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const { outFile, manifest } = buildTeamsPackage({ env: process.env });
    console.log(`wrote ${path.relative(process.cwd(), outFile)} (app id ${manifest.id}, version ${manifest.version}, bot ${manifest.bots[0].botId})`);
  } catch (error) {
    if (!(error instanceof PackageError)) throw error;
    for (const problem of error.problems) console.error(problem);
    process.exit(1);
  }
}
