import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escalateCommand } from '../../commands/escalate.command.js';
import { runDecision } from '../../commands/decide.command.js';
import { type App, createApp } from '../../src/app.js';
import { parseEnv } from '../../src/config/env.config.js';
import { createLogger } from '../../src/logger.js';
import { createTestClock } from '../support/test-clock.js';
import { createTestDatabase } from '../support/test-database.js';
import { exampleOrg } from '../support/test-org.js';

/**
 * A database that protects its own history, on a PostgreSQL server (PGlite has one role, the owner of everything:
 * README "Database roles" says what it cannot enforce). The owner role migrates; the bot runs as a runtime role that
 * may only SELECT and INSERT on audit_log and decisions, so its own connection cannot disable their triggers,
 * delete or truncate them.
 */
const server = process.env.DATABASE_URL;

describe.skipIf(!server)('the runtime role cannot rewrite audit_log or decisions (PostgreSQL server)', () => {
  const suffix = `${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const owner = `dd_owner_${suffix}`;
  const runtime = `dd_app_${suffix}`;
  const dbName = `dd_roles_${suffix}`;
  const urlAs = (user: string) => {
    const url = new URL(server as string);
    url.username = user;
    url.password = '';
    url.pathname = `/${dbName}`;
    return url.toString();
  };
  let app: App;
  let asRuntime: pg.Client;
  let asOwner: pg.Client;

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    await admin.query(`CREATE ROLE ${owner} LOGIN`);
    await admin.query(`CREATE ROLE ${runtime} LOGIN`);
    await admin.query(`CREATE DATABASE ${dbName} OWNER ${owner}`);
    await admin.end();
    const env = parseEnv({ DATABASE_URL: urlAs(runtime), MIGRATIONS_DATABASE_URL: urlAs(owner), DATA_DIR: '/nonexistent', LOG_LEVEL: 'silent' });
    app = await createApp({ env, org: exampleOrg(), orgFile: 'org.example.yaml', clock: createTestClock('2026-11-24T10:00:00Z'), logger: createLogger({ level: 'silent' }), background: false });
    // The bot works as the runtime role: a raise and a countersign write decisions and audit rows.
    const raised = await escalateCommand.submit({
      ctx: app.ctx,
      actorId: 'amara',
      context: {},
      platform: 'slack',
      values: {
        crn: 'R100200',
        roshCurrent: 'MEDIUM',
        roshNew: 'HIGH',
        reason: 'rosh_increase',
        urgency: 'standard',
        receivingUnitId: 'north-pp',
        summary: 'Contact with a known victim reported.',
        oasysReviewed: ['done'],
      },
    });
    expect(raised.ok).toBe(true);
    const [row] = await app.store.repos.items.recentEscalations(1);
    const decided = await runDecision({ ctx: app.ctx, actorId: 'tom', actionId: 'escalation.countersign', itemId: row!.id, values: { rationale: 'Risk has clearly risen.' }, platform: 'slack' });
    expect(decided.ok).toBe(true);
    asRuntime = new pg.Client({ connectionString: urlAs(runtime) });
    asOwner = new pg.Client({ connectionString: urlAs(owner) });
    await asRuntime.connect();
    await asOwner.connect();
  }, 120_000);

  afterAll(async () => {
    await asRuntime?.end();
    await asOwner?.end();
    await app?.stop();
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.query(`DROP ROLE IF EXISTS ${runtime}`);
    await admin.query(`DROP ROLE IF EXISTS ${owner}`);
    await admin.end();
  });

  const counts = async () => {
    const { rows } = await asOwner.query('SELECT (SELECT count(*)::int FROM audit_log) AS audit, (SELECT count(*)::int FROM decisions) AS decisions');
    return rows[0] as { audit: number; decisions: number };
  };

  it('says at start that the runtime role is protected, and owns nothing', async () => {
    expect(app.database.role).toEqual({ name: runtime, warnings: [] });
    const { rows } = await asOwner.query(`SELECT tablename, tableowner FROM pg_tables WHERE schemaname = 'public' AND tableowner = $1`, [runtime]);
    expect(rows).toEqual([]);
  });

  it.each(['audit_log', 'decisions'])('refuses DISABLE TRIGGER, DELETE, TRUNCATE and UPDATE on %s to the runtime role', async (table) => {
    const before = await counts();
    expect(before.audit).toBeGreaterThanOrEqual(2);
    expect(before.decisions).toBe(2); // the raise and the countersign
    await expect(asRuntime.query(`ALTER TABLE ${table} DISABLE TRIGGER USER`)).rejects.toThrow(`must be owner of table ${table}`);
    await expect(asRuntime.query(`DELETE FROM ${table}`)).rejects.toThrow(`permission denied for table ${table}`);
    await expect(asRuntime.query(`TRUNCATE ${table}`)).rejects.toThrow(`permission denied for table ${table}`);
    await expect(asRuntime.query(`UPDATE ${table} SET id = id`)).rejects.toThrow(`permission denied for table ${table}`);
    // What it needs still works: reading, and appending.
    expect((await asRuntime.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n).toBe(table === 'audit_log' ? before.audit : before.decisions);
    expect(await counts()).toEqual(before);
  });

  it('lets the runtime role record and end absences, never delete them; the owner is refused by the trigger', async () => {
    await app.store.repos.absences.insert({
      personId: 'tom',
      startsAt: new Date('2026-11-24T10:00:00Z'),
      endsAt: new Date('2026-11-28T00:00:00Z'),
      delegateId: null,
      recordedBy: 'tom',
      recordedAt: new Date(),
    });
    await expect(asRuntime.query(`UPDATE absences SET ended_by = 'tom'`)).resolves.toMatchObject({ rowCount: 1 });
    await expect(asRuntime.query('DELETE FROM absences')).rejects.toThrow('permission denied for table absences');
    await expect(asRuntime.query('TRUNCATE absences')).rejects.toThrow('permission denied for table absences');
    await expect(asOwner.query('DELETE FROM absences')).rejects.toThrow(/absences are never deleted: DELETE refused/);
    expect((await asOwner.query('SELECT count(*)::int AS n FROM absences')).rows[0].n).toBe(1);
  });

  it('refuses DELETE and TRUNCATE even to the owner while the append-only triggers are on', async () => {
    const before = await counts();
    await expect(asOwner.query('DELETE FROM decisions')).rejects.toThrow(/decisions are append-only: DELETE refused/);
    await expect(asOwner.query('TRUNCATE audit_log')).rejects.toThrow(/audit_log is append-only: TRUNCATE refused/);
    expect(await counts()).toEqual(before);
  });

  it('warns when the bot runs as a role that could erase its history (the superuser of the test server)', async () => {
    const database = await createTestDatabase();
    const env = parseEnv({ DATABASE_URL: database.databaseUrl, DATA_DIR: database.dataDir, LOG_LEVEL: 'silent' });
    const plain = await createApp({ env, org: exampleOrg(), orgFile: 'org.example.yaml', logger: createLogger({ level: 'silent' }), background: false });
    try {
      expect(plain.database.role?.warnings).toHaveLength(1);
      expect(plain.database.role?.warnings[0]).toMatch(/is a superuser: it can disable the triggers and erase audit_log and decisions; set MIGRATIONS_DATABASE_URL/);
    } finally {
      await plain.stop();
      await database.cleanup();
    }
  });
});
