import type { AbsenceRow } from '../db/absences.repository.js';
import type { Repositories } from '../db/store.js';
import { DomainError } from '../domain/errors.js';
import { type CoverSnapshot, absenceOf, delegateChain, effectiveDelegate, firstDelegate } from '../domain/policy/absence-cover.js';
import { localDate, startOfLocalDay } from '../domain/time/working-time.js';
import { words } from '../words/catalogue.js';
import type { Platform, UseCaseContext } from './context.js';
import type { Directory } from './directory.js';
import { coverAt } from './org-view.js';
import { deadlinesOwedBy, passRequest } from './pass-request.js';
import { dayText, lastDayText } from './away-words.js';

const DAY_MS = 86_400_000;
const YEAR_MS = 366 * DAY_MS;

/** The local day after a YYYY-MM-DD (calendar arithmetic on the date alone, no zone involved). */
const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);

const validDate = (text: string): string => {
  const ok = /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) && new Date(Date.parse(`${text}T00:00:00Z`)).toISOString().startsWith(text);
  if (!ok) throw new DomainError({ code: 'away.bad_date', details: { text } });
  return text;
};

/** "Fri 4 Dec" in the organisation's zone. */
/** The last day of an absence (it ends at the start of the day after). */

/** May the actor record or end an absence for this person? Themselves, or the manager, deputy or senior manager of one of their units. */
export const mayRecordFor = (args: { directory: Directory; actorId: string; personId: string }): boolean => {
  const { directory, actorId, personId } = args;
  if (actorId === personId) return true;
  const units = directory.org.units.filter((unit) => unit.members.includes(personId) || unit.duty.includes(personId) || unit.manager === personId);
  return units.some((unit) => (unit.manager === actorId && personId !== actorId) || unit.deputy === actorId || unit.seniorManager === actorId);
};

/** Why the delegate is who they are, for the confirmation. */
const whyDelegate = (args: { directory: Directory; personId: string; named: string | null; first: string }) => {
  if (args.named) return words('away.why.named');
  const units = args.directory.org.units;
  const managed = units.find((unit) => unit.manager === args.personId);
  if (managed?.deputy === args.first) return words('away.why.deputy');
  if (units.some((unit) => unit.manager === args.first)) return words('away.why.manager');
  return words('away.why.senior');
};

const asFacts = (rows: readonly AbsenceRow[]) => rows.map(({ id, personId, startsAt, endsAt, delegateId }) => ({ id, personId, startsAt, endsAt, delegateId }));

/** Pass every request the absent person owes to whoever covers them now; marks the absence as passed on. */
export const passOnStart = async (args: { ctx: UseCaseContext; repos: Repositories; absence: AbsenceRow; now: Date }): Promise<{ delegate: string | null; passed: number }> => {
  const { ctx, repos, absence, now } = args;
  if (!(await repos.absences.markPassed({ id: absence.id, at: now }))) return { delegate: null, passed: 0 };
  const cover = await coverAt({ repos, now });
  const delegate = effectiveDelegate({ units: ctx.directory.org.units, cover, personId: absence.personId });
  if (!delegate) return { delegate: null, passed: 0 };
  const { directory } = ctx;
  const reason = {
    code: 'absence.started',
    key: `absence${absence.id}`,
    toLine: words('away.to_line', { person: directory.nameOf(absence.personId), end: lastDayText(directory, absence.endsAt) }),
    fromLine: words('away.from_line', { delegate: directory.nameOf(delegate) }),
  };
  let passed = 0;
  for (const deadline of await deadlinesOwedBy({ ctx, repos, personId: absence.personId, now })) {
    if (await passRequest({ ctx, repos, deadline, from: absence.personId, to: delegate, reason, now })) passed += 1;
  }
  return { delegate, passed };
};

/** On the sweep's tick: every absence whose start has come and whose requests were not passed yet. */
export const passStartedAbsences = async (args: { ctx: UseCaseContext }): Promise<number> => {
  const { ctx } = args;
  const now = ctx.clock.now();
  const started = await ctx.store.repos.absences.startedNotPassed(now);
  let passed = 0;
  for (const absence of started) {
    const result = await ctx.store.transaction((repos) => passOnStart({ ctx, repos, absence, now }));
    passed += result.passed;
  }
  if (passed > 0) ctx.onCommitted?.({ outbox: true, deadlines: false });
  return passed;
};

