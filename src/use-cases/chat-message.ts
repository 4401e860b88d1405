import type { ItemType } from '../domain/workflow.types.js';

/**
 * A platform-neutral message. Slack renders it as Block Kit, Teams as an Adaptive Card. Only `details`
 * may hold case narrative, and only private messages (DMs) carry it.
 */
export interface ChatAction {
  /** e.g. 'escalation.countersign' — the handler the click goes to. */
  id: string;
  label: string;
  style?: 'primary' | 'danger';
  /** The click opens a small form (rationale, case manager, …) before anything changes. */
  needsForm: boolean;
  itemType: ItemType;
  itemId: number;
}

export interface ChatMessage {
  /** One plain line: notification text and fallback. Never narrative. */
  text: string;
  title: string;
  fields: { label: string; value: string }[];
  details?: { label: string; value: string }[];
  notice?: string;
  actions: ChatAction[];
  /** Links out (the case record): direct messages only, never a channel. */
  links?: { label: string; url: string }[];
  item?: { type: ItemType; id: number; version: number; ref: string };
  /** Lines of a list (digests, queues), each plain text. */
  lines?: string[];
  /** A file for the recipient (e.g. a case export as CSV): platforms upload it in the DM (Slack files.uploadV2). */
  attachment?: { filename: string; mimeType: string; content: string; encoding?: 'utf8' | 'base64' };
}

export type Target =
  | { platform: 'slack'; kind: 'user'; id: string; personId: string }
  | { platform: 'slack'; kind: 'channel'; id: string }
  | { platform: 'teams'; kind: 'user'; id: string; personId: string }
  /** A Teams channel (`19:…@thread.tacv2`) in a team the app is installed in. */
  | { platform: 'teams'; kind: 'channel'; id: string }
  /** Update every earlier message about an item on this platform (buttons gone, who did what). */
  | { platform: 'slack' | 'teams'; kind: 'refresh'; id: string };

export const itemRef = (itemType: ItemType, id: number) => `${itemType === 'escalation' ? 'ESC' : 'REF'}-${String(id).padStart(6, '0')}`;

export const parseItemRef = (text: string): { itemType: ItemType; id: number } | null => {
  const match = /^(ESC|REF)-(\d{1,9})$/i.exec(text.trim());
  if (!match) return null;
  return { itemType: match[1]?.toUpperCase() === 'ESC' ? 'escalation' : 'referral', id: Number(match[2]) };
};

/** Encode a button's value: item and action, nothing secret, nothing personal. */
export const encodeActionValue = (action: ChatAction) => `${action.itemType}:${action.itemId}:${action.id}`;

export const decodeActionValue = (value: string): { itemType: ItemType; itemId: number; actionId: string } | null => {
  const match = /^([a-z_]+):(\d{1,9}):([a-z_]+)\.([a-z_]+)$/.exec(value);
  // The action belongs to the item's own workflow, or the value is not one of ours.
  if (!match || match[1] !== match[3]) return null;
  return { itemType: match[1] as ItemType, itemId: Number(match[2]), actionId: `${match[3]}.${match[4]}` };
};
