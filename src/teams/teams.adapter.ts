import type express from 'express';
import type { ChatSender } from '../delivery/sender.types.js';
import type { Metrics } from '../http/metrics.js';
import type { UseCaseContext } from '../use-cases/context.js';

export interface TeamsSettings {
  appId?: string;
  appPassword?: string;
  tenantId?: string;
  appType?: string;
}

/** STUB — replaced by the Teams adapter (issue 5). */
export const createTeamsAdapter = async (_args: { ctx: UseCaseContext; settings: TeamsSettings; metrics: Metrics; http: express.Express; nodeEnv?: string }) => {
  const sender: ChatSender = {
    platform: 'teams',
    send: async () => {
      throw new Error('teams sender not implemented');
    },
    update: async () => undefined,
  };
  return { sender, description: 'not connected (not implemented yet)' };
};
