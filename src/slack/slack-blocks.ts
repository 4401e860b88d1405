import type { ActionsBlock, Button, KnownBlock } from '@slack/types';
import { type ChatAction, type ChatMessage, encodeActionValue } from '../use-cases/chat-message.js';
import { escapeMrkdwn, mrkdwn, plain, truncate } from './slack-text.js';

/** Slack's documented limits that the renderer respects. */
export const LIMITS = {
  messageBlocks: 50,
  homeBlocks: 100,
  sectionText: 3000,
  sectionField: 2000,
  fieldsPerSection: 10,
  headerText: 150,
  buttonText: 75,
  buttonsPerActions: 25,
  fallbackText: 3000,
} as const;

/**
 * Decision buttons: action_id is the ChatAction id; Slack wants action_ids unique within a block, so a
 * repeat (a queue with two countersigns) gets `:2`, `:3` (the handler strips it; the value says which item).
 */
const buttons = (actions: ChatAction[]): Button[] => {
  const seen = new Map<string, number>();
  return actions.map((action) => {
    const count = (seen.get(action.id) ?? 0) + 1;
    seen.set(action.id, count);
    return {
      type: 'button',
      action_id: count === 1 ? action.id : `${action.id}:${count}`,
      text: plain(action.label, LIMITS.buttonText),
      value: encodeActionValue(action),
      ...(action.style ? { style: action.style } : {}),
    };
  });
};

/** The ChatAction id behind a button's action_id. */
export const actionIdOf = (actionId: string) => actionId.replace(/:\d+$/, '');

const chunk = <T>(items: T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

/** Lines packed into sections of at most 3000 escaped characters each. */
const lineSections = (lines: string[]): KnownBlock[] => {
  const blocks: KnownBlock[] = [];
  let current = '';
  for (const line of lines.map((entry) => truncate(escapeMrkdwn(entry), LIMITS.sectionText))) {
    if (current && current.length + 1 + line.length > LIMITS.sectionText) {
      blocks.push({ type: 'section', text: { type: 'mrkdwn', text: current } });
      current = '';
    }
    current = current ? `${current}\n${line}` : line;
  }
  if (current) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: current } });
  return blocks;
};

/** The plain notification/fallback text of a message (escaped: Slack parses it as mrkdwn). */
export const fallbackText = (message: ChatMessage): string => truncate(escapeMrkdwn(message.text || message.title), LIMITS.fallbackText);

/**
 * Render a ChatMessage as Block Kit: header, facts as fields, details (DMs only), lines, notice, buttons.
 * Every user-supplied string is escaped; everything is cut to Slack's limits; at most `maxBlocks` blocks.
 */
export const messageBlocks = (message: ChatMessage, options: { maxBlocks?: number; withActions?: boolean } = {}): KnownBlock[] => {
  const maxBlocks = options.maxBlocks ?? LIMITS.messageBlocks;
  const body: KnownBlock[] = [{ type: 'header', text: plain(message.title || message.text, LIMITS.headerText) }];
  for (const fields of chunk(message.fields, LIMITS.fieldsPerSection)) {
    body.push({
      type: 'section',
      fields: fields.map((field) => ({ type: 'mrkdwn' as const, text: truncate(`*${escapeMrkdwn(field.label)}*\n${escapeMrkdwn(field.value)}`, LIMITS.sectionField) })),
    });
  }
  for (const detail of message.details ?? []) {
    body.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(`*${escapeMrkdwn(detail.label)}*\n${escapeMrkdwn(detail.value)}`, LIMITS.sectionText) } });
  }
  if (message.lines && message.lines.length > 0) body.push(...lineSections(message.lines));
  if (message.notice) body.push({ type: 'context', elements: [mrkdwn(message.notice, LIMITS.sectionText)] });

  const actionBlocks: ActionsBlock[] =
    options.withActions === false
      ? []
      : chunk(message.actions, LIMITS.buttonsPerActions).map((actions, index) => ({
          type: 'actions',
          block_id: `actions:${message.item?.ref ?? 'item'}:${index}`.slice(0, 255),
          elements: buttons(actions),
        }));
  // Links out (the case record) as url buttons; their clicks are acked and change nothing.
  if (message.links?.length) {
    actionBlocks.push({
      type: 'actions',
      block_id: `links:${message.item?.ref ?? 'item'}`.slice(0, 255),
      elements: message.links
        .slice(0, LIMITS.buttonsPerActions)
        .map((link, index) => ({ type: 'button', action_id: `open_link_${index}`, text: plain(link.label, LIMITS.buttonText), url: link.url.slice(0, 3000) })),
    });
  }
  const room = maxBlocks - actionBlocks.length;
  if (body.length > room) {
    body.length = room - 1;
    body.push({ type: 'context', elements: [{ type: 'mrkdwn', text: 'More in /cases.' }] });
  }
  return [...body, ...actionBlocks];
};

/** A message as chat.postMessage / chat.update arguments (text + blocks). */
export const messagePayload = (message: ChatMessage) => ({ text: fallbackText(message), blocks: messageBlocks(message) });

/** What a shared channel may carry: facts only, never details or buttons (the use cases already do this). */
export const channelSafe = (message: ChatMessage): ChatMessage => ({ ...message, details: undefined, actions: [], links: undefined });
