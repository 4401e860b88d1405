import { DomainError } from '../domain/errors.js';
import { mayChangeDuty } from '../domain/policy/org.policy.js';
import { localDateTime } from '../domain/time/time-format.js';
import { localDate } from '../domain/time/working-time.js';
import type { ChatMessage } from './chat-message.js';
import type { Platform, UseCaseContext } from './context.js';
import { dutyToday } from './effects.js';
import { orgViewWithDuty } from './org-view.js';

const names = (ctx: UseCaseContext, ids: readonly string[]) => (ids.length > 0 ? ids.map((id) => ctx.directory.person(id)?.name ?? id).join(', ') : 'nobody (the unit manager is told instead)');

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
    const change = await ctx.store.repos.duty.latest({ unitId: unit.id, onDate: today });
    const ids = change ? change.personIds : unit.duty;
    const source = change ? `set by ${names(ctx, change.setBy ? [change.setBy] : [])} at ${localDateTime({ timeZone: directory.org.timezone, at: change.setAt }).slice(-5)}` : 'rota';
    fields.push({ label: unit.name, value: names(ctx, ids) });
    lines.push(`${unit.name} (${unit.id}): ${names(ctx, ids)} — ${source}`);
  }
  return {
    text: `Duty officers today (${today})`,
    title: `Duty today, ${today}`,
    fields,
    lines,
    actions: [],
  };
};

/**
 * Set today's duty officer(s) for a unit. Allowed for the unit's manager and senior manager and for whoever is
 * on duty there now. Kept as a new row (history) and audited as 'duty.changed'.
 */
export const setDuty = async (args: { ctx: UseCaseContext; actorId: string; unitId: string; personIds: string[]; platform: Platform }) => {
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
  const result = await ctx.store.transaction(async (repos) => {
    const current = await dutyToday({ repos, directory, unitId: unit.id, now });
    const org = orgViewWithDuty({ directory, duty: new Map([[unit.id, current]]) });
    const allowed = mayChangeDuty({ org, unitId: unit.id, personId: actorId });
    if (!allowed) throw new DomainError({ code: 'duty.not_allowed', details: { unitId: unit.id } });
    // Only the unit's own people: whoever is on duty can accept escalations for the unit.
    const ownPeople = new Set([...unit.members, unit.manager, ...unit.duty]);
    const outsider = personIds.find((id) => !ownPeople.has(id));
    if (outsider) throw new DomainError({ code: 'duty.not_unit_member', details: { personId: outsider, unitId: unit.id } });
    const row = await repos.duty.set({ unitId: unit.id, onDate: today, personIds, setBy: actorId, at: now });
    await repos.records.audit({
      at: now,
      actorId,
      event: 'duty.changed',
      details: { unitId: unit.id, onDate: today, from: current, to: personIds, dutyAssignmentId: row.id, platform: args.platform },
    });
    return { row, previous: current };
  });
  ctx.logger.info({ event: 'duty.changed', unitId: unit.id, actorId, dutyAssignmentId: result.row.id }, 'duty.changed');
  return { unit, onDate: today, personIds, previous: result.previous, row: result.row };
};

/** Every duty change for a unit, newest first, with who made it and when. */
export const dutyHistory = async (args: { ctx: UseCaseContext; unitId: string }) => {
  if (!args.ctx.directory.unit(args.unitId)) throw new DomainError({ code: 'unit.unknown', details: { unitId: args.unitId } });
  return args.ctx.store.repos.duty.history({ unitId: args.unitId });
};
