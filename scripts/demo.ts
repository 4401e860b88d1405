/**
 * `npm run demo`: the real bot on its real clock and background loops, a fake Slack Web API on loopback, and an
 * urgent escalation whose deadlines are seconds long. It prints every message the bot sends, to whom, with its
 * buttons, while the ladder chases Tom, then Sam; then Tom countersigns from the reminder, Dev accepts naming
 * Omar, both confirm the handover, and the case's export is printed. Nothing leaves this machine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createApp } from '../src/app.js';
import { parseEnv } from '../src/config/env.config.js';
import { createLogger } from '../src/logger.js';
import { exportCase } from '../src/use-cases/export.use-case.js';
import { type SlackCall, startFakeSlack } from '../test/support/fake-slack.js';
import { stateValue } from '../test/support/slack-requests.js';
import { exampleOrg, SLACK } from '../test/support/test-org.js';
import { type Harness, SECRET, buttonsOf, click, clickForForm, escalationValues, openedView, slash, submit, textOf } from '../test/slack/slack-harness.js';

const org = exampleOrg((text) =>
  text
    .replace('countersign:  { standard: "1 working day",  urgent: PT2H }', 'countersign:  { standard: "1 working day",  urgent: PT5S }')
    .replace(
      'reminders: { repeatEvery: PT2H, managerAfter: "1 working day", seniorManagerAfter: "2 working days" }',
      'reminders: { repeatEvery: PT10S, managerAfter: PT20S, seniorManagerAfter: PT30S }',
    ),
);
const names = new Map(org.people.filter((p) => p.slack).map((p) => [p.slack as string, p.name]));
const channelNames = new Map(org.units.filter((u) => u.channel.slack).map((u) => [u.channel.slack as string, `#${u.id}`]));

const fake = await startFakeSlack();
const dataDir = mkdtempSync(path.join(tmpdir(), 'dutydesk-demo-'));
const env = parseEnv({ DATA_DIR: dataDir, SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: 'xoxb-demo', SLACK_API_URL: fake.url, LOG_LEVEL: 'warn' });
const app = await createApp({ env, org, orgFile: 'org.example.yaml (demo: urgent countersign PT5S; ladder PT10S/PT20S/PT30S)', logger: createLogger({ level: 'warn' }) });
const port = await app.listen(0, '127.0.0.1');
const h = { t: { app, baseUrl: `http://127.0.0.1:${port}` }, fake } as unknown as Harness;

const started = Date.now();
const stamp = () => `+${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s`;
const who = (channel: string) => (channel.startsWith('D') ? `DM ${names.get(channel.slice(1)) ?? channel}` : (channelNames.get(channel) ?? channel));
let printed = 0;
const printNew = () => {
  for (const call of fake.calls.slice(printed)) {
    printed += 1;
    if (call.failed || !['chat.postMessage', 'chat.update', 'chat.postEphemeral', 'views.open'].includes(call.method)) continue;
    const line =
      textOf(call)
        .split('\n')
        .find((text) => text.trim()) ?? '';
    const buttons = buttonsOf(call)
      .map((button) => `[${button.text?.text}]`)
      .join(' ');
    const target = call.method === 'views.open' ? 'form opened' : call.method === 'chat.update' ? `update ${who(String(call.args.channel))}` : who(String(call.args.channel ?? call.args.user));
    process.stdout.write(`${stamp()}  ${call.method.padEnd(18)} ${target.padEnd(22)} ${line.slice(0, 110)}${buttons ? `  ${buttons}` : ''}\n`);
  }
};
const watch = setInterval(printNew, 100);
const lastDm = (user: string): SlackCall =>
  fake
    .callsTo('chat.postMessage')
    .filter((c) => !c.failed && c.args.channel === fake.dmChannelFor(user))
    .at(-1) as SlackCall;

process.stdout.write(`dutydesk demo on http://127.0.0.1:${port} (fake Slack ${fake.url})\n`);
await slash(h, { command: '/escalate', text: 'x123456', userId: SLACK.amara });
const form = await openedView(fake, 1);
await submit(h, { userId: SLACK.amara, view: form, values: escalationValues({ urgency: stateValue.select('urgent'), roshNew: stateValue.select('VERY_HIGH') }) });
process.stdout.write(`${stamp()}  Amara raised an urgent escalation; waiting 37 s while nobody countersigns…\n`);
await sleep(37_000);

process.stdout.write(`${stamp()}  Tom countersigns from his latest reminder\n`);
const rationale = await clickForForm(h, { userId: SLACK.tom, message: lastDm(SLACK.tom), actionId: 'escalation.countersign' });
await submit(h, { userId: SLACK.tom, view: rationale, values: { rationale: 'Agree: risk is now very high.' } });
await sleep(1500);
const accept = await clickForForm(h, { userId: SLACK.dev, message: lastDm(SLACK.dev), actionId: 'escalation.accept' });
await submit(h, { userId: SLACK.dev, view: accept, values: { rationale: 'Accepted on duty.', personId: stateValue.select('omar') } });
await sleep(1500);
for (const user of [SLACK.omar, SLACK.amara]) {
  const message = lastDm(user);
  const button = buttonsOf(message).find((element) => element.action_id === 'escalation.confirm_handover');
  if (button) await click(h, { userId: user, message, actionId: 'escalation.confirm_handover' });
  await sleep(800);
}
await sleep(1500);
printNew();
clearInterval(watch);
const [row] = await app.store.repos.items.recentEscalations(1);
process.stdout.write(`\nESC-${String(row?.id).padStart(6, '0')} is now: ${row?.state}\n\nExport (npm run export -- --crn X123456):\n`);
const exported = await exportCase({ ctx: app.ctx, crn: 'X123456', format: 'csv', actorId: null, platform: 'cli' });
for (const line of exported.content.trim().split('\r\n')) {
  const cells = line.split(',');
  process.stdout.write(`  ${cells.slice(0, 12).join(',').slice(0, 190)}\n`);
}
await app.stop();
await fake.close();
rmSync(dataDir, { recursive: true, force: true });
