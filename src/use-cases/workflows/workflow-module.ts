import type { ItemTable } from '../../db/items.repository.js';
import { addWorkflowWords } from '../../words/catalogue.js';
import type { WorkflowWords } from '../../words/en-workflows.js';
import type { Repositories } from '../../db/store.js';
import type { RolePolicy } from '../../domain/policy/org-view.js';
import { withCover } from '../../domain/policy/absence-cover.js';
import type { AnyWorkflow, Transition } from '../../domain/workflows/workflow.js';
import type { DeadlineKind } from '../../domain/workflow.types.js';
import type { Platform, UseCaseContext } from '../context.js';
import type { Directory } from '../directory.js';
import type { ItemHandle } from '../effects.js';

/** What every stored item has, whatever its workflow. */
export interface ItemRecord {
  id: number;
  version: number;
  crn: string;
  state: string;
  createdAt: Date;
}

/** The label/value pairs of an item's message: shared channels get `shared` only, DMs the rest as well. */
export interface ItemPresentation {
  /** CRN, risk, state and the like: safe for a shared channel. */
  shared: { label: string; value: string }[];
  /** People and units: private messages only. */
  people: { label: string; value: string }[];
  /** Case narrative: private messages only. */
  details: { label: string; value: string }[];
  /** Added to the one-line text after the CRN, e.g. "(High → Very high, urgent)". */
  summary?: string;
}

/**
 * A workflow as the application runs it: the pure definition and role policy, plus how its items are stored and
 * shown. The registry of modules is built at composition (src/app.ts), so a workflow can be added there.
 */
export interface WorkflowModule<Row extends ItemRecord = ItemRecord, Facts extends { state: string } = { state: string }> {
  definition: AnyWorkflow;
  /** The prefix of the item's reference ('ESC' → ESC-000042). */
  refPrefix: string;
  facts(row: Row): Facts;
  /** Who holds which role on an item (src/domain/policy/). */
  policy: RolePolicy<Facts>;
  /** The item's table, bound to the caller's repositories (inside or outside a transaction). */
  table(repos: Repositories): ItemTable<Row>;
  handle(row: Row): ItemHandle;
  /** The unit whose people a "person" input chooses from. */
  personUnit(row: Row): string;
  /** A named person the workflow will not take (e.g. a worker outside the provider unit). */
  checkPerson?(args: { row: Row; personId: string; directory: Directory }): void;
  /** The units a "unit" input offers (e.g. the providers a misallocated referral can be sent on to). */
  unitOptions?(args: { row: Row; directory: Directory }): { id: string; name: string }[];
  /** Why this unit cannot be chosen (a sentence for the form), or null when it can. */
  checkUnit?(args: { row: Row; unitId: string; directory: Directory }): string | null;
  /** Fields derived from the patch before it is stored (e.g. lateness from a new release date). */
  preparePatch?(args: { ctx: UseCaseContext; row: Row; patch: Record<string, unknown> }): Record<string, unknown>;
  /** Work after the update and before the audit (e.g. deadlines recomputed); returns extra audit details. */
  afterUpdate?(args: {
    ctx: UseCaseContext;
    repos: Repositories;
    before: Row;
    row: Row;
    transition: Transition;
    command: { action: string; personId?: string | null; date?: string | null; unitId?: string | null };
    now: Date;
  }): Promise<Record<string, unknown>>;
  present(args: { row: Row; directory: Directory }): ItemPresentation;
  /** The workflow's words (labels, states, headlines), added to the catalogue when it is registered. */
  words?: WorkflowWords;
  /** Deadlines not shown as "Due" on its messages (e.g. a referral's delivery date is shown as the release). */
  hiddenDue?: readonly DeadlineKind[];
}

// biome-ignore lint/suspicious/noExplicitAny: a registry holds modules of different row types
export type AnyModule = WorkflowModule<any, any>;

export interface WorkflowRegistry {
  get(itemType: string): AnyModule | undefined;
  all(): AnyModule[];
  byRefPrefix(prefix: string): AnyModule | undefined;
}

export const createWorkflowRegistry = (given: AnyModule[]): WorkflowRegistry => {
  // Every role question asked of a registered workflow includes absence cover (delegates, acting managers).
  const modules = given.map((module) => ({ ...module, policy: withCover(module.policy) }));
  for (const module of modules) if (module.words) addWorkflowWords({ itemType: module.definition.itemType, words: module.words });
  const byType = new Map(modules.map((module) => [module.definition.itemType, module]));
  return {
    get: (itemType) => byType.get(itemType),
    all: () => [...byType.values()],
    byRefPrefix: (prefix) => modules.find((module) => module.refPrefix === prefix.toUpperCase()),
  };
};

export type { Platform };

/** An item of this workflow by id (undefined when there is none). */
export const loadItem = (module: AnyModule, repos: Repositories, id: number): Promise<ItemRecord | undefined> => module.table(repos).get(id);

/** The units whose duty of the day an item's roles depend on. */
export const dutyUnitsOf = (module: AnyModule, row: ItemRecord): string[] => module.policy.dutyUnits(module.facts(row));
