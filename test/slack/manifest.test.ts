import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const manifest = JSON.parse(readFileSync(`${root}manifest.json`, 'utf8'));
const slackSources = readdirSync(`${root}src/slack`)
  .map((file) => readFileSync(`${root}src/slack/${file}`, 'utf8'))
  .join('\n');

describe('manifest.json', () => {
  it('declares every registered command with its description and usage hint, at /slack/events', () => {
    const declared = manifest.features.slash_commands as { command: string; url: string; description: string; usage_hint: string }[];
    expect(declared.map((entry) => entry.command).sort()).toEqual(COMMANDS.map((command) => `/${command.name}`).sort());
    for (const command of COMMANDS) {
      const entry = declared.find((candidate) => candidate.command === `/${command.name}`);
      expect(entry).toMatchObject({ url: 'https://YOUR-HOST/slack/events', description: command.description, usage_hint: command.usageHint });
      expect(entry!.description.length).toBeLessThanOrEqual(2000);
    }
  });

  it('sends interactivity and events to /slack/events, with App Home and app_home_opened', () => {
    expect(manifest.settings.interactivity).toEqual({ is_enabled: true, request_url: 'https://YOUR-HOST/slack/events' });
    expect(manifest.settings.event_subscriptions).toEqual({ request_url: 'https://YOUR-HOST/slack/events', bot_events: ['app_home_opened'] });
    expect(manifest.features.app_home).toMatchObject({ home_tab_enabled: true, messages_tab_enabled: true });
    expect(manifest.display_information.name.length).toBeLessThanOrEqual(35);
    expect(manifest.display_information.description.length).toBeLessThanOrEqual(140);
  });

  it('asks only for the bot scopes the code uses', () => {
    const uses: Record<string, RegExp> = {
      commands: /app\.command\(/,
      'chat:write': /chat\.(postMessage|update|postEphemeral)/,
      'chat:write.public': /kind === 'channel'/,
      'im:write': /conversations\.open/,
      'files:write': /filesUploadV2/,
    };
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(Object.keys(uses).sort());
    for (const [scope, pattern] of Object.entries(uses)) expect(slackSources, scope).toMatch(pattern);
  });
});
