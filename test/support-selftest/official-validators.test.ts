// The validators the tests lean on must refuse what Teams or Slack would refuse, or every "card is valid" check
// elsewhere proves nothing. Each one is shown one good and several bad inputs here.
import { readFileSync } from 'node:fs';
import type { HeaderBlock, KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { renderManifest } from '../../scripts/teams-package.js';
import { validateAdaptiveCard } from '../support/adaptive-card-schema.js';
import { checkBlockKit } from '../support/block-kit-limits.js';
import { validateTeamsManifest } from '../support/teams-manifest-schema.js';

const card = (body: object[], extra: Record<string, unknown> = {}) => ({ type: 'AdaptiveCard', version: '1.5', body, ...extra });

describe('Adaptive Card validation (the adaptivecards SDK under the Teams host config)', () => {
  it("accepts a card shaped like dutydesk's (Teams-only keys, columns, facts, inputs, Action.Execute)", () => {
    // Every card the app really sends is validated by the Teams harness and the fake connector's tests.
    expect(
      validateAdaptiveCard(
        card(
          [
            { type: 'TextBlock', text: 'ESC-000001', weight: 'Bolder', size: 'Medium', wrap: true },
            { type: 'ColumnSet', columns: [{ type: 'Column', width: 'auto', items: [{ type: 'TextBlock', text: 'CRN', isSubtle: true }] }] },
            { type: 'FactSet', facts: [{ title: 'Risk', value: 'High' }] },
            { type: 'Input.Text', id: 'rationale', label: 'Rationale', isMultiline: true, isRequired: true, errorMessage: 'Required' },
            { type: 'Input.ChoiceSet', id: 'person', label: 'Who', style: 'compact', choices: [{ title: 'Omar', value: 'omar' }] },
            { type: 'Input.Toggle', id: 'ok', title: 'Confirm', valueOn: 'yes', valueOff: '' },
          ],
          {
            msteams: { width: 'Full' },
            actions: [{ type: 'Action.Execute', verb: 'form.submit', title: 'Countersign', style: 'positive', associatedInputs: 'auto', data: { dutydesk: { formId: 'f' } } }],
          },
        ),
      ),
    ).toEqual([]);
  });

  it('refuses an unknown element or action type', () => {
    expect(validateAdaptiveCard(card([{ type: 'Frobnicator' }]))).toEqual(['(card): Unknown element type "Frobnicator". Fallback will be used if present. (UnknownElementType)']);
    expect(validateAdaptiveCard(card([], { actions: [{ type: 'Action.Http', title: 'x' }] }))).toEqual([
      '(card): Unknown action type "Action.Http". Fallback will be used if present. (UnknownActionType)',
    ]);
  });

  it('refuses a version Teams does not render, a missing version, and parts newer than the declared version', () => {
    expect(validateAdaptiveCard(card([{ type: 'TextBlock', text: 'x' }], { version: '1.6' }))).toEqual(['(card): "version" 1.6 is newer than Teams renders (1.5)']);
    expect(validateAdaptiveCard({ type: 'AdaptiveCard', body: [] })).toEqual(['(card): "version" is required']);
    expect(validateAdaptiveCard(card([], { version: '1.3', actions: [{ type: 'Action.Execute', verb: 'v' }] }))).toContain(
      '(card).actions[0] (Action.Execute): needs card version 1.4 or later (card is 1.3)',
    );
    expect(validateAdaptiveCard(card([{ type: 'Input.Text', id: 'a', label: 'A', isRequired: true }], { version: '1.2' })).join('\n')).toMatch(/isRequired.*1\.3/);
  });

  it('refuses unknown properties, bad values, missing required properties and more actions than Teams shows', () => {
    expect(validateAdaptiveCard(card([{ type: 'TextBlock', text: 'x', colour: 'good' }]))).toEqual(['(card).body[0] (TextBlock): unknown property "colour"']);
    expect(validateAdaptiveCard(card([{ type: 'FactSet', facts: [{ title: 'a', value: 'b', note: 'c' }] }]))).toEqual(['(card).body[0].facts[0] (Fact): unknown property "note"']);
    expect(validateAdaptiveCard(card([{ type: 'TextBlock', text: 'x', size: 'huge' }]))).toEqual(['TextBlock: Invalid value "huge" for property "size". (InvalidPropertyValue)']);
    expect(validateAdaptiveCard(card([{ type: 'Input.Text' }]))).toContain('(card).body[0] (Input.Text): required property "id" is missing');
    expect(
      validateAdaptiveCard(
        card([
          { type: 'Input.Text', id: 'a' },
          { type: 'Input.Text', id: 'a' },
        ]),
      ).join('\n'),
    ).toMatch(/DuplicateId/);
    const actions = Array.from({ length: 7 }, (_, i) => ({ type: 'Action.Execute', verb: `v${i}`, title: `t${i}` }));
    expect(validateAdaptiveCard(card([], { actions }))).toEqual(['(card): Maximum number of actions exceeded (6). (TooManyActions)']);
  });
});

describe('Teams manifest validation (the official schema shipped in @microsoft/app-manifest)', () => {
  const rendered = () =>
    JSON.parse(
      renderManifest({
        template: readFileSync(new URL('../../teams/manifest.json', import.meta.url), 'utf8'),
        env: { MICROSOFT_APP_ID: '11111111-2222-4333-8444-555555555555', BOARD_URL: 'https://dutydesk.example.org' },
      }).text,
    ) as { bots: Record<string, unknown>[] } & Record<string, unknown>;

  it('accepts teams/manifest.json once its placeholders are filled', async () => {
    expect(await validateTeamsManifest(rendered())).toEqual([]);
  });

  it('refuses a bad scope, a bad colour, an unknown property and a manifest version with no official schema', async () => {
    const manifest = rendered();
    const problems = await validateTeamsManifest({ ...manifest, accentColor: 'blue', colour: 'x', bots: [{ ...manifest.bots[0], scopes: ['galaxy'] }] });
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/additionalProperty":"colour"/);
    expect(problems.join('\n')).toMatch(/^\/accentColor must match pattern/m);
    expect(problems.join('\n')).toMatch(/^\/bots\/0\/scopes\/0 must be equal to one of the allowed values/m);
    expect(await validateTeamsManifest({ ...manifest, manifestVersion: '0.9' })).toEqual(['(manifest): no official schema for manifestVersion "0.9"']);
  });
});

describe('Block Kit (typed by @slack/types, limits checked by the fake Slack)', () => {
  it('accepts well-formed blocks, typed as Slack KnownBlocks', () => {
    const blocks: KnownBlock[] = [
      { type: 'header', text: { type: 'plain_text', text: 'ESC-000001' } },
      { type: 'section', fields: [{ type: 'mrkdwn', text: '*CRN*\nX123456' }] },
      {
        type: 'actions',
        elements: [{ type: 'button', action_id: 'escalation.countersign', text: { type: 'plain_text', text: 'Countersign' }, value: 'escalation:1:escalation.countersign', style: 'primary' }],
      },
    ];
    expect(checkBlockKit('chat.postMessage', { channel: 'C1', text: 'x', blocks })).toEqual([]);
  });

  it('refuses a malformed block, at compile time and at run time', () => {
    // @ts-expect-error Slack's types refuse a header with mrkdwn text, as Slack does.
    const header: HeaderBlock = { type: 'header', text: { type: 'mrkdwn', text: 'h' } };
    expect(checkBlockKit('chat.postMessage', { channel: 'C1', text: 'x', blocks: [header] })).toEqual(['blocks[0].text.type: header text must be plain_text (got "mrkdwn")']);
  });
});