/**
 * Record an absence: from now (`from` null) or from the start of `from`, to the end of `until` (organisation time
 * zone), with an optional named delegate. Every bad input is refused before anything is written.
 */
export const recordAbsence = async (args: { ctx: UseCaseContext; actorId: string; personId: string; from: string | null; until: string; delegateId: string | null; platform: Platform }) => {
  const { ctx, actorId, personId } = args;
  const { directory } = ctx;
  const zone = directory.org.timezone;
  if (!directory.person(actorId)) throw new DomainError({ code: 'person.unknown' });
  if (!mayRecordFor({ directory, actorId, personId })) throw new DomainError({ code: 'away.not_allowed', details: { person: personId } });
  const now = ctx.clock.now();
  const today = localDate({ calendar: directory.calendar, at: now });
  const until = validDate(args.until);
  const from = args.from === null ? null : validDate(args.from);
  if ((from ?? until) < today) throw new DomainError({ code: 'away.date_past', details: { date: from ?? until } });
  if (until < today) throw new DomainError({ code: 'away.date_past', details: { date: until } });
  if (from && until < from) throw new DomainError({ code: 'away.end_before_start', details: { start: from, end: until } });
  const startsAt = from && from > today ? startOfLocalDay({ timeZone: zone, date: from }) : now;
  const endsAt = startOfLocalDay({ timeZone: zone, date: nextDay(until) });
  if (endsAt.getTime() - startsAt.getTime() > YEAR_MS) throw new DomainError({ code: 'away.too_long' });
  if (args.delegateId === personId) throw new DomainError({ code: 'away.self_delegate', details: { person: personId } });
  if (args.delegateId && !directory.person(args.delegateId)) throw new DomainError({ code: 'away.delegate_unknown', details: { input: args.delegateId } });
  const result = await ctx.store.transaction(async (repos) => {
    const existing = await repos.absences.notOverAt(now);
    const clash = existing.find((row) => row.personId === personId && row.startsAt.getTime() < endsAt.getTime() && startsAt.getTime() < row.endsAt.getTime());
    if (clash) throw new DomainError({ code: 'away.overlaps', details: { person: personId, start: dayText(directory, clash.startsAt), end: lastDayText(directory, clash.endsAt) } });
    // The chain is judged at the absence's start, with this absence counted: a delegate away then is walked past.
    const planned = { id: 0, personId, startsAt, endsAt, delegateId: args.delegateId };
    const cover: CoverSnapshot = { at: startsAt, absences: [...asFacts(existing), planned] };
    const { chain, cycle } = delegateChain({ units: directory.org.units, cover, personId, named: args.delegateId });
    if (cycle) throw new DomainError({ code: 'away.delegate_cycle', details: { delegate: chain[0] ?? args.delegateId ?? '', person: personId } });
    const delegate = chain.at(-1);
    if (!delegate || absenceOf(cover, delegate)) throw new DomainError({ code: 'away.no_cover', details: { person: personId } });
    const row = await repos.absences.insert({ personId, startsAt, endsAt, delegateId: args.delegateId, recordedBy: actorId, recordedAt: now });
    await repos.records.audit({
      at: now,
      actorId,
      event: 'absence.recorded',
      details: { absenceId: row.id, personId, startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString(), delegateId: args.delegateId, delegate, platform: args.platform },
    });
    const passed = startsAt.getTime() <= now.getTime() ? await passOnStart({ ctx, repos, absence: row, now }) : { delegate, passed: 0 };
    return { row, chain, delegate, passed: passed.passed };
  });
  ctx.onCommitted?.({ outbox: true, deadlines: false });
  ctx.logger.info({ event: 'absence.recorded', absenceId: result.row.id, actorId }, 'absence.recorded');
  const first = result.chain[0] as string;
  const lines = [
    words('away.recorded', {
      person: directory.nameOf(personId),
      start: startsAt.getTime() <= now.getTime() ? words('away.now') : dayText(directory, startsAt),
      end: lastDayText(directory, endsAt),
      delegate: directory.nameOf(result.delegate),
      why: whyDelegate({ directory, personId, named: args.delegateId, first }),
    }),
  ];
  if (result.chain.length > 1) lines.push(words('away.recorded_chain', { named: directory.nameOf(first), delegate: directory.nameOf(result.delegate) }));
  if (result.passed > 0) lines.push(words('away.passed', { count: result.passed, delegate: directory.nameOf(result.delegate) }));
  return { absence: result.row, delegate: result.delegate, passed: result.passed, text: lines.join(' ') };
};

