import { DomainError } from '../domain/errors.js';
import type { DutyOnDay, DutyWhen } from '../domain/duty-rota.js';
import { mayChangeDuty } from '../domain/policy/org.policy.js';
import { localDateTime } from '../domain/time/time-format.js';
import { localDate } from '../domain/time/working-time.js';
import { words } from '../words/catalogue.js';
import type { ChatMessage } from './chat-message.js';
import type { Platform, UseCaseContext } from './context.js';
import { handOverDuty, turnDutyDay } from './duty-handover.use-case.js';
import { dutyDays, dutyOn } from './duty-rota.js';
import { orgViewWithDuty } from './org-view.js';

const names = (ctx: UseCaseContext, ids: readonly string[]) => (ids.length > 0 ? ids.map((id) => ctx.directory.person(id)?.name ?? id).join(', ') : words('rota.nobody'));

/** Today's duty officer(s) for every unit (or one unit), with who set them and when. */
export const dutyBoard = async (args: { ctx: UseCaseContext; unitId?: string }): Promise<ChatMessage> => {
  const { ctx } = args;
  const { directory } = ctx;
  const now = ctx.clock.now();
  const today = localDate({ calendar: directory.calendar, at: now });
  const units = args.unitId ? [directory.unit(args.unitId)] : directory.org.units;
  if (units.some((unit) => !unit)) throw new DomainError({ code: 'unit.unknown', details: { unitId: args.unitId } });
  const lines: string[] = [];
  const fields: { label: string; value: string }[] = [];
  for (const unit of units) {
    if (!unit) continue;
    const duty = await dutyOn({ repos: ctx.store.repos, directory, unitId: unit.id, date: today });
    const source =
      duty.source.kind === 'change'
        ? `set by ${names(ctx, duty.source.setBy ? [duty.source.setBy] : [])} at ${localDateTime({ timeZone: directory.org.timezone, at: duty.source.setAt }).slice(-5)}`
        : 'rota';
    fields.push({ label: unit.name, value: names(ctx, duty.personIds) });
    lines.push(`${unit.name} (${unit.id}): ${names(ctx, duty.personIds)} — ${source}`);
  }
  return {
    text: `Duty officers today (${today})`,
    title: `Duty today, ${today}`,
    fields,
    lines,
    actions: [],
  };
};

const sourceWords = (ctx: UseCaseContext, day: DutyOnDay) => {
  if (day.source.kind === 'rota') return words('rota.source_rota');
  if (day.source.kind === 'default') return words('rota.source_default');
  return words('rota.source_change', {
    who: day.source.setBy ? names(ctx, [day.source.setBy]) : words('rota.source_rota'),
    when: localDateTime({ timeZone: ctx.directory.org.timezone, at: day.source.setAt }),
  });
};

const weekdayLabel = (date: string) => `${new Date(`${date}T12:00:00Z`).toLocaleDateString('en-GB', { weekday: 'short', timeZone: 'UTC' })} ${date}`;

/** The next 7 days of a unit's duty, each with where it comes from: a change (by whom, when), the rota or the default. */
export const dutyWeek = async (args: { ctx: UseCaseContext; unitId: string }): Promise<ChatMessage> => {
  const { ctx } = args;
  const unit = ctx.directory.unit(args.unitId);
  if (!unit) throw new DomainError({ code: 'unit.unknown', details: { unitId: args.unitId } });
  const days = await dutyDays({ repos: ctx.store.repos, directory: ctx.directory, unitId: unit.id, now: ctx.clock.now(), days: 7 });
  const lines = days.map((day) => words('rota.day_line', { day: weekdayLabel(day.date), people: names(ctx, day.personIds), source: sourceWords(ctx, day) }));
  return {
    text: words('rota.week_text', { unit: unit.name, from: days[0]?.date ?? '', until: days.at(-1)?.date ?? '' }),
    title: words('rota.week_title', { unit: unit.name }),
    fields: [],
    lines,
    actions: [],
  };
};

