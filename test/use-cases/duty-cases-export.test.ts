import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { casesCommand } from '../../commands/cases.command.js';
import { dutyCommand } from '../../commands/duty.command.js';
import { escalateCommand } from '../../commands/escalate.command.js';
import { referCommand } from '../../commands/refer.command.js';
import { runExportCli } from '../../scripts/export.js';
import { dutyToday } from '../../src/use-cases/effects.js';
import { decideEscalation } from '../../src/use-cases/escalations.use-case.js';
import { EXPORT_COLUMNS, exportCase } from '../../src/use-cases/export.use-case.js';
import { type TestApp, startTestApp } from '../support/test-app.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** RFC 4180 CSV to rows of cells (quoted cells may hold commas, quotes and newlines). */
const parseCsv = (text: string): string[][] => {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += 1;
    } else cell += c;
  }
  return rows;
};

const escalationForm = (crn: string) => ({
  crn,
  roshCurrent: 'MEDIUM',
  roshNew: 'HIGH',
  reason: 'rosh_increase',
  urgency: 'standard',
  receivingUnitId: 'north-pp',
  summary: 'Risk has risen after new intelligence.',
  oasysReviewed: ['done'],
});

describe('/duty, /cases and the export on a real PostgreSQL engine', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(); // Tue 24 Nov 2026, 10:00 London
  });
  afterAll(async () => {
    await t?.stop();
  });
  const ctx = () => t.app.ctx;
  const repos = () => t.app.store.repos;
  const duty = (actorId: string, text: string) => dutyCommand.run({ ctx: ctx(), actorId, text, platform: 'slack' });
  const cases = (actorId: string, text: string) => casesCommand.run({ ctx: ctx(), actorId, text, platform: 'slack' });
  const onDuty = () => dutyToday({ repos: repos(), directory: ctx().directory, unitId: 'north-pp', now: t.clock.now() });

  it('/duty shows today’s duty officers per unit', async () => {
    const { message } = await duty('amara', '');
    expect(message.lines).toEqual([
      'North Team 3 (north-3): nobody (the unit manager is told instead) — rota',
      'North Team 5 (north-5): nobody (the unit manager is told instead) — rota',
      'North Public Protection Unit (north-pp): Dev Patel — rota',
      'Gateway Resettlement Services (gateway-resettle): Will Evans — rota',
    ]);
  });

  it('/duty is set by the unit manager or the current duty officer, refused for anyone else, and kept with who/when', async () => {
    const auditCount = async () => (await repos().records.auditEvents('duty.changed')).length;
    // A stranger (another team's officer) and the wrong unit's manager are refused; nothing changes.
    await expect(duty('amara', 'north-pp @amara')).rejects.toMatchObject({ code: 'duty.not_allowed' });
    await expect(duty('tom', 'north-pp <@U0OMAR|omar>')).rejects.toMatchObject({ code: 'duty.not_allowed' });
    expect(await repos().duty.history({ unitId: 'north-pp' })).toEqual([]);
    expect(await auditCount()).toBe(0);
    expect(await onDuty()).toEqual(['dev']);
    await expect(duty('kate', 'north-pp @nobody')).rejects.toMatchObject({ code: 'person.unknown' });
    await expect(duty('kate', 'south-9 @omar')).rejects.toMatchObject({ code: 'unit.unknown' });

    // The manager sets it with a Slack mention.
    t.clock.advance(5 * MINUTE);
    const set = await duty('kate', 'north-pp <@U0OMAR|omar>');
    expect(set.message.text).toBe('Duty for North Public Protection Unit today (2026-11-24): Omar Haddad (was Dev Patel). Recorded with your name and the time.');
    expect(await onDuty()).toEqual(['omar']);
    // Dev is no longer on duty, so he cannot set it; Omar (on duty now) can, with a plain id.
    await expect(duty('dev', 'north-pp dev')).rejects.toMatchObject({ code: 'duty.not_allowed' });
    t.clock.advance(5 * MINUTE);
    await duty('omar', 'north-pp dev');
    expect(await onDuty()).toEqual(['dev']);

    const history = await repos().duty.history({ unitId: 'north-pp' });
    expect(history.map((row) => [row.personIds, row.setBy, row.setAt.toISOString(), row.onDate])).toEqual([
      [['dev'], 'omar', '2026-11-24T10:10:00.000Z', '2026-11-24'],
      [['omar'], 'kate', '2026-11-24T10:05:00.000Z', '2026-11-24'],
    ]);
    const audit = await repos().records.auditEvents('duty.changed');
    expect(audit.map((row) => [row.actorId, row.details.unitId, row.details.from, row.details.to])).toEqual([
      ['kate', 'north-pp', ['dev'], ['omar']],
      ['omar', 'north-pp', ['omar'], ['dev']],
    ]);
    const unitView = await duty('amara', 'north-pp');
    expect(unitView.message.lines).toEqual([
      'North Public Protection Unit (north-pp): Dev Patel — set by Omar Haddad at 10:10',
      '  2026-11-24: Dev Patel — set by Omar Haddad, Tue 24 Nov 2026, 10:10',
      '  2026-11-24: Omar Haddad — set by Kate Morgan, Tue 24 Nov 2026, 10:05',
    ]);
  });

  it('/cases lists what I owe, overdue first, each with its buttons', async () => {
    t.clock.set('2026-11-24T10:00:00Z');
    expect((await escalateCommand.submit({ ctx: ctx(), actorId: 'ben', values: escalationForm('Q100001'), context: {}, platform: 'slack' })).ok).toBe(true);
    t.clock.set('2026-11-26T10:00:00Z'); // Thursday: the first countersign (due Wed 17:00) is overdue
    expect((await escalateCommand.submit({ ctx: ctx(), actorId: 'amara', values: escalationForm('Q100002'), context: {}, platform: 'slack' })).ok).toBe(true);
    const referred = await referCommand.submit({
      ctx: ctx(),
      actorId: 'amara',
      context: {},
      platform: 'slack',
      values: { crn: 'Q100003', referralType: 'Resettlement', providerUnitId: 'gateway-resettle', prison: 'HMP Leeds', releaseDate: '2027-06-01', releaseType: 'CRD' },
    });
    expect(referred.ok).toBe(true);

    const tom = (await cases('tom', '')).message;
    expect(tom.text).toBe('2 items waiting for you, 1 overdue');
    expect(tom.lines).toEqual(['ESC-000001 · Q100001 · Countersign · OVERDUE by 17 h (due Wed 25 Nov 2026, 17:00)', 'ESC-000002 · Q100002 · Countersign · due Fri 27 Nov 2026, 17:00']);
    expect(tom.actions.map((action) => [action.label, action.id, action.itemId])).toEqual([
      ['ESC-000001: Countersign', 'escalation.countersign', 1],
      ['ESC-000001: Return for changes', 'escalation.return', 1],
      ['ESC-000002: Countersign', 'escalation.countersign', 2],
      ['ESC-000002: Return for changes', 'escalation.return', 2],
    ]);
    const will = (await cases('will', '')).message;
    expect(will.lines).toEqual(['REF-000001 · Q100003 · Provider assessment · due Thu 10 Dec 2026, 17:00']);
    expect(will.actions.map((action) => action.id)).toEqual(['referral.acknowledge', 'referral.assign', 'referral.decline', 'referral.return_misallocated']);
    expect((await cases('amara', '')).message).toMatchObject({ text: 'Nothing waiting for you.', lines: [], actions: [] });
  });

  it('/cases CRN shows the timeline, and the export rows match the decisions made', async () => {
    t.clock.set('2026-11-24T10:00:00Z');
    await escalateCommand.submit({ ctx: ctx(), actorId: 'amara', values: escalationForm('E100200'), context: {}, platform: 'slack' });
    const [row] = await repos().items.escalationsByCrn('E100200');
    const id = row!.id;
    t.clock.advance(30 * MINUTE);
    await decideEscalation({ ctx: ctx(), actorId: 'tom', escalationId: id, action: 'countersign', rationale: 'Agree, "imminent" risk.', platform: 'slack' });
    t.clock.advance(2 * HOUR);
    await decideEscalation({ ctx: ctx(), actorId: 'dev', escalationId: id, action: 'accept', rationale: '=HYPERLINK("x") accepted on duty', caseManagerId: 'omar', platform: 'teams' });
    t.clock.advance(DAY);
    await decideEscalation({ ctx: ctx(), actorId: 'omar', escalationId: id, action: 'confirm_handover', platform: 'slack' });
    t.clock.advance(HOUR);
    await decideEscalation({ ctx: ctx(), actorId: 'amara', escalationId: id, action: 'confirm_handover', rationale: 'Met Omar and the person together.', platform: 'slack' });

    const timeline = (await cases('sam', 'e100200')).message;
    expect(timeline.title).toBe('Timeline for E100200');
    expect(timeline.lines).toEqual([
      'ESC-000003 · Risk escalation, North Team 3 → North Public Protection Unit · Closed (handover completed)',
      '  Tue 24 Nov 2026, 10:00 · Amara Okafor (raiser) · raise',
      '  Tue 24 Nov 2026, 10:30 · Tom Reyes (countersigner+sender_manager) · countersign · “Agree, "imminent" risk.” · took 30 min (30 min working)',
      '  Tue 24 Nov 2026, 12:30 · Dev Patel (receiving_duty) · accept · “=HYPERLINK("x") accepted on duty” · took 2 h (2 h working)',
      '  Wed 25 Nov 2026, 12:30 · Omar Haddad (new_case_manager) · confirm handover · took 1 day (8 h working)',
      '  Wed 25 Nov 2026, 13:30 · Amara Okafor (raiser+old_case_manager) · confirm handover · “Met Omar and the person together.” · took 1 h (1 h working)',
      '  Deadline Countersign: due Wed 25 Nov 2026, 17:00, met on time (Tom Reyes, countersign)',
      '  Deadline Duty acceptance: due Wed 25 Nov 2026, 17:00, met on time (Dev Patel, accept)',
      '  Deadline Handover: due Tue 1 Dec 2026, 17:00, met on time (Amara Okafor, confirm_handover)',
    ]);

    // Managers get the CSV in a DM; others are refused.
    t.clock.advance(MINUTE);
    await expect(cases('amara', 'E100200 export')).rejects.toMatchObject({ code: 'action.not_allowed' });
    const reply = (await cases('tom', 'E100200 export')).message;
    expect(reply.text).toBe('Export of E100200: 8 rows over 1 item (CSV attached).');
    expect(reply.attachment).toMatchObject({ filename: 'E100200-timeline.csv', mimeType: 'text/csv' });
    const [header, ...rows] = parseCsv(reply.attachment!.content);
    expect(header).toEqual([...EXPORT_COLUMNS]);
    const records = rows.map((cells) => Object.fromEntries(header!.map((name, index) => [name, cells[index] ?? ''])));
    expect(records.map((r) => [r.seq, r.record, r.event, r.actor_id])).toEqual([
      ['1', 'decision', 'raise', 'amara'],
      ['2', 'decision', 'countersign', 'tom'],
      ['3', 'deadline', 'deadline.met', 'tom'],
      ['4', 'decision', 'accept', 'dev'],
      ['5', 'deadline', 'deadline.met', 'dev'],
      ['6', 'decision', 'confirm_handover', 'omar'],
      ['7', 'decision', 'confirm_handover', 'amara'],
      ['8', 'deadline', 'deadline.met', 'amara'],
    ]);
    const decisions = await repos().records.decisionsFor([{ itemType: 'escalation', itemId: id }]);
    const decisionRows = records.filter((r) => r.record === 'decision');
    expect(decisionRows.map((r) => [r.actor_id, r.actor_role, r.event, r.rationale, r.time_utc])).toEqual(
      decisions.map((d) => [d.actorId, d.actorRole, d.action, (d.rationale ?? '').replace(/^=/, "'="), d.decidedAt.toISOString()]),
    );
    expect(decisionRows.map((r) => [r.actor_name, r.step_elapsed, r.step_elapsed_ms, r.step_working_time])).toEqual([
      ['Amara Okafor', '', '', ''],
      ['Tom Reyes', '30 min', String(30 * MINUTE), '30 min'],
      ['Dev Patel', '2 h', String(2 * HOUR), '2 h'],
      ['Omar Haddad', '1 day', String(DAY), '8 h'],
      ['Amara Okafor', '1 h', String(HOUR), '1 h'],
    ]);
    expect(JSON.parse(records.find((r) => r.event === 'accept')?.details ?? '{}')).toEqual({ from: 'awaiting_acceptance', to: 'awaiting_handover', caseManagerId: 'omar', platform: 'teams' });
    expect(records.find((r) => r.event === 'countersign')).toMatchObject({ rationale: 'Agree, "imminent" risk.', time_local: 'Tue 24 Nov 2026, 10:30', item_ref: 'ESC-000003', crn: 'E100200' });
    expect(records.filter((r) => r.record === 'deadline').map((r) => [r.deadline, r.deadline_due, r.deadline_outcome])).toEqual([
      ['Countersign', '2026-11-25T17:00:00.000Z', 'met on time (Tom Reyes, countersign)'],
      ['Duty acceptance', '2026-11-25T17:00:00.000Z', 'met on time (Dev Patel, accept)'],
      ['Handover', '2026-12-01T17:00:00.000Z', 'met on time (Amara Okafor, confirm_handover)'],
    ]);
    const exported = (await repos().records.auditForCrn('E100200')).filter((entry) => entry.event === 'case.exported');
    expect(exported).toMatchObject([{ actorId: 'tom', details: { format: 'csv', rows: 8 } }]);

    // JSON: the same rows, and the earlier export now shows in the account.
    const json = JSON.parse((await exportCase({ ctx: ctx(), crn: 'E100200', format: 'json', actorId: null, platform: 'cli' })).content);
    expect(json.items).toEqual([expect.objectContaining({ ref: 'ESC-000003', state: 'Closed (handover completed)', raisedBy: 'Amara Okafor' })]);
    expect(json.rows.map((r: Record<string, string>) => r.event)).toEqual([
      'raise',
      'countersign',
      'deadline.met',
      'accept',
      'deadline.met',
      'confirm_handover',
      'confirm_handover',
      'deadline.met',
      'case.exported',
    ]);
  });

  it('the database refuses UPDATE and DELETE on the audit log', async () => {
    const before = await repos().records.auditForCrn('E100200');
    expect(before.length).toBeGreaterThan(0);
    const db = t.app.database.db;
    /** The database's own refusal, found under the driver's wrapping error. */
    const refusal = async (query: string) => {
      try {
        await db.execute(query);
        return 'accepted';
      } catch (error) {
        const found: string[] = [];
        for (let current: unknown = error; current; current = (current as { cause?: unknown }).cause) {
          const { code, message } = current as { code?: string; message?: string };
          found.push(`${code ?? ''} ${message ?? ''}`);
        }
        return found.join(' | ');
      }
    };
    expect(await refusal("UPDATE audit_log SET event = 'tampered' WHERE crn = 'E100200'")).toMatch(/42501 audit_log is append-only: UPDATE refused/);
    expect(await refusal("DELETE FROM audit_log WHERE crn = 'E100200'")).toMatch(/42501 audit_log is append-only: DELETE refused/);
    expect(await refusal('TRUNCATE audit_log')).toMatch(/42501 audit_log is append-only: TRUNCATE refused/);
    expect(await repos().records.auditForCrn('E100200')).toEqual(before);
  });

  it('npm run export: refuses while the bot holds the embedded database, and runs when it is free', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'dutydesk-export-'));
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: (text: string) => out.push(text), stderr: (text: string) => err.push(text) };
    const env = { DATA_DIR: dataDir, ORG_FILE: path.resolve('org.example.yaml') };
    try {
      expect(await runExportCli({ argv: ['--crn', 'bad'], env, cwd: process.cwd(), ...io })).toBe(2);
      // Another live process (our parent) holds the data directory.
      writeFileSync(path.join(dataDir, 'dutydesk.lock'), String(process.ppid));
      expect(await runExportCli({ argv: ['--crn', 'E100200'], env, cwd: process.cwd(), ...io })).toBe(3);
      expect(err.join('')).toMatch(/the bot is running on this embedded database .*Stop the bot and run the export again/);
      rmSync(path.join(dataDir, 'dutydesk.lock'));
      expect(await runExportCli({ argv: ['--crn', 'e100200', '--format', 'csv'], env, cwd: process.cwd(), ...io })).toBe(0);
      expect(out.join('')).toBe(`${EXPORT_COLUMNS.join(',')}\r\n`);
      expect(err.join('')).toMatch(/nothing recorded for E100200/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