/** End a person's running absence now, and cut any ahead of it; the rows stay. Pending requests go back to them. */
export const endAbsence = async (args: { ctx: UseCaseContext; actorId: string; personId: string; platform: Platform }) => {
  const { ctx, actorId, personId } = args;
  const { directory } = ctx;
  if (!mayRecordFor({ directory, actorId, personId })) throw new DomainError({ code: 'away.not_allowed', details: { person: personId } });
  const now = ctx.clock.now();
  const ended = await ctx.store.transaction(async (repos) => {
    const before = await coverAt({ repos, now });
    const rows = (await repos.absences.notOverAt(now)).filter((row) => row.personId === personId);
    if (rows.length === 0) throw new DomainError({ code: 'away.none_to_end', details: { person: personId } });
    const delegate = effectiveDelegate({ units: directory.org.units, cover: before, personId });
    for (const row of rows) {
      await repos.absences.end({ id: row.id, by: actorId, at: now });
      await repos.records.audit({ at: now, actorId, event: 'absence.ended', details: { absenceId: row.id, personId, platform: args.platform } });
    }
    if (delegate) {
      const reason = {
        code: 'absence.ended',
        key: `back${rows[0]?.id}`,
        toLine: words('away.back_to_line', { person: directory.nameOf(personId) }),
        fromLine: words('away.back_from_line', { person: directory.nameOf(personId) }),
      };
      for (const deadline of await deadlinesOwedBy({ ctx, repos, personId, now })) await passRequest({ ctx, repos, deadline, from: delegate, to: personId, reason, now });
    }
    return rows.length;
  });
  ctx.onCommitted?.({ outbox: true, deadlines: false });
  return { ended, text: words('away.ended', { person: directory.nameOf(personId) }) };
};

/** Who in my units is away now or in the next 14 days, each with who acts for them. */
export const listAbsences = async (args: { ctx: UseCaseContext; actorId: string }) => {
  const { ctx, actorId } = args;
  const { directory } = ctx;
  const now = ctx.clock.now();
  const mine = directory.org.units.filter(
    (unit) => unit.members.includes(actorId) || unit.manager === actorId || unit.seniorManager === actorId || unit.deputy === actorId || unit.duty.includes(actorId),
  );
  const people = new Set(mine.flatMap((unit) => [unit.manager, ...unit.members, ...unit.duty, ...(unit.deputy ? [unit.deputy] : [])]));
  const rows = (await ctx.store.repos.absences.notOverAt(now)).filter((row) => people.has(row.personId) && row.startsAt.getTime() < now.getTime() + 14 * DAY_MS);
  const facts = asFacts(rows);
  const lines = rows.map((row) => {
    const at = row.startsAt.getTime() > now.getTime() ? row.startsAt : now;
    const cover: CoverSnapshot = { at, absences: facts };
    const delegate = effectiveDelegate({ units: directory.org.units, cover, personId: row.personId }) ?? firstDelegate({ units: directory.org.units, personId: row.personId, named: row.delegateId });
    const when =
      row.startsAt.getTime() <= now.getTime()
        ? words('away.list_now', { end: lastDayText(directory, row.endsAt) })
        : words('away.list_ahead', { start: dayText(directory, row.startsAt), end: lastDayText(directory, row.endsAt) });
    return words('away.list_line', { person: directory.nameOf(row.personId), when, delegate: delegate ? directory.nameOf(delegate) : words('away.nobody') });
  });
  return { lines, title: words('away.list_title'), text: lines.length > 0 ? words('away.list_title') : words('away.list_none') };
};
