import type { Directory } from '../use-cases/directory.js';

/**
 * Teams' mentions (`<at>Dev Patel</at>`) as `@<person id>` before the core sees a command's text. A leading
 * mention of the bot is dropped; a name not in the directory is left as is.
 */
export const normaliseTeamsMentions = (args: { text: string; directory: Directory }): string =>
  args.text
    .replace(/^\s*<at>[^<]*<\/at>/, '')
    .replace(/<at>([^<]+)<\/at>/gi, (whole, name: string) => {
      const wanted = name.trim().toLowerCase();
      const person = args.directory.org.people.find((entry) => entry.name.toLowerCase() === wanted || entry.id.toLowerCase() === wanted);
      return person ? `@${person.id}` : whole;
    })
    .trim();
