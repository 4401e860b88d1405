// The parity driver for what a person asks to see rather than decides: a case export (Slack: `/cases CRN export`,
// the file uploaded to the DM; Teams: the file consent flow, the file PUT to the accepted upload URL) and the home
// view (Slack: App Home on app_home_opened; Teams: the `home` card). Each returns the facts a person would read.
import { randomUUID } from 'node:crypto';
import { expect, vi } from 'vitest';
import { messageActivity, postActivity } from '../support/bot-activities.js';
import { fileConsentActivity } from '../support/bot-activities-ui.js';
import { postToSlack, slashCommandBody } from '../support/slack-requests.js';
import { SLACK } from '../support/test-org.js';
import { type Parity, type Person, aadOf } from './parity-support.js';

const SECRET = 'parity-test-slack-signing-secret';
const FILE_CONSENT = 'application/vnd.microsoft.teams.card.file.consent';
const ITEM_LINE = /^(ESC|REF)-\d{6} · .*/;

export interface ExportSeen {
  /** The words of a refusal, or null when a file arrived. */
  refusal: string | null;
  filename: string | null;
  /** The CSV's rows without its `seq` column and without the audit rows of exports themselves (which differ by turn). */
  rows: string[];
}

export interface HomeSeen {
  /** The queue's item lines (ref · CRN · what is owed · when), in order. */
  items: string[];
  buttons: string[];
}

const factsOf = (csv: string): string[] =>
  csv
    .split('\r\n')
    .filter(Boolean)
    .map((line) => line.replace(/^[^,]*,/, ''))
    .filter((line) => !/,audit,case\.export/.test(line));

const personalOf = (who: Person) => `a:personal-1${aadOf(who)}`;
const teamsBase = (p: Parity, who: Person) => ({ serviceUrl: p.teams.url, userAadId: aadOf(who), userName: who });

export const exportVia = async (args: { p: Parity; platform: 'slack' | 'teams'; who: Person; crn: string }): Promise<ExportSeen> => {
  const { p, who, crn } = args;
  if (args.platform === 'slack') {
    const session = `export-${randomUUID()}`;
    const uploads = p.slack.uploads.length;
    const res = await postToSlack({
      baseUrl: p.t.baseUrl,
      secret: SECRET,
      body: slashCommandBody({ command: '/cases', text: `${crn} export`, userId: SLACK[who], responseUrl: p.slack.responseUrl(session) }),
    });
    expect(res.status).toBe(200);
    const answer = await vi.waitFor(
      () => {
        const [response] = p.slack.responsesTo(session);
        if (!response) throw new Error('no answer on Slack yet');
        return response.body as { text?: string; blocks?: unknown[] };
      },
      { timeout: 10_000, interval: 20 },
    );
    const upload = p.slack.uploads.slice(uploads)[0];
    if (!upload) return { refusal: String(answer.text), filename: null, rows: [] };
    const named = p.slack.callsTo('files.getUploadURLExternal').at(-1)?.args.filename;
    return { refusal: null, filename: String(named), rows: factsOf(upload.bytes.toString('utf8')) };
  }
  const before = p.teams.activitiesTo(personalOf(who)).length;
  const said = await postActivity({ baseUrl: p.t.baseUrl, activity: messageActivity({ ...teamsBase(p, who), text: `cases ${crn} export` }) });
  expect(said.status).toBe(200);
  const [reply] = p.teams.activitiesTo(personalOf(who)).slice(before);
  const consent = reply?.attachments?.find((a) => a.contentType === FILE_CONSENT) as { name: string; content: { acceptContext: unknown } } | undefined;
  if (!consent) return { refusal: String(reply?.text), filename: null, rows: [] };
  const session = `export-${randomUUID()}`;
  const uploadInfo = { name: consent.name, uploadUrl: p.teams.uploadUrl(session), contentUrl: `https://contoso-my.sharepoint.com/personal/${who}/${consent.name}`, uniqueId: session, fileType: 'csv' };
  const accepted = await postActivity({ baseUrl: p.t.baseUrl, activity: fileConsentActivity({ ...teamsBase(p, who), action: 'accept', context: consent.content.acceptContext, uploadInfo }) });
  expect(accepted.status).toBe(200);
  const upload = p.teams.uploads().find((u) => u.session === session);
  expect(upload, 'the accepted file was uploaded').toBeDefined();
  return { refusal: null, filename: consent.name, rows: factsOf(upload!.bytes.toString('utf8')) };
};

const textsIn = (node: unknown, into: string[] = []): string[] => {
  if (Array.isArray(node)) for (const child of node) textsIn(child, into);
  else if (typeof node === 'object' && node !== null) {
    const record = node as Record<string, unknown>;
    if (typeof record.text === 'string') into.push(...record.text.split('\n'));
    for (const [key, value] of Object.entries(record)) if (typeof value !== 'string' && key !== 'data') textsIn(value, into);
  }
  return into;
};
const buttonLabels = (node: unknown, type: 'slack' | 'teams', into: string[] = []): string[] => {
  if (Array.isArray(node)) for (const child of node) buttonLabels(child, type, into);
  else if (typeof node === 'object' && node !== null) {
    const record = node as Record<string, unknown>;
    if (type === 'slack' && record.type === 'button') into.push(String((record.text as { text: string }).text));
    if (type === 'teams' && (record.type === 'Action.Execute' || record.type === 'Action.Submit')) into.push(String(record.title));
    for (const [key, value] of Object.entries(record)) if (key !== 'data') buttonLabels(value, type, into);
  }
  return into;
};

export const homeVia = async (args: { p: Parity; platform: 'slack' | 'teams'; who: Person }): Promise<HomeSeen> => {
  const { p, who } = args;
  if (args.platform === 'slack') {
    const published = p.slack.callsTo('views.publish').length;
    const body = JSON.stringify({
      token: 'verification-token',
      team_id: 'T1',
      api_app_id: 'A1',
      type: 'event_callback',
      event_id: `Ev${randomUUID().replaceAll('-', '').slice(0, 10)}`,
      event_time: Math.floor(Date.now() / 1000),
      event: { type: 'app_home_opened', user: SLACK[who], channel: `D${SLACK[who]}`, tab: 'home', event_ts: '1700000000.000100' },
      authorizations: [{ team_id: 'T1', user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
    });
    expect((await postToSlack({ baseUrl: p.t.baseUrl, secret: SECRET, body, contentType: 'application/json' })).status).toBe(200);
    const [call] = (await p.slack.waitFor({ method: 'views.publish', count: published + 1, timeoutMs: 10_000 })).slice(published);
    const blocks = (call!.args.view as { blocks: unknown[] }).blocks;
    return { items: textsIn(blocks).filter((line) => ITEM_LINE.test(line)), buttons: buttonLabels(blocks, 'slack') };
  }
  const before = p.teams.activitiesTo(personalOf(who)).length;
  expect((await postActivity({ baseUrl: p.t.baseUrl, activity: messageActivity({ ...teamsBase(p, who), text: 'home' }) })).status).toBe(200);
  const [reply] = p.teams.activitiesTo(personalOf(who)).slice(before);
  const card = reply?.attachments?.[0]?.content;
  return { items: textsIn(card).filter((line) => ITEM_LINE.test(line)), buttons: buttonLabels(card, 'teams') };
};
