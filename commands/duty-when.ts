import type { OrgUnit } from '../src/config/org.schema.js';
import { DomainError } from '../src/domain/errors.js';
import { type DutyWhen, parseDutyWhen } from '../src/domain/duty-rota.js';
import { localDate } from '../src/domain/time/working-time.js';
import type { ChatMessage } from '../src/use-cases/chat-message.js';
import type { UseCaseContext } from '../src/use-cases/context.js';
import type { setDuty } from '../src/use-cases/duty.use-case.js';
import { words } from '../src/words/catalogue.js';

/** A trailing day part: today, tomorrow, or anything that starts like a date (a malformed one is refused, not taken for a name). */
const WHEN_AT_END = /(?:^|\s)(today|tomorrow|\d\S*(?:\s*\.\.\s*\S*)?)$/i;

const REFUSAL = {
  malformed: 'duty.date_malformed',
  past: 'duty.date_past',
  end_before_start: 'duty.range_end_before_start',
  too_long: 'duty.range_too_long',
} as const;

/** Split `@ben 2026-11-30..2026-12-02` into the people part and the days (today when none is given). */
export const splitDutyWhen = (args: { ctx: UseCaseContext; text: string }): { people: string; when: DutyWhen } => {
  const today = localDate({ calendar: args.ctx.directory.calendar, at: args.ctx.clock.now() });
  const match = WHEN_AT_END.exec(args.text.trim());
  const people = match ? args.text.trim().slice(0, match.index).trim() : args.text.trim();
  const parsed = parseDutyWhen({ text: match?.[1] ?? '', today });
  if (!parsed.ok) throw new DomainError({ code: REFUSAL[parsed.reason], details: { input: parsed.input } });
  return { people, when: parsed.when };
};

/** The private confirmation of a duty change. */
export const dutyChangeReply = (args: { ctx: UseCaseContext; unit: OrgUnit; result: Awaited<ReturnType<typeof setDuty>> }): ChatMessage => {
  const { ctx, unit, result } = args;
  const names = (ids: string[]) => (ids.length ? ids.map((id) => ctx.directory.person(id)?.name ?? id).join(', ') : 'nobody');
  const days =
    result.onDate === result.untilDate
      ? result.onDate === result.today
        ? words('rota.days_today', { date: result.onDate })
        : words('rota.days_one', { date: result.onDate })
      : words('rota.days_range', { from: result.onDate, until: result.untilDate });
  return {
    text: words('rota.changed_text', { unit: unit.name, days, people: names(result.personIds), before: names(result.previous) }),
    title: words('rota.changed_title', { unit: unit.name }),
    fields: [
      { label: words('rota.field_unit'), value: unit.name },
      { label: words('rota.field_days'), value: days },
      { label: words('rota.field_on_duty'), value: names(result.personIds) },
      { label: words('rota.field_before'), value: names(result.previous) },
    ],
    actions: [],
  };
};
