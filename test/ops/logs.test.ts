import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeSlack } from '../support/fake-slack.js';
import { SLACK } from '../support/test-org.js';
import { type Harness, SECRET, click, startHarness, clickForForm, dmsTo, escalationValues, openedView, slash, submit } from '../slack/slack-harness.js';

const SUMMARY = 'Narrative-7731: disclosed a new partner with children at the Elm Street address.';
const RATIONALE = 'Rationale-5519: agree, the risk to the children has risen.';
const BOT_TOKEN = 'xoxb-1111-2222-logscantoken';

describe('logs of a full run', () => {
  let h: Harness;
  let fake: FakeSlack;
  const lines: string[] = [];
  beforeAll(async () => {
    const destination = { write: (chunk: string) => void lines.push(...chunk.split('\n').filter(Boolean)) };
    h = await startHarness({ env: { SLACK_BOT_TOKEN: BOT_TOKEN, LOG_LEVEL: 'debug' }, logDestination: destination });
    fake = h.fake;
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('never carry the summary, the rationale or a token; every HTTP line has a request id; refusals are counted by code', { timeout: 90_000 }, async () => {
    await slash(h, { command: '/escalate', text: 'X123456', userId: SLACK.amara });
    const form = await openedView(fake, 1);
    await submit(h, { userId: SLACK.amara, view: form, values: escalationValues({ summary: SUMMARY }) });
    await h.t.app.dispatcher.drain();
    const [toTom] = dmsTo(fake, SLACK.tom);
    // Amara clicks Tom's Countersign (a refusal), then Tom countersigns with a rationale.
    await click(h, { userId: SLACK.amara, message: toTom!, actionId: 'escalation.countersign' });
    const rationaleForm = await clickForForm(h, { userId: SLACK.tom, message: toTom!, actionId: 'escalation.countersign' });
    await submit(h, { userId: SLACK.tom, view: rationaleForm, values: { rationale: RATIONALE } });
    await h.t.app.dispatcher.drain();
    expect((await h.t.app.store.repos.items.recentEscalations(1))[0]?.state).toBe('awaiting_acceptance');
    const metrics = await (await fetch(`${h.t.baseUrl}/metrics`)).text();

    const log = lines.join('\n');
    expect(lines.length).toBeGreaterThanOrEqual(10);
    for (const secret of [SUMMARY, 'Narrative-7731', RATIONALE, 'Rationale-5519', BOT_TOKEN, 'logscantoken', SECRET]) expect(log).not.toContain(secret);

    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const http = parsed.filter((line) => line.msg === 'http request');
    // The slash command, two submissions, two clicks, /metrics — each with its own id.
    expect(http.filter((line) => line.path === '/slack/events')).toHaveLength(5);
    expect(http.every((line) => typeof line.reqId === 'string' && (line.reqId as string).length >= 8)).toBe(true);
    expect(new Set(http.map((line) => line.reqId)).size).toBe(http.length);
    // A line written while handling a request (the refusal) carries that request's id.
    const refusal = parsed.find((line) => line.msg === 'slack refusal');
    expect(refusal).toMatchObject({ code: 'escalation.own_escalation', reqId: expect.any(String) });
    expect(http.map((line) => line.reqId)).toContain(refusal!.reqId);

    expect(metrics).toContain('dutydesk_refusals_total{code="escalation.own_escalation",platform="slack"} 1');
    expect(metrics).toContain('dutydesk_process_cpu_seconds_total');
    expect(metrics).toContain('dutydesk_nodejs_eventloop_lag_seconds');
    expect(metrics).not.toContain('dutydesk_process_process_');
  });
});

describe('the redaction safety net', () => {
  it('censors narrative and secret fields at any depth a log line or an SDK object puts them', async () => {
    const { createLogger } = await import('../../src/logger.js');
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', destination: { write: (chunk: string) => void lines.push(chunk) } });
    logger.info(
      {
        summary: SUMMARY,
        item: { notes: SUMMARY, decision: { rationale: RATIONALE } },
        slack: { body: { view: { private_metadata: 'x', state: { values: SUMMARY } } }, headers: { authorization: `Bearer ${BOT_TOKEN}`, 'x-slack-signature': 'v0=abc' } },
        err: { message: `Failed query: insert ... params: ${SUMMARY}` },
        settings: { botToken: BOT_TOKEN, signingSecret: SECRET, appPassword: 'pw-123456' },
        crn: 'X123456',
      },
      'an over-eager log line',
    );
    const line = JSON.parse(lines.join('')) as Record<string, unknown>;
    for (const secret of ['Narrative-7731', 'Rationale-5519', BOT_TOKEN, SECRET, 'pw-123456', 'v0=abc']) expect(lines.join('')).not.toContain(secret);
    expect(line).toMatchObject({ summary: '[redacted]', crn: 'X123456', item: { notes: '[redacted]', decision: { rationale: '[redacted]' } }, err: { message: '[redacted]' } });
  });
});
