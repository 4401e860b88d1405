import { CsvError, parse } from 'csv-parse/sync';
import { z } from 'zod';
import { crnSchema, nomsSchema } from '../domain/case-facts.js';
import { localDate } from '../domain/time/working-time.js';
import { itemRef } from './chat-message.js';
import type { UseCaseContext } from './context.js';
import { enqueueImportNotices } from './planned-import-notice.js';
import { storePlannedReferrals } from './planned-referral-store.js';
import { RELEASE_TYPES } from './workflows/referral.module.js';

/**
 * Planned referrals from a list of upcoming releases (a CSV per unit): each row a referral not yet sent, whose
 * refer-by deadline (release − weeksBeforeRelease, at the start of the working day) chases the officer, then their
 * manager, until it is sent. All rows or none: one line per bad row, and nothing stored unless every row is good.
 */

/** Columns by their normalised header ("Release date" → releasedate); the last two are optional. */
const REQUIRED = { crn: 'CRN', noms: 'NOMS', prison: 'prison', releasedate: 'release date', datetype: 'date type' } as const;
const OPTIONAL = ['officer', 'referraltype'] as const;
const normalise = (header: string) => header.toLowerCase().replace(/[^a-z]/g, '');

const MAX_ROWS = 5000;
const yearsAhead = (today: string, years: number) => `${Number(today.slice(0, 4)) + years}${today.slice(4)}`;

export type ImportResult = { ok: true; count: number; refs: string[]; officersTold: number } | { ok: false; errors: string[] };

const rowSchema = (args: { today: string; officers: readonly string[]; referralTypes: readonly string[] }) => {
  const types = new Map(Object.keys(RELEASE_TYPES).map((key) => [key.toLowerCase(), key]));
  return z.object({
    crn: z.string().pipe(crnSchema),
    noms: z.string().pipe(nomsSchema),
    prison: z.string().trim().min(2, 'enter the prison').max(100, 'keep the prison under 100 characters'),
    releasedate: z.iso
      .date({ message: 'expected a release date YYYY-MM-DD' })
      .refine((value) => value > args.today, 'the release date must be after today')
      .refine((value) => value <= yearsAhead(args.today, 3), 'the release date must be within 3 years from today'),
    datetype: z
      .string()
      .transform((value) => types.get(value.trim().toLowerCase()) ?? '')
      .refine((value) => value !== '', `expected a date type: ${Object.keys(RELEASE_TYPES).join(', ')}`),
    officer: z
      .string()
      .optional()
      .transform((value) => value?.trim() || undefined)
      .refine((value) => value === undefined || args.officers.includes(value), 'the officer is not in this unit'),
    referraltype: z
      .string()
      .optional()
      .transform((value) => value?.trim() || undefined)
      .refine((value) => value === undefined || args.referralTypes.includes(value), `expected a referral type: ${args.referralTypes.join(', ')}`),
  });
};

const LABELS: Record<string, string> = { ...REQUIRED, officer: 'officer', referraltype: 'referral type' };

