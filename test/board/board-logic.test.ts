/** The board's pure parts: report arithmetic, CSV, weeks, configuration, the need-to-know scope, escaping. */
import { describe, expect, it } from 'vitest';
import { boardScope, maySeeItem, maySeeUnitReport } from '../../src/board/board-access.js';
import { boardSettings } from '../../src/board/board-config.js';
import { html } from '../../src/board/board-html.js';
import { cookieHeader, csrfMatches, csrfToken } from '../../src/board/board-sessions.js';
import { buildUnitWeekReport, median, parseWeek, percentile, tableCsv, weekOf } from '../../src/board/board-reports.js';
import { type ConfigError, parseEnv } from '../../src/config/env.config.js';
import { buildDirectory } from '../../src/use-cases/directory.js';
import { exampleOrg } from '../support/test-org.js';

const directory = buildDirectory(exampleOrg());
const at = (iso: string) => new Date(iso);

describe('report arithmetic', () => {
  it('takes the nearest-rank 90th percentile and the middle of an even count as the median', () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(values, 90)).toBe(9);
    expect(percentile([5], 90)).toBe(5);
    expect(percentile([], 90)).toBeNull();
    expect(median(values)).toBe(5.5);
    expect(median([3, 1, 2].sort())).toBe(2);
  });

  it('counts times in working hours, leaves replaced deadlines out, and rates what fell due', () => {
    const deadline = (kind: string, startedAt: string, dueAt: string, metAt: string | null, metBy: string | null) => ({
      kind,
      startedAt: at(startedAt),
      dueAt: at(dueAt),
      metAt: metAt ? at(metAt) : null,
      metBy,
    });
    const report = buildUnitWeekReport({
      calendar: directory.calendar,
      unitId: 'north-3',
      week: '2026-11-23',
      from: at('2026-11-23T00:00:00Z'),
      to: at('2026-11-30T00:00:00Z'),
      now: at('2026-11-27T12:00:00Z'),
      deadlines: [
        // Mon 16:00 → Tue 10:00 London: 1 h on Monday + 1 h on Tuesday = 2 working hours (the night does not count).
        deadline('countersign', '2026-11-23T16:00:00Z', '2026-11-24T17:00:00Z', '2026-11-24T10:00:00Z', 'tom'),
        deadline('countersign', '2026-11-24T09:00:00Z', '2026-11-25T17:00:00Z', '2026-11-24T13:00:00Z', 'tom'), // 4 h
        deadline('countersign', '2026-11-24T09:00:00Z', '2026-11-25T17:00:00Z', '2026-11-24T09:30:00Z', null), // replaced
        deadline('acceptance', '2026-11-25T09:00:00Z', '2026-11-26T17:00:00Z', null, null), // still open, due and passed
      ],
      reminders: [
        { rung: 'owner', count: 3 },
        { rung: 'manager', count: 1 },
      ],
      referrals: [
        { lateWeeks: 0, referBy: '2026-12-01', createdAt: at('2026-11-24T10:00:00Z') },
        { lateWeeks: 2, referBy: '2026-11-10', createdAt: at('2026-11-24T10:00:00Z') },
      ],
    });
    expect(report.times).toEqual([
      { measure: 'Time to countersign', count: 2, medianHours: 3, p90Hours: 4 },
      { measure: 'Time to accept (duty decision)', count: 0, medianHours: null, p90Hours: null },
      { measure: 'Time to handover', count: 0, medianHours: null, p90Hours: null },
    ]);
    expect(report.overdue).toEqual({ due: 3, late: 1, rate: 33.3 });
    expect(report.reminders).toEqual([
      { rung: 'Person who owes it', count: 3 },
      { rung: 'Their manager', count: 1 },
      { rung: 'Senior manager', count: 0 },
    ]);
    expect(report.referrals).toEqual({ sent: 2, late: 1 });
  });

  it('writes CSV that a spreadsheet will not run as a formula', () => {
    expect(tableCsv({ id: 'times', caption: '', columns: ['a', 'b'], rows: [['=HYPERLINK("x")', 'plain, with comma']] })).toBe(`a,b\r\n"'=HYPERLINK(""x"")","plain, with comma"\r\n`);
  });

  it("takes weeks as Mondays in the organisation's time zone", () => {
    expect(parseWeek('2026-11-23')).toBe('2026-11-23');
    expect(parseWeek('2026-11-24')).toBeNull(); // a Tuesday
    expect(parseWeek('2026-02-30')).toBeNull();
    expect(parseWeek('<script>')).toBeNull();
    expect(weekOf({ calendar: directory.calendar, at: at('2026-11-29T23:30:00Z') })).toBe('2026-11-23'); // Sunday night
    expect(weekOf({ calendar: directory.calendar, at: at('2026-11-30T00:30:00Z') })).toBe('2026-11-30');
  });
});

