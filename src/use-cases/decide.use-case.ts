import type { Repositories } from '../db/store.js';
import { DomainError } from '../domain/errors.js';
import type { Effect } from '../domain/workflow.types.js';
import { fieldChanges, recordedChanges } from '../domain/workflows/item-edits.js';
import { type Command, authorityRefusal, roleLabel, transition } from '../domain/workflows/workflow.js';
import { alreadyDoneError } from './already-done.js';
import { decisionCapacity } from './cover-decision.js';
import type { Platform, UseCaseContext } from './context.js';
import { applyEffects } from './effects.js';
import { orgViewFor } from './org-view.js';
import { itemIntent } from '../delivery/message-intent.js';
import { type AnyModule, type ItemRecord, loadItem } from './workflows/workflow-module.js';

export interface DecisionInput {
  itemType: string;
  itemId: number;
  action: string;
  actorId: string;
  rationale?: string | null;
  personId?: string | null;
  date?: string | null;
  unitId?: string | null;
  /** A meeting's agreed time and link (Schedule handover), already checked by the form. */
  meeting?: { at: Date; link: string | null } | null;
  /** The item's form as the person left it (an action with `input.form`): the changed fields are recorded. */
  edits?: Record<string, unknown> | null;
  platform: Platform;
}

export const moduleFor = (ctx: UseCaseContext, itemType: string): AnyModule => {
  const module = ctx.workflows.get(itemType);
  if (!module) throw new DomainError({ code: 'action.unknown', details: { itemType } });
  return module;
};

/** A person's roles on an item now (the duty of the day read in the same snapshot). */
export const rolesOn = async (args: { ctx: UseCaseContext; repos: Repositories; module: AnyModule; row: ItemRecord; personId: string; now: Date }) => {
  const facts = args.module.facts(args.row);
  const org = await orgViewFor({ repos: args.repos, directory: args.ctx.directory, now: args.now, dutyUnits: args.module.policy.dutyUnits(facts) });
  return { facts, org, roles: args.module.policy.roles({ facts, personId: args.personId, org }) };
};

const refusalError = async (args: { repos: Repositories; module: AnyModule; row: ItemRecord; code: string; details?: Record<string, unknown> }) =>
  args.code === 'item.moved_on'
    ? alreadyDoneError({ repos: args.repos, itemType: args.module.definition.itemType, itemId: args.row.id, state: args.row.state })
    : new DomainError({ code: args.code as DomainError['code'], details: args.details });

/**
 * May this person take this action now (ignoring the input they have not given yet)? Throws the refusal the
 * decision itself would, so a button that opens a form refuses before the form. Read-only.
 */
export const checkAuthority = async (args: { ctx: UseCaseContext; itemType: string; itemId: number; action: string; actorId: string }) => {
  const { ctx } = args;
  if (!ctx.directory.person(args.actorId)) throw new DomainError({ code: 'person.unknown' });
  const module = moduleFor(ctx, args.itemType);
  if (!Object.hasOwn(module.definition.actions, args.action)) throw new DomainError({ code: 'action.unknown', details: { action: args.action } });
  const repos = ctx.store.repos;
  const row = await loadItem(module, repos, args.itemId);
  if (!row) throw new DomainError({ code: 'item.not_found' });
  const { facts, roles } = await rolesOn({ ctx, repos, module, row, personId: args.actorId, now: ctx.clock.now() });
  const command: Command = { action: args.action, actorId: args.actorId, actorRoles: roles, at: ctx.clock.now() };
  const refusal = authorityRefusal({ definition: module.definition, facts, command });
  if (refusal) throw await refusalError({ repos, module, row, ...refusal });
  return { module, row, roles };
};

/**
 * Take any action of any workflow, in one transaction: load → roles → transition → compare-and-set on the
 * version → decision → audit → deadlines and outbox. A double click or a second replica changes nothing: the
 * loser gets `item.already_done` with who acted first and when.
 */
