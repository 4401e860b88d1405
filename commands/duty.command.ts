import { DomainError } from '../src/domain/errors.js';
import { localDateTime } from '../src/domain/time/time-format.js';
import type { UseCaseContext } from '../src/use-cases/context.js';
import type { Directory } from '../src/use-cases/directory.js';
import { dutyBoard, dutyHistory, dutyWeek, setDuty } from '../src/use-cases/duty.use-case.js';
import { dutyChangeReply, splitDutyWhen } from './duty-when.js';
import type { TextCommand } from './command.types.js';

/**
 * One person from what a user typed: `@dev` (the form both adapters normalise mentions to), a person id, a Slack
 * user id or a full name; a raw Slack or Teams mention is still read, for callers that run the command directly.
 */
export const resolvePersonToken = (args: { directory: Directory; token: string }): string | undefined => {
  const { directory } = args;
  const token = args.token.trim();
  const slackMention = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(token);
  if (slackMention) return directory.personBySlack(slackMention[1] as string)?.id;
  const teamsMention = /^<at>(.+)<\/at>$/i.exec(token);
  const bare = (teamsMention ? (teamsMention[1] as string) : token).replace(/^@/, '').trim();
  if (!bare) return undefined;
  if (directory.person(bare)) return bare;
  const bySlack = directory.personBySlack(bare.toUpperCase());
  if (bySlack) return bySlack.id;
  const lower = bare.toLowerCase();
  return directory.org.people.find((entry) => entry.id.toLowerCase() === lower || entry.name.toLowerCase() === lower)?.id;
};

/** Split the people part into tokens, keeping mentions (which may contain spaces) whole. */
const personTokens = (text: string) => text.match(/<@[^>]+>|<at>.*?<\/at>|\S+/gi) ?? [];

const parsePeople = (args: { directory: Directory; text: string }): string[] => {
  const tokens = personTokens(args.text).filter((token) => !/^(and|,)$/i.test(token));
  const ids = tokens.map((token) => resolvePersonToken({ directory: args.directory, token: token.replace(/,$/, '') }));
  if (ids.every((id): id is string => Boolean(id))) return ids;
  // "Dev Patel" typed without a mention: the whole rest as one name.
  const whole = resolvePersonToken({ directory: args.directory, token: args.text });
  if (whole) return [whole];
  const unknown = tokens.find((_, index) => !ids[index]);
  throw new DomainError({ code: 'person.unknown', details: { input: unknown } });
};

const unitFrom = (ctx: UseCaseContext, token: string) => {
  const wanted = token.replace(/^#/, '').toLowerCase();
  const unit = ctx.directory.org.units.find((entry) => entry.id.toLowerCase() === wanted);
  if (!unit) throw new DomainError({ code: 'unit.unknown', details: { unitId: token } });
  return unit;
};

export const dutyCommand: TextCommand = {
  name: 'duty',
  description: "Show or set a unit's duty officer for today, a later day or a range of days; week shows the next 7 days",
  usageHint: '[unit] [@person] [today|tomorrow|YYYY-MM-DD|YYYY-MM-DD..YYYY-MM-DD], or [unit] week',
  async run({ ctx, actorId, text, platform }) {
    const trimmed = text.trim();
    if (!trimmed) return { message: await dutyBoard({ ctx }), private: true };
    const [unitToken, ...rest] = trimmed.split(/\s+/);
    const unit = unitFrom(ctx, unitToken as string);
    const peopleText = trimmed.slice((unitToken as string).length).trim();
    if (rest.length === 0 || !peopleText) {
      const board = await dutyBoard({ ctx, unitId: unit.id });
      const history = (await dutyHistory({ ctx, unitId: unit.id })).slice(0, 5);
      const zone = ctx.directory.org.timezone;
      const lines = [
        ...(board.lines ?? []),
        ...history.map((row) => {
          const who = row.personIds.map((id) => ctx.directory.person(id)?.name ?? id).join(', ');
          const by = row.setBy ? (ctx.directory.person(row.setBy)?.name ?? row.setBy) : 'the rota';
          return `  ${row.onDate}: ${who} — set by ${by}, ${localDateTime({ timeZone: zone, at: row.setAt })}`;
        }),
      ];
      return { message: { ...board, lines }, private: true };
    }
    if (/^week$/i.test(peopleText)) return { message: await dutyWeek({ ctx, unitId: unit.id }), private: true };
    const { people, when } = splitDutyWhen({ ctx, text: peopleText });
    const personIds = parsePeople({ directory: ctx.directory, text: people });
    const result = await setDuty({ ctx, actorId, unitId: unit.id, personIds, platform, when });
    return { message: dutyChangeReply({ ctx, unit, result }), private: true };
  },
};