describe('board configuration', () => {
  it('is off, saying why, until BOARD_URL and a sign-in provider are both set', () => {
    expect(boardSettings(parseEnv({})).whyNot).toMatch(/^set BOARD_URL and SLACK_CLIENT_ID/);
    expect(boardSettings(parseEnv({ BOARD_URL: 'https://board.example.org' })).whyNot).toMatch(/^set SLACK_CLIENT_ID\/SLACK_CLIENT_SECRET or ENTRA/);
    const on = boardSettings(parseEnv({ BOARD_URL: 'https://board.example.org/', ENTRA_CLIENT_ID: 'id', ENTRA_CLIENT_SECRET: 's', ENTRA_TENANT_ID: 'contoso' })).settings;
    expect(on).toMatchObject({ baseUrl: 'https://board.example.org', secureCookies: true });
    expect(on?.providers.map((p) => [p.id, p.issuer])).toEqual([['entra', 'https://login.microsoftonline.com/contoso/v2.0']]);
    const slack = boardSettings(parseEnv({ BOARD_URL: 'http://127.0.0.1:3000', SLACK_CLIENT_ID: 'id', SLACK_CLIENT_SECRET: 's' })).settings;
    expect(slack).toMatchObject({ secureCookies: false, providers: [{ id: 'slack', issuer: 'https://slack.com' }] });
  });

  it('refuses half a provider and plain http off loopback, one line per problem', () => {
    const problems = (env: Record<string, string>) => {
      try {
        boardSettings(parseEnv(env));
        return [];
      } catch (error) {
        return (error as ConfigError).problems;
      }
    };
    expect(problems({ SLACK_CLIENT_ID: 'id', ENTRA_CLIENT_ID: 'id', ENTRA_CLIENT_SECRET: 's', BOARD_URL: 'http://board.example.org' })).toEqual([
      'environment SLACK_CLIENT_SECRET: required with SLACK_CLIENT_ID',
      'environment ENTRA_TENANT_ID: required with ENTRA_CLIENT_ID (or set ENTRA_OIDC_ISSUER)',
      'environment BOARD_URL: expected an https:// URL (plain http only for 127.0.0.1 or localhost)',
    ]);
  });
});

describe('need to know on the board', () => {
  it('gives managers their units, the senior manager the line, and everyone else only items they hold a role on', () => {
    const tom = boardScope({ directory, personId: 'tom' });
    expect([...tom.overseen]).toEqual(['north-3']);
    const sam = boardScope({ directory, personId: 'sam' });
    expect([...sam.overseen].sort()).toEqual(['gateway-resettle', 'north-3', 'north-5', 'north-pp']);
    const amara = boardScope({ directory, personId: 'amara' });
    expect([...amara.overseen]).toEqual([]);
    expect([...amara.member]).toEqual(['north-3']);
    const units = ['north-3', 'north-pp'];
    expect(maySeeItem({ scope: tom, unitIds: units, roleCount: 0 })).toBe(true);
    expect(maySeeItem({ scope: boardScope({ directory, personId: 'priya' }), unitIds: units, roleCount: 0 })).toBe(false);
    expect(maySeeItem({ scope: amara, unitIds: units, roleCount: 0 })).toBe(false);
    expect(maySeeItem({ scope: amara, unitIds: units, roleCount: 1 })).toBe(true);
    expect(maySeeUnitReport({ scope: amara, unitId: 'north-3' })).toBe(false);
    expect(maySeeUnitReport({ scope: tom, unitId: 'north-5' })).toBe(false);
  });

  it("gives a delegate the board of the people they act for: an absent manager's units overseen, an officer's units as member", () => {
    const forTom = boardScope({ directory, personId: 'ben', covering: ['tom'] });
    expect([...forTom.overseen]).toEqual(['north-3']);
    expect([...forTom.member]).toEqual([]);
    expect(maySeeUnitReport({ scope: forTom, unitId: 'north-3' })).toBe(true);
    const forLena = boardScope({ directory, personId: 'amara', covering: ['lena'] });
    expect([...forLena.overseen]).toEqual([]);
    expect([...forLena.member].sort()).toEqual(['north-3', 'north-5']);
    expect(forLena.covering).toEqual(['lena']);
    expect(boardScope({ directory, personId: 'ben', covering: ['ben'] }).covering).toEqual([]);
  });
});

describe('sessions', () => {
  it('marks the session cookie Secure on an https board, and checks CSRF tokens per session', () => {
    const settings = boardSettings(parseEnv({ BOARD_URL: 'https://board.example.org', SLACK_CLIENT_ID: 'id', SLACK_CLIENT_SECRET: 's' })).settings!;
    expect(cookieHeader({ settings, name: 'dutydesk_board', value: 'abc', path: '/board', maxAgeMs: 8 * 3_600_000 })).toBe(
      'dutydesk_board=abc; Path=/board; Max-Age=28800; HttpOnly; Secure; SameSite=Lax',
    );
    const mine = { csrfSecret: 'secret-one' };
    expect(csrfMatches(mine, csrfToken(mine))).toBe(true);
    expect(csrfMatches(mine, csrfToken({ csrfSecret: 'secret-two' }))).toBe(false);
    expect(csrfMatches(mine, '')).toBe(false);
    expect(csrfMatches(mine, undefined)).toBe(false);
  });
});

describe('templates', () => {
  it('escapes every interpolated value', () => {
    const name = '<script>alert("x")</script> & \'co\'';
    expect(html`<p title="${name}">${name}</p>`.value).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;</p>',
    );
  });
});