/**
 * Set the duty officer(s) of a unit for today, a later day or a range of days. Allowed for the unit's manager
 * and senior manager and for whoever is on duty there now. Kept as a new row (history) and audited as
 * 'duty.changed'. When today's duty changes, the desk's pending requests go to the new officer at once.
 */
export const setDuty = async (args: { ctx: UseCaseContext; actorId: string; unitId: string; personIds: string[]; platform: Platform; when?: DutyWhen }) => {
  const { ctx, actorId } = args;
  const { directory } = ctx;
  if (!directory.person(actorId)) throw new DomainError({ code: 'person.unknown' });
  const unit = directory.unit(args.unitId);
  if (!unit) throw new DomainError({ code: 'unit.unknown', details: { unitId: args.unitId } });
  const personIds = [...new Set(args.personIds)];
  if (personIds.length === 0) throw new DomainError({ code: 'input.invalid', details: { field: 'person' } });
  const unknown = personIds.find((id) => !directory.person(id));
  if (unknown) throw new DomainError({ code: 'person.unknown', details: { personId: unknown } });
  const now = ctx.clock.now();
  const today = localDate({ calendar: directory.calendar, at: now });
  const when = args.when ?? { from: today, until: today };
  if (when.from < today) throw new DomainError({ code: 'duty.date_past', details: { input: when.from } });
  // The day's own turn first, so a change made just after midnight hands over from whoever really holds the desk.
  await turnDutyDay({ ctx, unitId: unit.id, now });
  const result = await ctx.store.transaction(async (repos) => {
    const current = (await dutyOn({ repos, directory, unitId: unit.id, date: today })).personIds;
    const org = orgViewWithDuty({ directory, duty: new Map([[unit.id, current]]) });
    const allowed = mayChangeDuty({ org, unitId: unit.id, personId: actorId });
    if (!allowed) throw new DomainError({ code: 'duty.not_allowed', details: { unitId: unit.id } });
    // Only the unit's own people: whoever is on duty can accept escalations for the unit.
    const ownPeople = new Set([...unit.members, unit.manager, ...unit.duty]);
    const outsider = personIds.find((id) => !ownPeople.has(id));
    if (outsider) throw new DomainError({ code: 'duty.not_unit_member', details: { personId: outsider, unitId: unit.id } });
    const previous = (await dutyOn({ repos, directory, unitId: unit.id, date: when.from })).personIds;
    const row = await repos.duty.set({ unitId: unit.id, onDate: when.from, untilDate: when.until, personIds, setBy: actorId, at: now });
    await repos.records.audit({
      at: now,
      actorId,
      event: 'duty.changed',
      details: { unitId: unit.id, onDate: when.from, untilDate: when.until, from: previous, to: personIds, dutyAssignmentId: row.id, platform: args.platform },
    });
    const handover =
      when.from === today
        ? await handOverDuty({ repos, directory, workflows: ctx.workflows, reach: ctx.reach, unitId: unit.id, onDate: today, from: current, to: personIds, key: `change:${row.id}`, actorId, now })
        : { moved: 0 };
    return { row, previous, handover };
  });
  if (result.handover.moved > 0) ctx.onCommitted?.({ outbox: true, deadlines: false });
  ctx.logger.info({ event: 'duty.changed', unitId: unit.id, actorId, dutyAssignmentId: result.row.id, handedOver: result.handover.moved }, 'duty.changed');
  return { unit, onDate: when.from, untilDate: when.until, today, personIds, previous: result.previous, row: result.row, handedOver: result.handover.moved };
};

/** Every duty change for a unit, newest first, with who made it and when. */
export const dutyHistory = async (args: { ctx: UseCaseContext; unitId: string }) => {
  if (!args.ctx.directory.unit(args.unitId)) throw new DomainError({ code: 'unit.unknown', details: { unitId: args.unitId } });
  return args.ctx.store.repos.duty.history({ unitId: args.unitId });
};
