import { words } from '../words/catalogue.js';
import type { ChatMessage } from './chat-message.js';
import type { Directory } from './directory.js';

/**
 * The "Open case record" link of a direct message about a case, from the org file's `links.case` template
 * (`https://…/{crn}`). None when no template is set. Channels never get it: callers add it to DMs only.
 */
export const caseLinks = (args: { directory: Directory; crn: string }): NonNullable<ChatMessage['links']> => {
  const template = args.directory.org.links?.case;
  return template ? [{ label: words('links.case'), url: template.replaceAll('{crn}', encodeURIComponent(args.crn)) }] : [];
};

/** A message with the case link added (a DM about one case). */
export const withCaseLinks = (args: { directory: Directory; crn: string; message: ChatMessage }): ChatMessage => {
  const links = caseLinks(args);
  return links.length > 0 ? { ...args.message, links } : args.message;
};
