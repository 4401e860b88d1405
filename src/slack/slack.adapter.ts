import type express from 'express';
import type { SlackSettings } from '../config/env.config.js';
import type { ChatSender } from '../delivery/sender.types.js';
import type { Metrics } from '../http/metrics.js';
import type { UseCaseContext } from '../use-cases/context.js';

/** STUB — replaced by the Slack adapter (issue 3). */
export const createSlackAdapter = async (_args: { ctx: UseCaseContext; settings: SlackSettings; metrics: Metrics; http: express.Express }) => {
  const sender: ChatSender = {
    platform: 'slack',
    send: async () => {
      throw new Error('slack sender not implemented');
    },
    update: async () => undefined,
  };
  return { sender, start: async () => undefined, stop: async () => undefined };
};
