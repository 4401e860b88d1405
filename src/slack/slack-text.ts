/**
 * Text safety for Slack: escape user text for mrkdwn, make sure it can never ping anyone, and keep every
 * string inside Slack's limits without cutting an escape sequence in half.
 */

/** Escape `&`, `<`, `>` (which also neutralises <!channel>, <!here>, <@U…>) and break bare @channel/@here/@everyone. */
export const escapeMrkdwn = (text: string): string =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@(channel|here|everyone)\b/gi, '@\u200B$1');

/** plain_text is never parsed for mentions, but a bare @channel is still broken for good measure. */
export const safePlain = (text: string): string => text.replace(/@(channel|here|everyone)\b/gi, '@\u200B$1');

/** Cut to `max` characters with an ellipsis; never leaves half an `&amp;` at the end. */
export const truncate = (text: string, max: number): string => {
  if (text.length <= max) return text;
  const cut = text.slice(0, Math.max(0, max - 1)).replace(/&[a-z]{0,4}$/i, '');
  return `${cut}…`;
};

/** Escaped mrkdwn, cut to a limit. */
export const mrkdwn = (text: string, max: number) => ({ type: 'mrkdwn' as const, text: truncate(escapeMrkdwn(text), max) });

/** A plain_text object, cut to a limit (Slack rejects empty plain_text, so never empty). */
export const plain = (text: string, max: number) => ({ type: 'plain_text' as const, text: truncate(safePlain(text), max) || ' ' });