export const importPlannedReferrals = async (args: {
  ctx: Pick<UseCaseContext, 'store' | 'directory' | 'clock' | 'onCommitted'> & { reach?: UseCaseContext['reach'] };
  unitId: string;
  csv: string;
  providerUnitId?: string;
  importedBy?: string;
}): Promise<ImportResult> => {
  const { ctx } = args;
  const { directory } = ctx;
  const unit = directory.unit(args.unitId);
  if (!unit) return { ok: false, errors: [`unit "${args.unitId}" is not in the org file`] };
  const providers = directory.referralProviders();
  const provider = args.providerUnitId ? providers.find((entry) => entry.id === args.providerUnitId) : providers.length === 1 ? providers[0] : undefined;
  if (!provider) return { ok: false, errors: [`choose the provider with --provider (one of: ${providers.map((entry) => entry.id).join(', ') || 'none receives referrals'})`] };
  const importedBy = args.importedBy ?? unit.manager;
  if (!directory.person(importedBy)) return { ok: false, errors: [`--by: "${importedBy}" is not in the org file`] };

  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(args.csv, { columns: (headers: string[]) => headers.map(normalise), skip_empty_lines: true, trim: true, bom: true, info: true, relax_column_count: true });
  } catch (error) {
    if (error instanceof CsvError) return { ok: false, errors: [`line ${(error as CsvError & { lines?: number }).lines ?? '?'}: ${error.message}`] };
    throw error;
  }
  const headers = new Set(Object.keys(records[0]?.record ?? {}));
  if (records.length === 0) {
    const first = args.csv.split(/\r?\n/, 1)[0] ?? '';
    for (const header of first.split(',')) headers.add(normalise(header));
  }
  const missing = Object.entries(REQUIRED).filter(([key]) => !headers.has(key));
  if (missing.length > 0) return { ok: false, errors: [`line 1: missing column${missing.length > 1 ? 's' : ''}: ${missing.map(([, label]) => label).join(', ')}`] };
  if (records.length === 0) return { ok: false, errors: ['the file has no rows'] };
  if (records.length > MAX_ROWS) return { ok: false, errors: [`the file has ${records.length} rows; import at most ${MAX_ROWS} at a time`] };

  const now = ctx.clock.now();
  const today = localDate({ calendar: directory.calendar, at: now });
  const schema = rowSchema({ today, officers: [...unit.members, unit.manager], referralTypes: directory.org.referralTypes });
  const errors: string[] = [];
  const rows: (z.output<typeof schema> & { line: number })[] = [];
  const seen = new Map<string, number>();
  for (const { record, info } of records) {
    const parsed = schema.safeParse(Object.fromEntries([...Object.keys(REQUIRED), ...OPTIONAL].map((key) => [key, record[key] ?? (key in REQUIRED ? '' : undefined)])));
    if (!parsed.success) {
      errors.push(`line ${info.lines}: ${parsed.error.issues.map((issue) => `${LABELS[String(issue.path[0])] ?? String(issue.path[0])}: ${issue.message}`).join('; ')}`);
      continue;
    }
    const key = `${parsed.data.crn}|${parsed.data.releasedate}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      errors.push(`line ${info.lines}: ${parsed.data.crn} with release ${parsed.data.releasedate} is already on line ${earlier}`);
      continue;
    }
    seen.set(key, info.lines);
    rows.push({ ...parsed.data, line: info.lines });
  }
  const existing = await ctx.store.repos.plannedReferrals.liveForCrns(rows.map((row) => row.crn));
  for (const row of rows) {
    const same = existing.find((entry) => entry.crn === row.crn && entry.releaseDate === row.releasedate);
    if (same) errors.push(`line ${row.line}: ${row.crn} already has a referral for release ${row.releasedate} (${itemRef('referral', same.id)})`);
  }
  if (errors.length > 0) return { ok: false, errors: errors.sort((a, b) => Number(/\d+/.exec(a)?.[0]) - Number(/\d+/.exec(b)?.[0])) };

  const inserted = await ctx.store.transaction(async (repos) => {
    const referralRows = await storePlannedReferrals({
      repos,
      directory,
      now,
      today,
      senderUnitId: unit.id,
      providerUnitId: provider.id,
      releases: rows.map((row) => ({
        crn: row.crn,
        noms: row.noms,
        prison: row.prison,
        releaseDate: row.releasedate,
        releaseType: row.datetype,
        referralType: row.referraltype ?? (directory.org.referralTypes[0] as string),
        officer: row.officer ?? unit.manager,
      })),
      actorId: importedBy,
      platform: 'cli',
    });
    await repos.records.audit({
      at: now,
      actorId: importedBy,
      event: 'releases.imported',
      itemType: null,
      itemId: null,
      crn: null,
      details: { unitId: unit.id, providerUnitId: provider.id, count: referralRows.length },
    });
    const told = await enqueueImportNotices({ repos, directory, reach: ctx.reach ?? [], importedBy, unitName: unit.name, rows: referralRows, now });
    return { referralRows, told };
  });
  ctx.onCommitted?.({ outbox: inserted.told > 0, deadlines: true });
  return { ok: true, count: inserted.referralRows.length, refs: inserted.referralRows.map((row) => itemRef('referral', row.id)), officersTold: inserted.told };
};
