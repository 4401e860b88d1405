import type { Database, Db } from './database.js';
import { createAbsencesRepository } from './absences.repository.js';
import { createDeadlinesRepository } from './deadlines.repository.js';
import { createDigestRunsRepository } from './digest-runs.repository.js';
import { createDigestRepository } from './digest.repository.js';
import { createDutyRepository } from './duty.repository.js';
import type { Executor } from './executor.js';
import { createItemsRepository } from './items.repository.js';
import { createOrgRepository } from './org.repository.js';
import { createOpsRepository } from './ops.repository.js';
import { createOutboxRepository } from './outbox.repository.js';
import { createPlannedReferralsRepository } from './planned-referrals.repository.js';
import { createRaisedRepository } from './raised.repository.js';
import { createRecordsRepository } from './records.repository.js';
import { createReplayLedgerRepository } from './replay-ledger.repository.js';
import { createRetentionRepository } from './retention.repository.js';
import { createTeamsRepository } from './teams-conversations.repository.js';
import { createTeamsChannelsRepository } from './teams-channels.repository.js';
import { createTeamsFileOffersRepository } from './teams-file-offers.repository.js';
import { createWorkflowItemsRepository } from './workflow-items.repository.js';

const createRepositories = (executor: Executor) => ({
  org: createOrgRepository(executor),
  items: createItemsRepository(executor),
  records: createRecordsRepository(executor),
  deadlines: createDeadlinesRepository(executor),
  outbox: createOutboxRepository(executor),
  duty: createDutyRepository(executor),
  teams: createTeamsRepository(executor),
  teamsChannels: createTeamsChannelsRepository(executor),
  replayLedger: createReplayLedgerRepository(executor),
  ops: createOpsRepository(executor),
  retention: createRetentionRepository(executor),
  workflowItems: createWorkflowItemsRepository(executor),
  digestRuns: createDigestRunsRepository(executor),
  digest: createDigestRepository(executor),
  teamsFileOffers: createTeamsFileOffersRepository(executor),
  absences: createAbsencesRepository(executor),
  raised: createRaisedRepository(executor),
  plannedReferrals: createPlannedReferralsRepository(executor),
});

export type Repositories = ReturnType<typeof createRepositories>;

export class StoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super('the database is unavailable', { cause });
    this.name = 'StoreUnavailableError';
  }
}

/** A connection-level failure (server down, refused, reset) as opposed to a query the database refused. */
const isConnectionFailure = (error: unknown): boolean => {
  for (let current: unknown = error; current; current = (current as { cause?: unknown }).cause) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (/^(ECONN|ENOTFOUND|ETIMEDOUT|EPIPE|57P0|08)/.test(code) || code === 'ECONNRESET')) return true;
    const message = (current as { message?: unknown }).message;
    if (typeof message === 'string' && /Connection terminated|connection timeout|Client has encountered a connection error|PGlite is closed/i.test(message)) {
      return true;
    }
  }
  return false;
};

/**
 * The use-case layer's only door to PostgreSQL. `transaction` runs the callback on repositories bound to
 * one transaction (never the outer db inside it); `repos` reads outside a transaction.
 */
export interface Store {
  repos: Repositories;
  transaction<T>(fn: (repos: Repositories) => Promise<T>): Promise<T>;
  ping(): Promise<boolean>;
  kind: Database['kind'];
}

export const createStore = (database: Database): Store => {
  const wrap = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw isConnectionFailure(error) ? new StoreUnavailableError(error) : error;
    }
  };
  // Reads outside a transaction fail the same way: every repository method maps a lost connection too.
  const guarded = (repos: Repositories): Repositories =>
    Object.fromEntries(
      Object.entries(repos).map(([name, repo]) => [
        name,
        Object.fromEntries(
          Object.entries(repo).map(([key, method]) => [
            key,
            typeof method === 'function' ? (...args: unknown[]) => wrap(() => (method as (...a: unknown[]) => Promise<unknown>).apply(repo, args)) : method,
          ]),
        ),
      ]),
    ) as Repositories;
  return {
    repos: guarded(createRepositories(database.db)),
    transaction: (fn) => wrap(() => (database.db as Db).transaction((tx) => fn(createRepositories(tx as unknown as Executor)))),
    ping: async () => {
      try {
        return await database.ping();
      } catch {
        return false;
      }
    },
    kind: database.kind,
  };
};
