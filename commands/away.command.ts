import { DomainError } from '../src/domain/errors.js';
import { endAbsence, listAbsences, recordAbsence } from '../src/use-cases/away.use-case.js';
import type { TextCommand } from './command.types.js';
import { resolvePersonToken } from './duty.command.js';

const RANGE = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/;

/** `/away` in all its forms (shared/interface.md "Absence and delegation"), read from what was typed. */
export type AwayRequest = { kind: 'list' } | { kind: 'off'; personId: string } | { kind: 'record'; personId: string; from: string | null; until: string; delegateId: string | null };

const usage = () => new DomainError({ code: 'away.usage' });

export const parseAway = (args: { text: string; actorId: string; resolve: (token: string) => string | undefined }): AwayRequest => {
  const tokens = args.text.trim().match(/<@[^>]+>|<at>.*?<\/at>|\S+/gi) ?? [];
  if (tokens.length === 0) return { kind: 'list' };
  let personId = args.actorId;
  const first = tokens[0] as string;
  if (/^(@|<@|<at>)/i.test(first)) {
    const named = args.resolve(first);
    if (!named) throw new DomainError({ code: 'away.delegate_unknown', details: { input: first } });
    personId = named;
    tokens.shift();
  }
  const word = tokens.shift()?.toLowerCase();
  if (word === 'off' && tokens.length === 0) return { kind: 'off', personId };
  let from: string | null = null;
  let until: string;
  if (word === 'until') {
    until = tokens.shift() ?? '';
    if (!until) throw usage();
  } else {
    const range = word ? RANGE.exec(word) : null;
    if (!range) throw usage();
    from = range[1] as string;
    until = range[2] as string;
  }
  if (tokens.length > 1) throw usage();
  const delegateToken = tokens[0];
  const delegateId = delegateToken ? (args.resolve(delegateToken) ?? null) : null;
  if (delegateToken && !delegateId) throw new DomainError({ code: 'away.delegate_unknown', details: { input: delegateToken } });
  return { kind: 'record', personId, from, until, delegateId };
};

export const awayCommand: TextCommand = {
  name: 'away',
  description: 'Who is away; record an absence (yours, or for your team) and who acts meanwhile',
  usageHint: '[@person] [until YYYY-MM-DD | YYYY-MM-DD..YYYY-MM-DD | off] [@delegate]',
  async run({ ctx, actorId, text, platform }) {
    const request = parseAway({ text, actorId, resolve: (token) => resolvePersonToken({ directory: ctx.directory, token }) });
    if (request.kind === 'list') {
      const list = await listAbsences({ ctx, actorId });
      return { message: { text: list.text, title: list.title, fields: [], lines: list.lines, actions: [] }, private: true };
    }
    const done =
      request.kind === 'off'
        ? await endAbsence({ ctx, actorId, personId: request.personId, platform })
        : await recordAbsence({ ctx, actorId, personId: request.personId, from: request.from, until: request.until, delegateId: request.delegateId, platform });
    return { message: { text: done.text, title: 'Away', fields: [], lines: [done.text], actions: [] }, private: true };
  },
};
