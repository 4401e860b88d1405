import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escalateCommand, escalationInputSchema, escalationValues } from '../../commands/escalate.command.js';
import { runDecision } from '../../commands/decide.command.js';
import { ConfigError } from '../../src/config/env.config.js';
import { parseOrgText } from '../../src/config/org.loader.js';
import { DomainError } from '../../src/domain/errors.js';
import { type TestApp, startTestApp } from '../support/test-app.js';

/** Thousands of generated inputs: never an unhandled exception, never a row for an invalid one. */
const nasty = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.constantFrom('<!channel>', '<!here>', '<@U0TOM>', "'; DROP TABLE escalations; --", '&lt;b&gt;', '*bold* _it_ ~s~ `c`', '\u0000', '𝕏123456', ' x123456 ', 'X1234567'),
  fc.string({ minLength: 9_990, maxLength: 10_010 }),
);
const formValue = fc.oneof(nasty, fc.array(nasty, { maxLength: 3 }), fc.constant(undefined));
const formValues = fc.record(
  {
    crn: formValue,
    noms: formValue,
    roshCurrent: formValue,
    roshNew: formValue,
    mappaCategory: formValue,
    mappaLevel: formValue,
    reason: formValue,
    urgency: formValue,
    receivingUnitId: formValue,
    summary: formValue,
    oasysReviewed: formValue,
  },
  { requiredKeys: [] },
);

describe('form inputs under generated data', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('the escalation schema never throws and accepts only well-formed input (3000 runs)', () => {
    fc.assert(
      fc.property(formValues, (values) => {
        const parsed = escalationInputSchema.safeParse(escalationValues(values));
        if (parsed.success) {
          expect(parsed.data.crn).toMatch(/^[A-Z]\d{6}$/);
          expect(parsed.data.summary.length).toBeLessThanOrEqual(3000);
          expect(parsed.data.oasysReviewed).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('an invalid escalation submitted through the command stores nothing and answers field errors (300 runs on the real engine)', async () => {
    await fc.assert(
      fc.asyncProperty(formValues, async (values) => {
        const before = (await t.app.store.repos.items.recentEscalations(1))[0]?.id ?? 0;
        const result = await escalateCommand.submit({ ctx: t.app.ctx, actorId: 'amara', values, context: {}, platform: 'slack' });
        const after = (await t.app.store.repos.items.recentEscalations(1))[0]?.id ?? 0;
        if (!result.ok) {
          expect(Object.keys(result.fieldErrors).length).toBeGreaterThan(0);
          expect(after).toBe(before);
        } else {
          expect(after).toBe(before + 1);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('stores hostile but valid text verbatim', async () => {
    const summary = `<!channel> *urgent* <@U0TOM> & '; DROP TABLE escalations; -- ${'x'.repeat(2900)}`;
    const result = await escalateCommand.submit({
      ctx: t.app.ctx,
      actorId: 'amara',
      context: {},
      platform: 'slack',
      values: { crn: 'z999999', roshCurrent: 'LOW', roshNew: 'HIGH', reason: 'other', urgency: 'standard', receivingUnitId: 'north-pp', summary, oasysReviewed: ['done'] },
    });
    expect(result.ok).toBe(true);
    const [row] = await t.app.store.repos.items.recentEscalations(1);
    expect(row?.summary).toBe(summary);
  });

  it('a decision with generated values either records it, refuses with a DomainError, or returns field errors (500 runs)', async () => {
    const actions = fc.constantFrom(
      'escalation.countersign',
      'escalation.return',
      'escalation.accept',
      'escalation.reallocate',
      'escalation.decline',
      'escalation.withdraw',
      'referral.assign',
      'referral.change_release_date',
    );
    await fc.assert(
      fc.asyncProperty(
        actions,
        fc.record({ rationale: formValue, personId: formValue, releaseDate: formValue }, { requiredKeys: [] }),
        fc.constantFrom('amara', 'tom', 'dev', 'nobody'),
        fc.integer({ min: 0, max: 3 }),
        async (actionId, values, actorId, itemId) => {
          try {
            const result = await runDecision({ ctx: t.app.ctx, actorId, actionId, itemId, values, platform: 'slack' });
            if (!result.ok) expect(Object.keys(result.fieldErrors).length).toBeGreaterThan(0);
          } catch (error) {
            expect(error).toBeInstanceOf(DomainError);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('the org-file parser under generated data', () => {
  it('either parses or raises a ConfigError with located lines, never anything else (2000 runs)', () => {
    const yamlish = fc.oneof(
      fc.string(),
      fc.json().map((json) => json),
      fc
        .record({
          organisation: nasty,
          people: fc.array(fc.record({ id: nasty, name: nasty }), { maxLength: 4 }),
          units: fc.array(fc.record({ id: nasty, name: nasty, manager: nasty, members: fc.array(nasty, { maxLength: 3 }) }), { maxLength: 3 }),
          reminders: fc.record({ repeatEvery: nasty }),
        })
        .map((value) => JSON.stringify(value)),
    );
    fc.assert(
      fc.property(yamlish, (text) => {
        try {
          parseOrgText({ text, fileName: 'org.yaml' });
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
          for (const line of (error as ConfigError).problems) expect(line).toMatch(/^org\.yaml:\d+/);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
