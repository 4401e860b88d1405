import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDecision } from '../../commands/decide.command.js';
import { escalateCommand } from '../../commands/escalate.command.js';
import { referCommand } from '../../commands/refer.command.js';
import { queuedMessage } from '../support/queued-message.js';
import { decideEscalation } from '../../src/use-cases/escalations.use-case.js';
import { buildCaseExport } from '../../src/use-cases/export.use-case.js';
import { decideReferral } from '../../src/use-cases/referrals.use-case.js';
import { type TestApp, startTestApp } from '../support/test-app.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const referralForm = (overrides: Record<string, string | string[]> = {}) => ({
  crn: 'x223344',
  noms: 'a1234bc',
  referralType: 'Accommodation',
  providerUnitId: 'gateway-resettle',
  prison: 'HMP Leeds',
  releaseDate: '2027-06-01',
  releaseType: 'CRD',
  needs: ['accommodation', 'finance'],
  notes: 'Needs approved premises on release.',
  ...overrides,
});

describe('referrals and misallocation returns on a real PostgreSQL engine', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(); // Tue 24 Nov 2026, 10:00 London
  });
  afterAll(async () => {
    await t?.stop();
  });

  const ctx = () => t.app.ctx;
  const repos = () => t.app.store.repos;
  const outbox = async (itemType: string, id: number) => repos().outbox.byDedupePrefix(`${itemType}:${id}:`);
  const keys = async (itemType: string, id: number) => (await outbox(itemType, id)).map((row) => row.dedupeKey);
  const refer = async (actorId: string, values: Record<string, string | string[]>) => {
    const result = await referCommand.submit({ ctx: ctx(), actorId, values, context: {}, platform: 'slack' });
    return result;
  };
  const latestReferral = async (crn: string) => (await repos().items.referralsByCrn(crn)).at(-1)!;

  it('refuses invalid referral input with field errors and stores nothing', async () => {
    const result = await refer('amara', referralForm({ crn: '1234', noms: 'AB12', providerUnitId: 'north-3', releaseDate: '2026-11-01', releaseType: 'soon', needs: ['nope'] }));
    expect(result).toEqual({
      ok: false,
      fieldErrors: {
        crn: 'A CRN is one letter and 6 digits, like X123456',
        noms: 'A prison number looks like A1234BC',
        providerUnitId: 'Choose a provider from the list',
        releaseDate: 'The expected release date must be in the future',
        releaseType: 'Choose the type of release date',
        needs: 'Choose needs from the list',
      },
    });
    expect(await repos().items.referralsByCrn('X223344')).toEqual([]);
  });

  it('offers a form with the org referral types, providers, release types and needs', async () => {
    const form = await referCommand.form({ ctx: ctx(), actorId: 'amara', text: 'x223344' });
    const field = (name: string) => form.fields.find((entry) => entry.name === name) as { options?: { value: string }[]; initial?: string };
    expect(field('crn').initial).toBe('X223344');
    expect(field('referralType').options?.map((o) => o.value)).toEqual(['Resettlement', 'Accommodation', 'Personal wellbeing', "Women's services", 'Other']);
    expect(field('providerUnitId').options?.map((o) => o.value)).toEqual(['gateway-resettle']);
    expect(field('releaseType').options?.map((o) => o.value)).toEqual(['CRD', 'ARD', 'PED', 'HDCED', 'PRRD', 'confirmed', 'other']);
    expect(form.fields.find((entry) => entry.name === 'needs')?.kind).toBe('checkboxes');
  });

  it('runs /refer → acknowledge → assign → assessment → action plan → delivery, telling the officer each step', async () => {
    const result = await refer('amara', referralForm());
    expect(result).toEqual({
      ok: true,
      reply: 'REF-000001 sent to Gateway Resettlement Services for X223344. The provider is asked to assess by Tue 8 Dec 2026, 17:00; delivery is due before release on Tue 1 Jun 2027.',
    });
    const row = await latestReferral('X223344');
    expect(row).toMatchObject({ state: 'awaiting_acknowledgement', noms: 'A1234BC', senderUnitId: 'north-3', raisedBy: 'amara', referBy: '2027-02-16', lateWeeks: 0 });
    const id = row.id;
    expect(await keys('referral', id)).toEqual([`referral:${id}:v1:referral.received:will:slack:U0WILL`, `referral:${id}:v1:referral.raised_confirmation:amara:slack:U0AMARA`]);
    const received = await queuedMessage({ ctx: ctx(), row: (await outbox('referral', id))[0]! });
    expect(received.actions.map((action) => action.id)).toEqual(['referral.acknowledge', 'referral.assign', 'referral.decline', 'referral.return_misallocated']);
    const open = await repos().deadlines.openForItem({ itemType: 'referral', itemId: id });
    expect(open.map((d) => [d.kind, d.dueAt.toISOString()]).sort()).toEqual([
      ['delivery', '2027-05-31T23:00:00.000Z'], // midnight London (BST) on release day
      ['providerAssessment', '2026-12-08T17:00:00.000Z'],
    ]);

    // Only the provider acknowledges.
    await expect(decideReferral({ ctx: ctx(), actorId: 'amara', referralId: id, action: 'acknowledge', platform: 'slack' })).rejects.toMatchObject({ code: 'referral.not_provider' });
    t.clock.advance(HOUR);
    await decideReferral({ ctx: ctx(), actorId: 'will', referralId: id, action: 'acknowledge', rationale: 'Received, on it.', platform: 'slack' });
    expect(await keys('referral', id)).toEqual(
      expect.arrayContaining([`referral:${id}:v2:referral.acknowledged:amara:slack:U0AMARA`, `referral:${id}:v2:referral.assessment_requested:will:slack:U0WILL`]),
    );

    // The provider's manager names the worker; the worker can only be someone in the provider unit.
    await expect(decideReferral({ ctx: ctx(), actorId: 'rosa', referralId: id, action: 'assign', workerId: 'omar', platform: 'slack' })).rejects.toMatchObject({ code: 'person.not_in_unit' });
    t.clock.advance(HOUR);
    await runDecision({ ctx: ctx(), actorId: 'rosa', actionId: 'referral.assign', itemId: id, values: { personId: 'will' }, platform: 'slack' });
    expect(await repos().items.referral(id)).toMatchObject({ state: 'acknowledged', assignedWorkerId: 'will' });
    expect(await keys('referral', id)).toEqual(
      expect.arrayContaining([`referral:${id}:v3:referral.assigned:amara:slack:U0AMARA`, `referral:${id}:v3:referral.assessment_requested:will:slack:U0WILL`]),
    );
    const assessment = (await repos().deadlines.openForItem({ itemType: 'referral', itemId: id })).find((d) => d.kind === 'providerAssessment');
    expect(assessment?.owners).toEqual([{ kind: 'person', personId: 'will' }]);

    // Assessment (rationale required, through the decision form), three days later.
    t.clock.advance(3 * DAY);
    expect(await runDecision({ ctx: ctx(), actorId: 'will', actionId: 'referral.record_assessment', itemId: id, values: { rationale: '' }, platform: 'slack' })).toEqual({
      ok: false,
      fieldErrors: { rationale: 'Give your rationale' },
    });
    const assessed = await runDecision({
      ctx: ctx(),
      actorId: 'will',
      actionId: 'referral.record_assessment',
      itemId: id,
      values: { rationale: 'Assessed in custody: housing need is high.' },
      platform: 'slack',
    });
    expect(assessed).toEqual({ ok: true, reply: 'Record assessment: done for REF-000001 (X223344). Recorded with your name and the time.' });
    const afterAssessment = await repos().deadlines.forItem({ itemType: 'referral', itemId: id });
    expect(afterAssessment.find((d) => d.kind === 'providerAssessment')).toMatchObject({ metBy: 'will' });
    expect(afterAssessment.find((d) => d.kind === 'actionPlan')).toMatchObject({ metAt: null, dueAt: new Date('2026-12-04T17:00:00Z'), owners: [{ kind: 'person', personId: 'will' }] });
    expect(await keys('referral', id)).toEqual(
      expect.arrayContaining([`referral:${id}:v4:referral.assessed:amara:slack:U0AMARA`, `referral:${id}:v4:referral.action_plan_requested:will:slack:U0WILL`]),
    );

    t.clock.advance(DAY);
    await decideReferral({ ctx: ctx(), actorId: 'will', referralId: id, action: 'submit_action_plan', rationale: 'Plan: approved premises, benefits claim.', platform: 'slack' });
    expect(await keys('referral', id)).toEqual(
      expect.arrayContaining([`referral:${id}:v5:referral.action_planned:amara:slack:U0AMARA`, `referral:${id}:v5:referral.delivery_requested:will:slack:U0WILL`]),
    );
    t.clock.advance(7 * DAY);
    await decideReferral({ ctx: ctx(), actorId: 'will', referralId: id, action: 'record_delivery', rationale: 'Bed space confirmed for release day.', platform: 'slack' });
    expect(await repos().items.referral(id)).toMatchObject({ state: 'delivered' });
    expect(await keys('referral', id)).toContain(`referral:${id}:v6:referral.delivered:amara:slack:U0AMARA`);
    expect(await repos().deadlines.openForItem({ itemType: 'referral', itemId: id })).toEqual([]);
    const deadlines = await repos().deadlines.forItem({ itemType: 'referral', itemId: id });
    expect(deadlines.map((d) => [d.kind, d.metBy])).toEqual([
      ['providerAssessment', 'will'],
      ['delivery', 'will'],
      ['actionPlan', 'will'],
    ]);

    // A second click on a finished step changes nothing and says who acted first.
    await expect(decideReferral({ ctx: ctx(), actorId: 'will', referralId: id, action: 'record_delivery', rationale: 'again', platform: 'slack' })).rejects.toMatchObject({
      code: 'item.already_done',
      details: { actorId: 'will', action: 'record_delivery' },
    });

    const decisions = await repos().records.decisionsFor([{ itemType: 'referral', itemId: id }]);
    expect(decisions.map((d) => [d.action, d.actorId, d.actorRole, d.toState])).toEqual([
      ['raise', 'amara', 'raiser', 'awaiting_acknowledgement'],
      ['acknowledge', 'will', 'provider_duty', 'acknowledged'],
      ['assign', 'rosa', 'provider_manager', 'acknowledged'],
      ['record_assessment', 'will', 'assigned_worker+provider_duty', 'assessed'],
      ['submit_action_plan', 'will', 'assigned_worker+provider_duty', 'planned'],
      ['record_delivery', 'will', 'assigned_worker+provider_duty', 'delivered'],
    ]);
    expect((await repos().records.auditForCrn('X223344')).map((entry) => entry.event)).toEqual([
      'referral.raised',
      'referral.acknowledge',
      'referral.assign',
      'referral.record_assessment',
      'referral.submit_action_plan',
      'referral.record_delivery',
    ]);
  });

  it('says at once, in weeks, that a referral is late', async () => {
    t.clock.set('2026-11-24T10:00:00Z');
    // Release in 10 weeks; referrals are due 15 weeks before release.
    const result = await refer('ben', referralForm({ crn: 'L100200', releaseDate: '2027-02-02', releaseType: 'ARD' }));
    expect(result.ok && result.reply).toBe(
      'REF-000002 sent to Gateway Resettlement Services for L100200. This referral is 5 weeks late: it was due by Tue 20 Oct 2026 (15 weeks before release on Tue 2 Feb 2027). ' +
        'The provider is asked to assess by Tue 8 Dec 2026, 17:00; delivery is due before release on Tue 2 Feb 2027.',
    );
    expect(await latestReferral('L100200')).toMatchObject({ referBy: '2026-10-20', lateWeeks: 5 });
    const [audit] = await repos().records.auditForCrn('L100200');
    expect(audit).toMatchObject({ event: 'referral.raised', details: expect.objectContaining({ lateWeeks: 5, referBy: '2026-10-20' }) });
  });

  it('recomputes the delivery deadline and the lateness when the release date changes, and audits it', async () => {
    t.clock.set('2026-11-24T10:00:00Z');
    await refer('amara', referralForm({ crn: 'R300400' }));
    const row = await latestReferral('R300400');
    const delivery = async () => (await repos().deadlines.openForItem({ itemType: 'referral', itemId: row.id })).find((d) => d.kind === 'delivery');
    expect((await delivery())?.dueAt).toEqual(new Date('2027-05-31T23:00:00Z'));

    await expect(decideReferral({ ctx: ctx(), actorId: 'will', referralId: row.id, action: 'change_release_date', releaseDate: '2027-03-02', platform: 'slack' })).rejects.toMatchObject({
      code: 'action.not_allowed',
    });
    t.clock.advance(HOUR);
    const changed = await runDecision({
      ctx: ctx(),
      actorId: 'amara',
      actionId: 'referral.change_release_date',
      itemId: row.id,
      values: { releaseDate: '2027-03-02', rationale: 'Parole board brought the date forward.' },
      platform: 'slack',
    });
    expect(changed.ok).toBe(true);

    expect(await repos().items.referral(row.id)).toMatchObject({ releaseDate: '2027-03-02', referBy: '2026-11-17', lateWeeks: 1, state: 'awaiting_acknowledgement' });
    expect((await delivery())?.dueAt).toEqual(new Date('2027-03-02T00:00:00Z')); // midnight London (GMT)
    const assessment = (await repos().deadlines.openForItem({ itemType: 'referral', itemId: row.id })).find((d) => d.kind === 'providerAssessment');
    expect(assessment?.dueAt).toEqual(new Date('2026-12-08T17:00:00Z'));
    const audit = (await repos().records.auditForCrn('R300400')).find((entry) => entry.event === 'referral.change_release_date');
    expect(audit).toMatchObject({
      actorId: 'amara',
      details: expect.objectContaining({
        releaseDateFrom: '2027-06-01',
        releaseDateTo: '2027-03-02',
        referBy: '2026-11-17',
        lateWeeks: 1,
        deadlines: [{ kind: 'delivery', fromDueAt: '2027-05-31T23:00:00.000Z', toDueAt: '2027-03-02T00:00:00.000Z' }],
      }),
    });
    const exported = await buildCaseExport({ ctx: ctx(), crn: 'R300400', now: t.clock.now() });
    const changeRow = exported.rows.find((r) => r.event === 'change_release_date');
    expect(changeRow).toMatchObject({ actor_id: 'amara', rationale: 'Parole board brought the date forward.', step_elapsed: '1 h' });
    expect(JSON.parse(changeRow!.details)).toMatchObject({ releaseDateFrom: '2027-06-01', releaseDateTo: '2027-03-02', lateWeeks: 1 });
    expect(JSON.parse(exported.rows.find((r) => r.event === 'raise')!.details)).toMatchObject({ lateWeeks: 0, referBy: '2027-02-16' });
    const [decision] = (await repos().records.decisionsFor([{ itemType: 'referral', itemId: row.id }])).slice(-1);
    expect(decision).toMatchObject({ action: 'change_release_date', actorId: 'amara', rationale: 'Parole board brought the date forward.' });
    expect(await keys('referral', row.id)).toEqual(
      expect.arrayContaining([`referral:${row.id}:v2:referral.release_date_changed:amara:slack:U0AMARA`, `referral:${row.id}:v2:referral.release_date_changed:will:slack:U0WILL`]),
    );
  });

  it('a decline with a reason notifies the raiser and the sending manager and ends the deadlines', async () => {
    t.clock.set('2026-11-24T10:00:00Z');
    await refer('amara', referralForm({ crn: 'D500600' }));
    const row = await latestReferral('D500600');
    await expect(decideReferral({ ctx: ctx(), actorId: 'will', referralId: row.id, action: 'decline', rationale: ' ', platform: 'slack' })).rejects.toMatchObject({ code: 'rationale.required' });
    await decideReferral({ ctx: ctx(), actorId: 'will', referralId: row.id, action: 'decline', rationale: 'Outside our area: refer to the West provider.', platform: 'slack' });
    expect(await repos().items.referral(row.id)).toMatchObject({ state: 'declined' });
    expect(await keys('referral', row.id)).toEqual(expect.arrayContaining([`referral:${row.id}:v2:referral.declined:amara:slack:U0AMARA`, `referral:${row.id}:v2:referral.declined:tom:slack:U0TOM`]));
    const declined = await queuedMessage({ ctx: ctx(), row: (await outbox('referral', row.id)).find((entry) => entry.dedupeKey.includes('declined:tom'))! });
    expect(declined.details).toContainEqual({ label: 'Will Evans (decline)', value: 'Outside our area: refer to the West provider.' });
    expect(await repos().deadlines.openForItem({ itemType: 'referral', itemId: row.id })).toEqual([]);
  });

  it('misallocation: the receiving unit returns the case with a reason, the sending manager takes it back', async () => {
    t.clock.set('2026-11-24T10:00:00Z');
    const raised = await escalateCommand.submit({
      ctx: ctx(),
      actorId: 'amara',
      context: {},
      platform: 'slack',
      values: {
        crn: 'M700800',
        roshCurrent: 'MEDIUM',
        roshNew: 'HIGH',
        reason: 'rosh_increase',
        urgency: 'standard',
        receivingUnitId: 'north-pp',
        summary: 'Risk has risen after new intelligence.',
        oasysReviewed: ['done'],
      },
    });
    expect(raised.ok).toBe(true);
    const [row] = await repos().items.escalationsByCrn('M700800');
    const id = row!.id;
    await decideEscalation({ ctx: ctx(), actorId: 'tom', escalationId: id, action: 'countersign', rationale: 'Agreed.', platform: 'slack' });
    await decideEscalation({ ctx: ctx(), actorId: 'dev', escalationId: id, action: 'accept', rationale: 'Accepted on duty.', platform: 'slack' });
    expect(await repos().items.escalation(id)).toMatchObject({ state: 'awaiting_reallocation' });

    // Only the receiving unit returns it, and only with a reason.
    await expect(decideEscalation({ ctx: ctx(), actorId: 'amara', escalationId: id, action: 'return_misallocated', rationale: 'x', platform: 'slack' })).rejects.toMatchObject({
      code: 'escalation.not_receiving_unit',
    });
    await expect(decideEscalation({ ctx: ctx(), actorId: 'dev', escalationId: id, action: 'return_misallocated', rationale: '', platform: 'slack' })).rejects.toMatchObject({
      code: 'rationale.required',
    });
    t.clock.advance(HOUR);
    await decideEscalation({ ctx: ctx(), actorId: 'dev', escalationId: id, action: 'return_misallocated', rationale: 'Not a PPU case: MAPPA level 1, stays with the team.', platform: 'slack' });
    expect(await repos().items.escalation(id)).toMatchObject({ state: 'misallocated' });
    const deadlines = await repos().deadlines.forItem({ itemType: 'escalation', itemId: id });
    expect(deadlines.find((d) => d.kind === 'reallocation')).toMatchObject({ metBy: 'dev' });
    const takeBack = deadlines.find((d) => d.kind === 'takeBack');
    expect(takeBack).toMatchObject({ metAt: null, unitId: 'north-3', owners: [{ kind: 'unitManager', unitId: 'north-3' }], dueAt: new Date('2026-11-26T17:00:00Z') });
    const requested = (await outbox('escalation', id)).find((entry) => entry.dedupeKey.includes('take_back_requested'));
    expect(requested?.dedupeKey).toBe(`escalation:${id}:v4:escalation.take_back_requested:tom:slack:U0TOM`);
    expect((await queuedMessage({ ctx: ctx(), row: requested! })).actions.map((action) => action.id)).toEqual(['escalation.take_back']);
    expect(await keys('escalation', id)).toContain(`escalation:${id}:v4:escalation.misallocated:amara:slack:U0AMARA`);

    await expect(decideEscalation({ ctx: ctx(), actorId: 'amara', escalationId: id, action: 'take_back', platform: 'slack' })).rejects.toMatchObject({ code: 'action.not_allowed' });
    t.clock.advance(HOUR);
    await decideEscalation({ ctx: ctx(), actorId: 'tom', escalationId: id, action: 'take_back', rationale: 'Back with Amara.', platform: 'slack' });
    expect(await repos().items.escalation(id)).toMatchObject({ state: 'taken_back' });
    expect(await repos().deadlines.openForItem({ itemType: 'escalation', itemId: id })).toEqual([]);
    expect((await repos().deadlines.forItem({ itemType: 'escalation', itemId: id })).find((d) => d.kind === 'takeBack')).toMatchObject({ metBy: 'tom' });
    expect(await keys('escalation', id)).toEqual(
      expect.arrayContaining([`escalation:${id}:v5:escalation.taken_back:amara:slack:U0AMARA`, `escalation:${id}:v5:escalation.taken_back:kate:slack:U0KATE`]),
    );
  });
});
