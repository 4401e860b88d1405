import { escalationModule } from './escalation.module.js';
import { referralModule } from './referral.module.js';
import { type AnyModule, type WorkflowRegistry, createWorkflowRegistry } from './workflow-module.js';

/** The workflows the product ships with; src/app.ts may add more at composition. */
export const BUILT_IN_WORKFLOWS: AnyModule[] = [escalationModule, referralModule];

export const workflowRegistry = (extra: AnyModule[] = []): WorkflowRegistry => createWorkflowRegistry([...BUILT_IN_WORKFLOWS, ...extra]);
