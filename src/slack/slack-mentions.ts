import type { Directory } from '../use-cases/directory.js';

/**
 * Slack's user mentions (`<@U0DEV|dev>`, `<@U0DEV>`) as `@<person id>` before the core sees a command's text, so
 * commands read one form of mention on every platform. A mention of someone not in the directory is left as is.
 */
export const normaliseSlackMentions = (args: { text: string; directory: Directory }): string =>
  args.text.replace(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g, (whole, userId: string) => {
    const person = args.directory.personBySlack(userId);
    return person ? `@${person.id}` : whole;
  });
