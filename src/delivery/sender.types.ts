import type { ChatMessage, Target } from '../use-cases/chat-message.js';

/** Where a sent message landed, so it can be updated later (Slack channel + ts, Teams conversation + activity). */
export interface SendResult {
  channel: string;
  messageId: string;
}

/**
 * A chat API failure, classified by the platform adapter: retryable (5xx, timeouts, 429 with Retry-After)
 * or permanent (channel_not_found, user gone, invalid_auth after retries).
 */
export class DeliveryError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  constructor(args: { code: string; retryable: boolean; retryAfterMs?: number; message?: string }) {
    super(args.message ?? args.code);
    this.name = 'DeliveryError';
    this.code = args.code;
    this.retryable = args.retryable;
    this.retryAfterMs = args.retryAfterMs;
  }
}

/** One chat platform's outgoing side. Implemented in src/slack and src/teams; the outbox calls it. */
export interface ChatSender {
  platform: 'slack' | 'teams';
  send(args: { target: Exclude<Target, { kind: 'refresh' }>; message: ChatMessage }): Promise<SendResult>;
  update(args: { channel: string; messageId: string; message: ChatMessage }): Promise<void>;
}
