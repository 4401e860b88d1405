// Where a person's proactive Teams messages go. A reference is stored only from an activity that passed the edge
// (a valid token, or the explicit loopback emulator mode; also for someone not in the org file yet, so they are
// reachable once an administrator adds them), and once stored it is
// never re-pointed by a later activity from elsewhere (another connector host, tenant or conversation): a forged
// activity cannot redirect someone's future case messages.
import type { UseCaseContext } from '../use-cases/context.js';

type Reference = Record<string, unknown>;

const hostOf = (reference: Reference): string | null => {
  try {
    return typeof reference.serviceUrl === 'string' ? new URL(reference.serviceUrl).host.toLowerCase() : null;
  } catch {
    return null;
  }
};
const conversationOf = (reference: Reference) => {
  const conversation = reference.conversation as { id?: unknown; tenantId?: unknown } | undefined;
  return { id: typeof conversation?.id === 'string' ? conversation.id : null, tenant: typeof conversation?.tenantId === 'string' ? conversation.tenantId.toLowerCase() : null };
};

/** A later reference may refresh the stored one only when it points to the same place. */
export const samePlace = (stored: Reference, next: Reference): boolean => {
  const a = conversationOf(stored);
  const b = conversationOf(next);
  return hostOf(stored) !== null && hostOf(stored) === hostOf(next) && a.id !== null && a.id === b.id && a.tenant === b.tenant;
};

export const recordTeamsReference = async (args: {
  ctx: UseCaseContext;
  aadObjectId: string | undefined;
  /** For logs only; undefined for someone not in the org file yet. */
  personId: string | undefined;
  reference: unknown;
  why: string;
}): Promise<'stored' | 'refreshed' | 'kept' | 'ignored'> => {
  const { ctx } = args;
  const aad = args.aadObjectId?.toLowerCase();
  if (!aad || typeof args.reference !== 'object' || args.reference === null || Array.isArray(args.reference)) return 'ignored';
  const next = args.reference as Reference;
  const at = ctx.clock.now();
  const outcome = await ctx.store.transaction(async (repos) => {
    const stored = await repos.teams.reference(aad);
    if (stored && !samePlace(stored, next)) return 'kept' as const;
    await repos.teams.saveReference({ aadObjectId: aad, reference: next, at });
    return stored ? ('refreshed' as const) : ('stored' as const);
  });
  if (outcome === 'kept') {
    ctx.logger.warn({ platform: 'teams', personId: args.personId ?? null, why: args.why, code: 'reference.not_repointed' }, 'teams conversation reference kept: a later activity pointed elsewhere');
  } else {
    ctx.logger.info({ platform: 'teams', personId: args.personId ?? null, known: Boolean(args.personId), why: args.why, outcome }, 'teams conversation reference stored');
  }
  return outcome;
};
