import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raiseEscalation } from '../../src/use-cases/escalations.use-case.js';
import { validateAdaptiveCard } from '../support/adaptive-card-schema.js';
import { buttonsOf, cardsOf, dialogCard, inputsOf, personalOf, startTeamsUi, textOf } from './teams-ui-harness.js';

type Json = Record<string, unknown>;
const GOOD = {
  crn: 'X123456',
  roshCurrent: 'MEDIUM',
  roshNew: 'HIGH',
  reason: 'rosh_increase',
  urgency: 'standard',
  receivingUnitId: 'north-pp',
  summary: 'New intelligence shows contact with a known victim.',
  oasysReviewed: 'done',
};

describe('Teams: forms open in a dialog (task/fetch) and come back with field errors or close with the confirmation (task/submit)', () => {
  let h: Awaited<ReturnType<typeof startTeamsUi>>;
  beforeAll(async () => {
    h = await startTeamsUi();
    await h.install('amara');
    await h.install('tom');
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('a typed `escalate` offers its form in a dialog; a bad CRN comes back in the dialog with the typed values kept; a good submit closes it', async () => {
    const { sent } = await h.say('amara', 'escalate x123456');
    const [inChat] = cardsOf(sent);
    expect(validateAdaptiveCard(inChat)).toEqual([]);
    const open = buttonsOf(inChat!).find((button) => button.type === 'Action.Submit')!;
    expect(open).toMatchObject({ title: 'Open in a dialog', data: { msteams: { type: 'task/fetch' } } });

    const dialog = dialogCard(await h.fetch('amara', open.data as Json));
    expect(inputsOf(dialog).map((input) => input.id)).toEqual([
      'crn',
      'noms',
      'roshCurrent',
      'roshNew',
      'mappaCategory',
      'mappaLevel',
      'reason',
      'urgency',
      'receivingUnitId',
      'summary',
      'oasysReviewed',
      'oasysRef',
    ]);
    const submit = buttonsOf(dialog);
    expect(submit.map((button) => button.type)).toEqual(['Action.Submit']); // in a dialog, Action.Submit sends task/submit
    const before = (await h.p.t.app.store.repos.items.recentEscalations(100)).length;

    const bad = await h.submit('amara', { ...(submit[0]!.data as Json), ...GOOD, crn: '12345' });
    const again = dialogCard(bad.result as never);
    expect(textOf(again)).toMatch(/Please check the fields marked below/);
    expect(textOf(again)).toMatch(/CRN.*(letter|format|X123456)/i);
    const kept = Object.fromEntries(inputsOf(again).map((input) => [input.id, input.value]));
    expect(kept).toMatchObject({ crn: '12345', summary: GOOD.summary, receivingUnitId: 'north-pp', roshNew: 'HIGH' });
    expect(bad.sent).toEqual([]); // nothing in the chat while the dialog is open
    expect(await h.p.t.app.store.repos.items.recentEscalations(100)).toHaveLength(before);

    const good = await h.submit('amara', { ...(buttonsOf(again)[0]!.data as Json), ...GOOD });
    expect(good.result).toMatchObject({ task: { type: 'message', value: expect.stringMatching(/ESC-\d{6}/) } });
    expect(await h.p.t.app.store.repos.items.recentEscalations(100)).toHaveLength(before + 1);
    expect(good.sent).toHaveLength(1); // and the chat keeps the confirmation
    const confirmation = cardsOf(good.sent)[0]!;
    expect(validateAdaptiveCard(confirmation)).toEqual([]);
    expect(textOf(confirmation)).toContain((good.result as { task: { value: string } }).task.value);
  });

  it('a decision button that needs a form opens a dialog; the rationale error shows in it; the good submit decides and tells the chat', async () => {
    const { row } = await raiseEscalation({ ctx: h.p.t.app.ctx, actorId: 'amara', input: { ...GOOD, crn: 'P200300', oasysReviewed: true } as never, platform: 'slack' });
    await h.p.t.app.dispatcher.drain();
    const dm = h.p.teams
      .activitiesTo(personalOf('tom'))
      .flatMap((activity) => cardsOf([activity]))
      .find((card) => textOf(card).includes(`Countersign needed: ESC-${String(row.id).padStart(6, '0')}`));
    expect(dm).toBeDefined();
    const buttons = buttonsOf(dm!);
    expect(buttons.map((button) => [button.type, button.title])).toEqual([
      ['Action.Submit', 'Countersign'],
      ['Action.Submit', 'Return for changes'],
    ]);
    expect(buttons[0]!.data).toEqual({ msteams: { type: 'task/fetch' }, value: `escalation:${row.id}:escalation.countersign`, needsForm: true, action: 'escalation.countersign' });

    const dialog = dialogCard(await h.fetch('tom', buttons[0]!.data as Json));
    expect(inputsOf(dialog).map((input) => input.id)).toEqual(['rationale']);
    const blank = await h.submit('tom', { ...(buttonsOf(dialog)[0]!.data as Json), rationale: ' ' });
    expect(textOf(dialogCard(blank.result as never))).toMatch(/Give your rationale/);
    expect((await h.p.t.app.store.repos.items.escalation(row.id))?.state).toBe('awaiting_countersign');

    const done = await h.submit('tom', { ...(buttonsOf(dialog)[0]!.data as Json), rationale: 'Agree, risk has risen.' });
    expect(done.result).toEqual({ task: { type: 'message', value: 'Countersign: done for ESC-000002 (P200300). Recorded with your name and the time.' } });
    expect((await h.p.t.app.store.repos.items.escalation(row.id))?.state).toBe('awaiting_acceptance');
    expect(done.sent).toHaveLength(1);
    expect(textOf(cardsOf(done.sent)[0]!)).toMatch(/State: Awaiting duty acceptance/);

    // Someone without a role gets the refusal as the dialog's message, and no form.
    const refused = await h.fetch('priya', buttons[1]!.data as Json);
    expect(refused).toMatchObject({ task: { type: 'message', value: expect.stringMatching(/Nothing was changed|not/) } });
  });
});
