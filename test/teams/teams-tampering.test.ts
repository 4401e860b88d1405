/**
 * Tampered Teams card data (TEAMS_EMULATOR loopback mode; the handlers are what is under test): an Action.Execute
 * naming somebody else's item, and select values the form never offered. Each answer checked, no row changed,
 * nothing sent to the connector.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDecision } from '../../commands/decide.command.js';
import { escalateCommand } from '../../commands/escalate.command.js';
import { encodeActionValue } from '../../src/use-cases/chat-message.js';
import { tableCounts } from '../chaos/chaos-support.js';
import { type TeamsHarness, cardText, startTeamsHarness } from './teams-harness.js';

const escalation = (crn: string, receivingUnitId = 'north-pp') => ({
  crn,
  roshCurrent: 'MEDIUM',
  roshNew: 'HIGH',
  reason: 'rosh_increase',
  urgency: 'standard',
  receivingUnitId,
  summary: 'Secret narrative: contact with a known victim at her address.',
  oasysReviewed: ['done'],
});

describe('Teams: tampered card data changes nothing and shows nothing', () => {
  let h: TeamsHarness;
  let lenasOpen: number;
  let lenasMovedOn: number;
  let amaras: number;

  beforeAll(async () => {
    h = await startTeamsHarness();
    await h.install('tom');
    await h.install('dev');
    const raise = async (actorId: string, crn: string) => {
      const result = await escalateCommand.submit({ ctx: h.t.app.ctx, actorId, values: escalation(crn), context: {}, platform: 'slack' });
      expect(result.ok).toBe(true);
      return (await h.t.app.store.repos.items.recentEscalations(1))[0]!.id;
    };
    // Lena (North Team 5, manager Priya) raises two; Tom manages North Team 3 and has no role on them.
    lenasOpen = await raise('lena', 'X500001');
    lenasMovedOn = await raise('lena', 'X500002');
    expect((await runDecision({ ctx: h.t.app.ctx, actorId: 'priya', actionId: 'escalation.countersign', itemId: lenasMovedOn, values: { rationale: 'Agreed.' }, platform: 'slack' })).ok).toBe(true);
    amaras = await raise('amara', 'X500003');
    expect((await runDecision({ ctx: h.t.app.ctx, actorId: 'tom', actionId: 'escalation.countersign', itemId: amaras, values: { rationale: 'Agreed.' }, platform: 'slack' })).ok).toBe(true);
    await h.t.app.dispatcher.drain();
  });
  afterAll(async () => {
    await h?.stop();
  });

  const unchanged = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    await h.t.app.dispatcher.drain();
    const before = await tableCounts(h.t.app);
    const sent = h.fake.requests.length;
    const result = await run();
    await h.t.app.dispatcher.drain();
    expect(await tableCounts(h.t.app), what).toEqual(before);
    expect(h.fake.requests.length, what).toBe(sent);
    return result;
  };
  const clickAs = (verb: string, itemId: number, needsForm = true) =>
    h.invoke('tom', verb, { value: encodeActionValue({ id: verb, label: '', needsForm, itemType: 'escalation', itemId }), needsForm });

  it("answers a click naming another person's item with a plain refusal, never its card", async () => {
    // Open item, no role: the refusal of the missing role, no card, nothing of the case.
    const open = await unchanged("countersign on Lena's open item", () => clickAs('escalation.countersign', lenasOpen));
    expect(open).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'Only the countersigning manager for this escalation can do that. Nothing was changed.' });
    // Moved on, no role: before, the reply was the item's full card (summary, prison number, who acted).
    const movedOn = await unchanged("countersign on Lena's moved-on item", () => clickAs('escalation.countersign', lenasMovedOn));
    expect(movedOn).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'You are not allowed to take that decision on this item. Nothing was changed.' });
    // An id that does not exist gets the same words: ids are sequential, existence is not an oracle.
    const missing = await unchanged('countersign on an id that does not exist', () => clickAs('escalation.countersign', 9999));
    expect(missing.value).toBe(movedOn.value);
    // A forged decision-form submit for the moved-on item: same refusal, no card.
    const forged = await unchanged('forged decision submit', () =>
      h.invoke('tom', 'form.submit', { dutydesk: { formId: 'decision', context: { itemType: 'escalation', itemId: String(lenasMovedOn), actionId: 'escalation.accept' } }, rationale: 'x' }),
    );
    expect(forged.type).toBe('application/vnd.microsoft.activity.message');
    expect(String(forged.value)).not.toMatch(/X50000|Secret narrative|Lena|Priya/);
  });

  it("still shows the current state to a person with a role on the item (Tom, Amara's countersigner)", async () => {
    const again = await unchanged("Tom clicks countersign again on Amara's item", () => clickAs('escalation.countersign', amaras));
    expect(cardText(h.cardOf(again))).toMatch(/Already done: countersigned by Tom Reyes/);
  });

  it('refuses a select value the form did not offer: field errors in the card, nothing stored', async () => {
    // Tom's own unit as the receiving unit (the form offers only other units).
    const form = { command: 'escalate', formId: 'escalate', context: {} };
    const own = await unchanged('receiving unit not offered', () => h.invoke('tom', 'form.submit', { dutydesk: form, ...escalation('X500004', 'north-3'), oasysReviewed: 'done' }));
    expect(cardText(h.cardOf(own))).toMatch(/Choose from the list\./);
    // Dev accepts Amara's escalation naming Amara (not in the receiving unit) as the new case manager.
    const accept = await unchanged('case manager not offered', () =>
      h.invoke('dev', 'form.submit', {
        dutydesk: { formId: 'decision', context: { itemType: 'escalation', itemId: String(amaras), actionId: 'escalation.accept' } },
        rationale: 'Accepted.',
        personId: 'amara',
      }),
    );
    expect(cardText(h.cardOf(accept))).toMatch(/Choose from the list\./);
    expect((await h.t.app.store.repos.items.escalation(amaras))?.state).toBe('awaiting_acceptance');
  });
});
