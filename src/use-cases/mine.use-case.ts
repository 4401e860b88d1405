import type { Owner } from '../db/schema.js';
import { DomainError } from '../domain/errors.js';
import type { Recipient } from '../domain/workflow.types.js';
import { localDateTime } from '../domain/time/time-format.js';
import { actionButtons, refOf } from '../presenters/item-message.presenter.js';
import { stateWords, words } from '../words/catalogue.js';
import type { ChatAction, ChatMessage } from './chat-message.js';
import type { UseCaseContext } from './context.js';
import { resolveRecipient } from './effects.js';
import { orgViewFor } from './org-view.js';
import { type AnyModule, type ItemRecord, dutyUnitsOf } from './workflows/workflow-module.js';

/** How many of my items one answer lists, and Slack's 25 buttons in one actions block. */
const MAX_ITEMS = 40;
const MAX_ACTIONS = 25;

/**
 * `/cases mine`: what I raised and where each stands (state, who owes the next step and by when), newest first,
 * with the buttons I may press on each (Withdraw, Edit and resubmit, Change release date). Private to me.
 */
export const myRaised = async (args: { ctx: UseCaseContext; personId: string }): Promise<ChatMessage> => {
  const { ctx, personId } = args;
  const { directory } = ctx;
  if (!directory.person(personId)) throw new DomainError({ code: 'person.unknown' });
  const repos = ctx.store.repos;
  const now = ctx.clock.now();
  const escalation = ctx.workflows.get('escalation') as AnyModule;
  const referral = ctx.workflows.get('referral') as AnyModule;
  const rows: { module: AnyModule; row: ItemRecord }[] = [
    ...(await repos.raised.escalationsRaisedBy({ personId, limit: MAX_ITEMS + 1 })).map((row) => ({ module: escalation, row })),
    ...(await repos.raised.referralsRaisedBy({ personId, limit: MAX_ITEMS + 1 })).map((row) => ({ module: referral, row })),
  ].sort((a, b) => b.row.createdAt.getTime() - a.row.createdAt.getTime() || b.row.id - a.row.id);
  const shown = rows.slice(0, MAX_ITEMS);
  const org = await orgViewFor({ repos, directory, now, dutyUnits: shown.flatMap(({ module, row }) => dutyUnitsOf(module, row)) });
  const lines: string[] = [];
  const actions: ChatAction[] = [];
  let open = 0;
  for (const { module, row } of shown) {
    const ref = refOf(module, row.id);
    const terminal = module.definition.terminal.includes(row.state);
    if (!terminal) open += 1;
    const deadlines = terminal ? [] : await repos.deadlines.openForItem({ itemType: module.definition.itemType, itemId: row.id });
    const next = deadlines.filter((deadline) => !module.hiddenDue?.includes(deadline.kind as never)).sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())[0];
    let nextText = '';
    if (next) {
      const people = new Set<string>();
      for (const owner of next.owners as Owner[]) {
        for (const id of (await resolveRecipient({ repos, directory, recipient: owner as unknown as Recipient, now })).personIds) people.add(id);
      }
      const who = [...people].map((id) => directory.nameOf(id)).join(', ') || '—';
      nextText = words('mine.next', { who, due: localDateTime({ timeZone: directory.org.timezone, at: next.dueAt }) });
    }
    lines.push(words('mine.line', { ref, crn: row.crn, state: stateWords(row.state, module.definition.itemType), next: nextText }));
    actions.push(...actionButtons({ module, row, personId, org, on: 'mine' }).map((action) => ({ ...action, label: `${ref}: ${action.label}` })));
  }
  if (rows.length > MAX_ITEMS) lines.push(words('mine.more', { count: rows.length - MAX_ITEMS }));
  const text = shown.length === 0 ? words('mine.none') : words('mine.summary', { count: shown.length, open });
  return { text, title: words('mine.title'), fields: [], lines, actions: actions.slice(0, MAX_ACTIONS) };
};
