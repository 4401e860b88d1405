// Shared set-up for the absence tests: the real app over signed Slack HTTP with the fake Web API, an org of the
// caller's choosing, and `/away` typed as a slash command with its private answer read back from the response_url.
import type { Org } from '../../src/config/org.schema.js';
import { escalationValues, openedView, slash, startHarness, submit, type Harness } from '../slack/slack-harness.js';
import { exampleOrg } from '../support/test-org.js';

/** The example org with Ben as North Team 3's deputy (units[].deputy), optionally changed further. */
export const withDeputy = (text: string) => text.replace('    seniorManager: sam\n    members: [amara, ben]', '    seniorManager: sam\n    deputy: ben\n    members: [amara, ben]');
export const deputyOrg = () => exampleOrg(withDeputy);

export const startAwayHarness = (options: { org?: Org; now?: string } = {}): Promise<Harness> => startHarness({ org: options.org ?? deputyOrg(), now: options.now });

let replies = 0;

/** A slash command's private answer (text of the response_url body), waiting for it. */
export const command = async (h: Harness, args: { command: string; userId: string; text: string }): Promise<{ text: string; body: Record<string, unknown> }> => {
  const id = `reply-${++replies}`;
  const res = await slash(h, { ...args, responseUrl: h.fake.responseUrl(id) });
  if (res.status !== 200) throw new Error(`slash command answered ${res.status}`);
  const deadline = Date.now() + 10_000;
  while (h.fake.responsesTo(id).length === 0) {
    if (Date.now() > deadline) throw new Error(`no answer to ${args.command} ${args.text}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
  const body = h.fake.responsesTo(id)[0]!.body as Record<string, unknown>;
  return { text: String(body.text ?? ''), body };
};

export const away = (h: Harness, userId: string, text: string) => command(h, { command: '/away', userId, text });

/** Raise through /escalate and the modal; returns the id and the confirmation the modal turned into. */
export const raise = async (h: Harness, args: { userId: string; crn: string }) => {
  const before = h.fake.callsTo('views.open').length;
  await slash(h, { command: '/escalate', text: args.crn, userId: args.userId });
  const view = await openedView(h.fake, before + 1);
  const response = await submit(h, { userId: args.userId, view, values: escalationValues({ crn: args.crn }) });
  const confirmation = (response.json as { view: { blocks: { text?: { text: string } }[] } }).view.blocks[0]?.text?.text ?? '';
  const [row] = await h.t.app.store.repos.items.recentEscalations(1);
  return { id: row!.id, confirmation };
};

/** One CSV line split into cells (RFC 4180 quotes). */
export const csvCells = (line: string): string[] => {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
};
