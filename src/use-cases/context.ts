import type { Store } from '../db/store.js';
import type { ReachProvider } from '../delivery/reach.js';
import type { Clock } from '../domain/clock.js';
import type { Directory } from './directory.js';
import type { WorkflowRegistry } from './workflows/workflow-module.js';

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

/** Everything a use case needs; built once at start and shared by Slack and Teams. */
export interface UseCaseContext {
  store: Store;
  clock: Clock;
  directory: Directory;
  logger: Logger;
  /** Every workflow the app runs, by item type (built at composition). */
  workflows: WorkflowRegistry;
  /** How each platform reaches people and unit channels (registered at composition, one per adapter). */
  reach: readonly ReachProvider[];
  /** Called after a transaction that wrote outbox rows or deadlines, so senders and timers wake at once. */
  onCommitted?: (what: { outbox: boolean; deadlines: boolean }) => void;
}

export type Platform = 'slack' | 'teams' | 'cli' | 'board';
