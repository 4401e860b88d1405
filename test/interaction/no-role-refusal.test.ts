import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideEscalation, raiseEscalation } from '../../src/use-cases/escalations.use-case.js';
import { actionExecuteActivity, postActivity } from '../support/bot-activities.js';
import { type Parity, type Person, aadOf, startParity } from './parity-support.js';

/** Roles are checked before anything of an item is shown: a late click by someone with no role shows nothing of it. */
describe('a refused click shows the item only to someone with a role on it', () => {
  let p: Parity;
  beforeAll(async () => {
    p = await startParity();
  }, 60_000);
  afterAll(async () => {
    await p?.stop();
  });

  it('answers a late click by the countersigner with the item as it stands, and a stranger with plain words only', async () => {
    const ctx = p.t.app.ctx;
    const input = {
      crn: 'N100200',
      roshCurrent: 'HIGH',
      roshNew: 'HIGH',
      reason: 'other',
      urgency: 'standard',
      receivingUnitId: 'north-pp',
      summary: 'Narrative that only roles may see.',
      oasysReviewed: true,
    } as const;
    const { row } = await raiseEscalation({ ctx, actorId: 'amara', input, platform: 'slack' });
    await decideEscalation({ ctx, actorId: 'tom', escalationId: row.id, action: 'countersign', rationale: 'Agreed.', platform: 'slack' });
    const click = async (who: Person) => {
      const activity = actionExecuteActivity({
        serviceUrl: p.teams.url,
        userAadId: aadOf(who),
        userName: who,
        verb: 'escalation.countersign',
        data: { value: `escalation:${row.id}:escalation.countersign` },
      });
      return (await postActivity({ baseUrl: p.t.baseUrl, activity })).json as { type: string; value: unknown };
    };
    const tom = await click('tom');
    expect(tom.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(JSON.stringify(tom.value)).toMatch(/Already done: countersigned by Tom Reyes at 10:00/);
    expect(JSON.stringify(tom.value)).toMatch(/Narrative that only roles may see/);

    const joe = await click('joe');
    // Need to know: a stranger learns nothing of the item, not even who acted on it or when.
    expect({ type: joe.type, value: joe.value }).toEqual({ type: 'application/vnd.microsoft.activity.message', value: 'You are not allowed to take that decision on this item. Nothing was changed.' });
    const onSlack = await p.act({ platform: 'slack', who: 'joe', value: `escalation:${row.id}:escalation.countersign`, actionId: 'escalation.countersign', values: {} });
    expect(onSlack).toEqual({ opensForm: false, refusal: 'You are not allowed to take that decision on this item. Nothing was changed.' });
  });
});
