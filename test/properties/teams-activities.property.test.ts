/**
 * Any activity shape at /api/messages (emulator loopback mode, the most open the endpoint gets): answered with a
 * status the protocol knows (200, 400, 403, 501 for an invoke nothing handles), never an unhandled exception (500), never a row in the case tables, and the endpoint
 * still serves the next real activity.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionExecuteActivity, messageActivity, postActivity } from '../support/bot-activities.js';
import { tableCounts } from '../chaos/chaos-support.js';
import { type TeamsHarness, startTeamsHarness } from '../teams/teams-harness.js';

const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.constant(null),
  fc.boolean(),
  fc.double(),
  fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 12 }), { maxKeys: 3 }),
);

describe('Teams activity shapes (fast-check)', () => {
  let h: TeamsHarness;
  beforeAll(async () => {
    h = await startTeamsHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('never crashes and never writes a row', async () => {
    const before = await tableCounts(h.t.app);
    const person = fc.constantFrom('tom', 'dev', 'stranger' as const);
    const shape = fc.tuple(
      person,
      fc.constantFrom('message', 'invoke'),
      fc.record({
        type: fc.oneof(fc.constantFrom('message', 'invoke', 'installationUpdate', 'conversationUpdate', 'event', 'typing', 'messageReaction'), junk),
        name: fc.oneof(fc.constantFrom('adaptiveCard/action', 'fileConsent/invoke', 'task/fetch'), junk),
        channelId: fc.oneof(fc.constantFrom('msteams', 'emulator', 'webchat', ''), junk),
        serviceUrl: fc.oneof(fc.constant('url'), fc.constantFrom('https://attacker.example/', 'not a url', ''), junk),
        text: fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom('help', 'cases', 'duty', 'escalate', 'cases X12345', 'refer'), junk),
        from: fc.oneof(fc.record({ id: fc.string({ maxLength: 20 }), aadObjectId: fc.oneof(fc.uuid(), fc.string({ maxLength: 20 })) }), junk),
        conversation: fc.oneof(fc.record({ id: fc.string({ maxLength: 20 }), conversationType: fc.constantFrom('personal', 'channel', 'groupChat') }), junk),
        value: fc.oneof(
          fc.record({
            action: fc.record({
              type: fc.constant('Action.Execute'),
              verb: fc.oneof(fc.constantFrom('form.submit', 'escalation.countersign', 'referral.acknowledge'), fc.string({ maxLength: 20 })),
              data: fc.dictionary(fc.string({ maxLength: 10 }), junk, { maxKeys: 4 }),
            }),
          }),
          junk,
        ),
        channelData: fc.oneof(fc.record({ tenant: fc.record({ id: fc.oneof(fc.uuid(), junk) }) }), junk),
        recipient: junk,
      }),
      fc.subarray(['type', 'name', 'channelId', 'serviceUrl', 'text', 'from', 'conversation', 'value', 'channelData', 'recipient'], { maxLength: 2 }),
    );
    const statuses = new Map<number, number>();
    await fc.assert(
      // At most two fields changed at a time, so most shapes get past the first check into the handlers.
      fc.asyncProperty(shape, async ([who, kind, all, keys]) => {
        const changes = Object.fromEntries(keys.map((key) => [key, (all as Record<string, unknown>)[key]]));
        const base = kind === 'message' ? messageActivity({ ...h.base(who), text: 'help' }) : actionExecuteActivity({ ...h.base(who), verb: 'form.submit', data: {} });
        const activity: Record<string, unknown> = { ...base, ...changes };
        if (activity.serviceUrl === 'url') activity.serviceUrl = h.fake.url;
        const answer = await postActivity({ baseUrl: h.t.baseUrl, activity });
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        // 501: an invoke no route handles (the Bot Framework's own answer), not an exception.
        expect([200, 400, 403, 501]).toContain(answer.status);
      }),
      { numRuns: 150 },
    );
    await h.t.app.dispatcher.drain();
    expect(await tableCounts(h.t.app)).toEqual(before);
    // Still serving: a real message gets its reply.
    const ok = await postActivity({ baseUrl: h.t.baseUrl, activity: messageActivity({ ...h.base('tom'), text: 'help' }) });
    expect(ok.status).toBe(200);
    console.info(
      `[figures] Teams activity shapes: ${[...statuses.entries()]
        .sort()
        .map(([status, n]) => `${status}×${n}`)
        .join(', ')}`,
    );
  }, 240_000);
});
