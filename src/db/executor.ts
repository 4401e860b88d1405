import type { Db } from './database.js';

/** Either the database or an open transaction: repositories work on both. */
export type Executor = Pick<Db, 'select' | 'insert' | 'update' | 'delete' | 'execute'>;
