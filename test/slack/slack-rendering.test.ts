import { describe, expect, it } from 'vitest';
import { channelSafe, messageBlocks, messagePayload } from '../../src/slack/slack-blocks.js';
import { errorsResponse, formValuesFromState, formView } from '../../src/slack/slack-modals.js';
import { escapeMrkdwn, truncate } from '../../src/slack/slack-text.js';
import { signViewMetadata, verifyViewMetadata } from '../../src/slack/slack-view-metadata.js';
import type { ChatMessage } from '../../src/use-cases/chat-message.js';
import type { Button } from '@slack/types';
import { checkBlockKit } from '../support/block-kit-limits.js';
import { stateValue } from '../support/slack-requests.js';

const huge = (n: number) => 'x'.repeat(n);

describe('Block Kit rendering stays inside Slack limits and pings nobody', () => {
  it('escapes &, <, > and breaks @channel / @here / @everyone', () => {
    expect(escapeMrkdwn('a & b <!channel> <@U123|bob> <!here> @channel @here @everyone')).toBe('a &amp; b &lt;!channel&gt; &lt;@U123|bob&gt; &lt;!here&gt; @\u200Bchannel @\u200Bhere @\u200Beveryone');
    expect(truncate(escapeMrkdwn('&&&&&'), 7)).toBe('&amp;…');
  });

  it('cuts an oversized message down to valid blocks', () => {
    const message: ChatMessage = {
      text: huge(50_000),
      title: huge(500),
      fields: Array.from({ length: 23 }, (_, i) => ({ label: `F${i}`, value: huge(2500) })),
      details: Array.from({ length: 60 }, (_, i) => ({ label: `D${i}`, value: `<@U0SAM> ${huge(4000)}` })),
      lines: Array.from({ length: 300 }, (_, i) => `line ${i} ${huge(100)}`),
      notice: huge(5000),
      actions: Array.from({ length: 30 }, (_, i) => ({ id: 'escalation.countersign', label: `ESC-${i}: ${huge(100)}`, needsForm: true, itemType: 'escalation' as const, itemId: i })),
    };
    const payload = messagePayload(message);
    expect(payload.blocks).toHaveLength(50);
    expect(checkBlockKit('chat.postMessage', { channel: 'C1', ...payload })).toEqual([]);
    expect(JSON.stringify(payload)).not.toContain('<@U0SAM>');
    const buttons = payload.blocks.flatMap((block) => (block.type === 'actions' ? block.elements : [])).filter((element): element is Button => element.type === 'button');
    expect(buttons).toHaveLength(30);
    expect(new Set(buttons.slice(0, 25).map((b) => b.action_id)).size).toBe(25); // unique within a block
    expect(checkBlockKit('views.publish', { view: { type: 'home', blocks: messageBlocks(message, { maxBlocks: 100 }) } })).toEqual([]);
  });

  it('never puts details or buttons in a channel message', () => {
    const message: ChatMessage = {
      text: 'Incoming',
      title: 'Incoming',
      fields: [{ label: 'CRN', value: 'X123456' }],
      details: [{ label: 'Summary', value: 'secret narrative' }],
      actions: [{ id: 'escalation.accept', label: 'Accept', needsForm: true, itemType: 'escalation', itemId: 1 }],
    };
    const payload = JSON.stringify(messagePayload(channelSafe(message)));
    expect(payload).not.toContain('secret narrative');
    expect(payload).not.toContain('escalation.accept');
  });

  it('renders a form as a valid modal and reads the submitted state back', () => {
    const view = formView({
      metadata: 'm',
      form: {
        formId: 'escalate',
        title: 'A title far longer than twenty-four characters',
        submitLabel: 'Send for countersign now please',
        intro: '<!here> intro',
        context: {},
        fields: [
          { kind: 'text', name: 'crn', label: 'CRN', initial: 'X123456', maxLength: 7 },
          { kind: 'select', name: 'unit', label: 'Unit', options: Array.from({ length: 150 }, (_, i) => ({ value: `u${i}`, label: huge(100) })), initial: 'u3' },
          { kind: 'checkboxes', name: 'ok', label: 'OK', options: [{ value: 'done', label: 'Done' }] },
          { kind: 'date', name: 'when', label: 'When', optional: true },
          { kind: 'select', name: 'empty', label: 'Nobody', options: [] },
        ],
      },
    });
    expect(checkBlockKit('views.open', { view })).toEqual([]);
    const values = formValuesFromState({
      crn: { value: stateValue.text('X123456') },
      unit: { value: stateValue.select('u3') },
      ok: { value: stateValue.checkboxes(['done']) },
      when: { value: stateValue.date(null) },
    } as never);
    expect(values).toEqual({ crn: 'X123456', unit: 'u3', ok: ['done'], when: undefined });
    expect(errorsResponse({ fieldErrors: { crn: 'Bad', form: 'Whole form' }, blockIds: ['crn', 'unit'] })).toEqual({
      response_action: 'errors',
      errors: { crn: 'Bad' },
    });
  });

  it('signs view metadata for one user and one form', () => {
    const raw = signViewMetadata({ secret: 's', metadata: { command: 'decision', formId: 'decision', context: { itemId: '1' }, userId: 'U1' } });
    expect(verifyViewMetadata({ secret: 's', raw, userId: 'U1', callbackId: 'decision' })?.context).toEqual({ itemId: '1' });
    expect(verifyViewMetadata({ secret: 's', raw, userId: 'U2', callbackId: 'decision' })).toBeNull();
    expect(verifyViewMetadata({ secret: 'other', raw, userId: 'U1', callbackId: 'decision' })).toBeNull();
    const tampered = raw.replace('"itemId":"1"', '"itemId":"2"');
    expect(verifyViewMetadata({ secret: 's', raw: tampered, userId: 'U1', callbackId: 'decision' })).toBeNull();
  });
});
