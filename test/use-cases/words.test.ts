import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import { buildDirectory } from '../../src/use-cases/directory.js';
import { failureWords, refusalWords } from '../../src/use-cases/refusal-words.js';
import { StoreUnavailableError } from '../../src/db/store.js';
import { words } from '../../src/words/catalogue.js';
import { exampleOrg } from '../support/test-org.js';

describe('the words catalogue', () => {
  const directory = buildDirectory(exampleOrg());
  const now = new Date('2026-11-24T12:00:00Z');

  it("says a late click's 'already done' in the action's own past tense, for every workflow", () => {
    const late = (itemType: string, action: string) =>
      refusalWords({ error: new DomainError({ code: 'item.already_done', details: { itemType, action, actorId: 'will', at: '2026-11-24T10:32:00Z' } }), directory, now });
    expect(late('referral', 'record_assessment')).toBe('Already done: assessment recorded by Will Evans at 10:32.');
    expect(late('escalation', 'countersign')).toBe('Already done: countersigned by Will Evans at 10:32.');
  });

  it('gives the database-unavailable words from one entry on every platform', () => {
    expect(failureWords({ error: new StoreUnavailableError(new Error('down')), directory })).toBe(words('refusal.store.unavailable'));
    expect(words('refusal.store.unavailable')).toBe('DutyDesk cannot reach its database right now, so nothing was saved or changed. Please try again in a minute.');
  });

  it('fills values in without escaping them (each platform escapes for its own markup)', () => {
    expect(words('refusal.item.moved_on_state', { state: 'A & <B>' })).toBe('This has already moved on (now: A & <B>). Nothing was changed.');
  });
});
