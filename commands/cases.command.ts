import { CRN_PATTERN } from '../src/domain/case-facts.js';
import { DomainError } from '../src/domain/errors.js';
import { mayExportCases } from '../src/domain/policy/org.policy.js';
import type { UseCaseContext } from '../src/use-cases/context.js';
import { orgViewWithDuty } from '../src/use-cases/org-view.js';
import { myQueue, timeline } from '../src/use-cases/cases.use-case.js';
import { exportCase } from '../src/use-cases/export.use-case.js';
import { myRaised } from '../src/use-cases/mine.use-case.js';
import { authorizeCaseAccess } from '../src/use-cases/case-access.use-case.js';
import type { TextCommand } from './command.types.js';

/** Unit managers and senior managers may take a case's export (src/domain/policy/org.policy.ts). */
export const isManager = (ctx: UseCaseContext, personId: string) => mayExportCases({ org: orgViewWithDuty({ directory: ctx.directory, duty: new Map() }), personId });

export const casesCommand: TextCommand = {
  name: 'cases',
  description: 'What I owe, overdue first; with a CRN, that case’s timeline',
  usageHint: '[CRN] [export] | mine',
  async run({ ctx, actorId, text, platform }) {
    if (!ctx.directory.person(actorId)) throw new DomainError({ code: 'person.unknown' });
    const [first, second, ...rest] = text.trim().split(/\s+/).filter(Boolean);
    if (!first) return { message: await myQueue({ ctx, personId: actorId }), private: true };
    if (first.toLowerCase() === 'mine' && !second) return { message: await myRaised({ ctx, personId: actorId }), private: true };
    const crn = first.toUpperCase();
    if (!CRN_PATTERN.test(crn) || rest.length > 0 || (second && second.toLowerCase() !== 'export')) {
      throw new DomainError({ code: 'input.invalid', details: { field: 'crn', usage: '/cases [CRN] [export]' } });
    }
    // Need to know before anything of the case is read for the reply (audited: viewed, or refused).
    await authorizeCaseAccess({ ctx, actorId, crn, purpose: second ? 'export' : 'view', platform });
    if (!second) return { message: await timeline({ ctx, crn }), private: true };
    if (!isManager(ctx, actorId)) throw new DomainError({ code: 'action.not_allowed', details: { reason: 'export is for managers' } });
    const exported = await exportCase({ ctx, crn, format: 'csv', actorId, platform });
    const rows = exported.data.rows.length;
    return {
      message: {
        text: `Export of ${crn}: ${rows} row${rows === 1 ? '' : 's'} over ${exported.data.items.length} item${exported.data.items.length === 1 ? '' : 's'} (CSV attached).`,
        title: `Export for ${crn}`,
        fields: [
          { label: 'CRN', value: crn },
          { label: 'Items', value: exported.data.items.map((item) => `${item.ref} (${item.state})`).join(', ') || '—' },
        ],
        notice: 'This file holds case detail: keep it in line with your data-handling rules.',
        actions: [],
        attachment: { filename: exported.filename, mimeType: 'text/csv', content: exported.content },
      },
      private: true,
    };
  },
};