export const decide = async (args: { ctx: UseCaseContext } & DecisionInput) => {
  const { ctx, actorId } = args;
  const { directory } = ctx;
  const module = moduleFor(ctx, args.itemType);
  const { definition } = module;
  if (!Object.hasOwn(definition.actions, args.action)) throw new DomainError({ code: 'action.unknown', details: { action: args.action } });
  if (!directory.person(actorId)) throw new DomainError({ code: 'person.unknown' });
  const personField = definition.actions[args.action]?.input.person?.field;
  if (args.personId && !directory.person(args.personId)) throw new DomainError({ code: 'person.unknown', details: { field: personField ?? 'person' } });
  if (args.date && !/^\d{4}-\d{2}-\d{2}$/.test(args.date)) throw new DomainError({ code: 'input.invalid', details: { field: definition.actions[args.action]?.input.date?.field ?? 'date' } });
  const now = ctx.clock.now();
  const outcome = await ctx.store.transaction(async (repos) => {
    const row = await loadItem(module, repos, args.itemId);
    if (!row) throw new DomainError({ code: 'item.not_found' });
    if (args.personId) module.checkPerson?.({ row, personId: args.personId, directory });
    if (args.unitId) {
      const unitError = module.checkUnit?.({ row, unitId: args.unitId, directory });
      if (unitError) throw new DomainError({ code: 'input.invalid', details: { field: definition.actions[args.action]?.input.unit?.field ?? 'unit', message: unitError } });
    }
    const { facts, roles, org } = await rolesOn({ ctx, repos, module, row, personId: actorId, now });
    const asked: Command = {
      action: args.action,
      actorId,
      actorRoles: roles,
      rationale: args.rationale,
      personId: args.personId,
      date: args.date,
      unitId: args.unitId,
      meeting: args.meeting,
      edits: args.edits,
      at: now,
    };
    // Absence cover: a delegate or acting manager decides with the other person's roles, recorded on their behalf.
    const capacity = decisionCapacity({ module, facts, command: asked, org });
    const { command } = capacity;
    const applied = transition({ definition, facts, command });
    if ('refusal' in applied) throw await refusalError({ repos, module, row, ...applied.refusal });
    const result = applied.result;
    const patch = module.preparePatch?.({ ctx, row, patch: result.patch }) ?? result.patch;
    const updated = (await module.table(repos).update({ id: row.id, expectedVersion: row.version, patch })) as ItemRecord | undefined;
    if (!updated) {
      const fresh = await loadItem(module, repos, row.id);
      throw await alreadyDoneError({ repos, itemType: definition.itemType, itemId: row.id, state: fresh?.state ?? row.state });
    }
    const itemType = definition.itemType as never;
    const changes = args.edits ? fieldChanges({ before: row as unknown as Record<string, unknown>, edits: args.edits }) : null;
    const decision = await repos.records.insertDecision({
      itemType,
      itemId: row.id,
      action: args.action,
      actorId,
      actorRole: capacity.actorRole,
      onBehalfOf: capacity.onBehalfOf,
      onBehalfRole: capacity.onBehalfRole,
      fromState: result.from,
      toState: result.to,
      rationale: args.rationale?.trim() || null,
      platform: args.platform,
      decidedAt: now,
      changes: changes ? recordedChanges(changes) : null,
    });
    const extra = (await module.afterUpdate?.({ ctx, repos, before: row, row: updated, transition: result, command, now })) ?? {};
    await repos.records.audit({
      at: now,
      actorId,
      event: `${definition.itemType}.${args.action}`,
      itemType,
      itemId: row.id,
      crn: row.crn,
      details: {
        ref: itemRefOf(module, row.id),
        from: result.from,
        to: result.to,
        decisionId: decision.id,
        platform: args.platform,
        ...(capacity.onBehalfOf ? { onBehalfOf: capacity.onBehalfOf, onBehalfRole: capacity.onBehalfRole, actorRole: capacity.actorRole } : {}),
        ...(decision.changes?.length ? { changedFields: decision.changes.map((change) => change.field) } : {}),
        ...extra,
      },
    });
    await applyItemEffects({
      ctx,
      repos,
      module,
      row: updated,
      actorId,
      now,
      // The message of the moment shows the texts that changed; the record keeps only which narrative field did.
      rationale: { actorId, text: decision.rationale, action: args.action, ...(changes?.length ? { changes } : {}) },
      effects: result.effects.filter((effect) => effect.type !== 'recomputeDeadlines'),
    });
    return { row: updated, from: result.from, to: result.to, decision, extra };
  });
  ctx.onCommitted?.({ outbox: true, deadlines: true });
  return outcome;
};

/** Apply an item's effects inside the caller's transaction, its messages rendered by the one presenter. */
export const applyItemEffects = async (args: {
  ctx: UseCaseContext;
  repos: Repositories;
  module: AnyModule;
  row: ItemRecord;
  effects: Effect[];
  actorId: string;
  now: Date;
  rationale?: DecisionNote;
}) => {
  const { ctx, repos, module, row, now } = args;
  return applyEffects({
    repos,
    directory: ctx.directory,
    reach: ctx.reach,
    item: module.handle(row),
    effects: args.effects,
    actorId: args.actorId,
    now,
    // The message is rendered at send time from the item as it then stands (delivery/render-intent.ts).
    intent: ({ message, personId, withActions, deadlines }) =>
      itemIntent({ itemType: module.definition.itemType, itemId: row.id, version: row.version, messageKey: message, personId, withActions, deadlines, rationale: args.rationale ?? null }),
  });
};

/** The decision a message was caused by, as its message shows it (the rationale, and an edit's changes). */
export type DecisionNote = { actorId: string; text: string | null; action: string; changes?: { field: string; from: unknown; to: unknown }[] };

export const itemRefOf = (module: AnyModule, id: number) => `${module.refPrefix}-${String(id).padStart(6, '0')}`;
