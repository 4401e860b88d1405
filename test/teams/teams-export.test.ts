import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raiseEscalation } from '../../src/use-cases/escalations.use-case.js';
import { buildCaseExport, exportToCsv } from '../../src/use-cases/export.use-case.js';
import { validateAdaptiveCard } from '../support/adaptive-card-schema.js';
import { FILE_CONSENT, FILE_INFO, attachmentsOf, cardsOf, startTeamsUi, textOf } from './teams-ui-harness.js';

const CRN = 'P100200';
const INPUT = {
  crn: CRN,
  roshCurrent: 'HIGH',
  roshNew: 'HIGH',
  reason: 'other',
  urgency: 'standard',
  receivingUnitId: 'north-pp',
  summary: 'Risk has gone up; details for the export test.',
  oasysReviewed: true,
} as const;

type Consent = { description: string; sizeInBytes: number; acceptContext: unknown; declineContext: unknown };

describe('Teams: cases CRN export through the file consent flow in the personal chat', () => {
  let h: Awaited<ReturnType<typeof startTeamsUi>>;
  beforeAll(async () => {
    h = await startTeamsUi();
    await raiseEscalation({ ctx: h.p.t.app.ctx, actorId: 'amara', input: INPUT, platform: 'slack' });
    await h.install('tom');
    await h.install('priya');
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  });

  const auditOf = () => h.p.t.app.store.repos.records.auditForCrn(CRN);

  const offer = async (who: 'tom' | 'priya') => {
    const { sent } = await h.say(who, `cases ${CRN.toLowerCase()} export`);
    return sent;
  };

  it('offers the CSV with a consent card, uploads exactly those bytes on accept, then sends the file info card', async () => {
    const expected = exportToCsv(await buildCaseExport({ ctx: h.p.t.app.ctx, crn: CRN, now: h.p.t.clock.now() }));
    const sent = await offer('tom');
    expect(sent).toHaveLength(1);
    const [summary] = cardsOf(sent);
    expect(validateAdaptiveCard(summary)).toEqual([]);
    expect(textOf(summary!)).toMatch(/Export for P100200/);
    expect(textOf(summary!)).not.toMatch(/take this export on Slack/);
    const consents = attachmentsOf(sent, FILE_CONSENT);
    expect(consents).toHaveLength(1);
    expect((consents[0] as { name?: string }).name).toBe('P100200-timeline.csv');
    const consent = consents[0]!.content as Consent;
    expect(consent.sizeInBytes).toBe(Buffer.byteLength(expected));
    expect(JSON.stringify(consent)).not.toMatch(/Risk has gone up/); // the card carries an id, never the file

    const uploadUrl = h.p.teams.uploadUrl('accepted-1');
    const uploadInfo = {
      name: 'P100200-timeline.csv',
      uploadUrl,
      contentUrl: 'https://contoso-my.sharepoint.com/personal/tom/Documents/Applications/DutyDesk/P100200-timeline.csv',
      uniqueId: 'ABC123',
      fileType: 'csv',
    };
    const accepted = await h.consent('tom', { action: 'accept', context: consent.acceptContext, uploadInfo, replyToId: sent[0]!.id });
    const uploads = h.p.teams.uploads();
    expect(uploads).toHaveLength(1);
    expect(uploads[0]!.method).toBe('PUT');
    expect(uploads[0]!.bytes.toString('utf8')).toBe(expected);
    expect(uploads[0]!.contentRange).toBe(`bytes 0-${Buffer.byteLength(expected) - 1}/${Buffer.byteLength(expected)}`);
    expect(accepted.sent).toHaveLength(1);
    expect(attachmentsOf(accepted.sent, FILE_INFO)).toEqual([
      { contentType: FILE_INFO, name: 'P100200-timeline.csv', contentUrl: uploadInfo.contentUrl, content: { uniqueId: 'ABC123', fileType: 'csv' } },
    ]);
    const events = (await auditOf()).map((row) => row.event);
    expect(events.filter((event) => event === 'case.exported')).toHaveLength(1);
    expect(events.filter((event) => event === 'case.export_delivered')).toHaveLength(1);

    // The same card accepted again finds nothing: one offer, one file.
    const again = await h.consent('tom', { action: 'accept', context: consent.acceptContext, uploadInfo });
    expect(h.p.teams.uploads()).toHaveLength(1);
    expect(again.sent.map((activity) => activity.text)).toEqual(['This file offer has expired or was already answered. Run cases CRN export again.']);
  });

  it('records a decline, answers it, and uploads nothing', async () => {
    const sent = await offer('tom');
    const consent = attachmentsOf(sent, FILE_CONSENT)[0]!.content as Consent;
    const uploadsBefore = h.p.teams.uploads().length;
    const declined = await h.consent('tom', { action: 'decline', context: consent.declineContext });
    expect(h.p.teams.uploads()).toHaveLength(uploadsBefore);
    expect(declined.sent.map((activity) => activity.text)).toEqual(['You declined the file P100200-timeline.csv: nothing was saved. Run cases P100200 export again if you need it.']);
    const declines = (await auditOf()).filter((row) => row.event === 'case.export_declined');
    expect(declines).toHaveLength(1);
    expect(declines[0]).toMatchObject({ actorId: 'tom', details: { platform: 'teams', filename: 'P100200-timeline.csv' } });
  });

  it('refuses a manager without need to know: no consent card, no file, the refusal audited', async () => {
    const sent = await offer('priya'); // manages North Team 5: no role on Amara's case
    expect(sent).toHaveLength(1);
    expect(attachmentsOf(sent, FILE_CONSENT)).toEqual([]);
    expect(sent[0]!.text).toBe('P100200: not shown. Only people with a role on this case can see it.');
    const refused = (await auditOf()).filter((row) => row.actorId === 'priya');
    expect(refused.map((row) => row.event)).toEqual(['case.view_refused']);
    expect(h.p.teams.uploads()).toHaveLength(1); // only the accepted one above
  });
});
