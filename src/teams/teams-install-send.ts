// A person the bot has no conversation with, reached by installing the app for them (Microsoft Graph, retried
// once), then opening the 1:1 conversation and sending. A refusal is an audit event and a digest note; the row
// is then final (the dead row is listed in the unit's digest too), so nothing disappears silently.
import { INSTALL_REFUSED_EVENT as TEAMS_INSTALL_REFUSED } from '../delivery/channel-reach.js';
import { DeliveryError, type SendResult } from '../delivery/sender.types.js';
import type { UseCaseContext } from '../use-cases/context.js';
import type { TeamsBot, TeamsOutgoing } from './teams-endpoint.js';
import type { GraphInstaller } from './teams-graph-install.js';
import { recordTeamsReference } from './teams-references.js';

/** Where Teams' public cloud takes proactive 1:1 conversations when no conversation of this tenant is known yet. */
const PUBLIC_SERVICE_URL = 'https://smba.trafficmanager.net/teams/';

export const installAndSend = async (args: {
  ctx: UseCaseContext;
  bot: TeamsBot;
  installer: GraphInstaller;
  tenantId?: string;
  aad: string;
  personId: string;
  message: TeamsOutgoing;
}): Promise<SendResult> => {
  const { ctx, aad, personId } = args;
  const outcome = await args.installer.install(aad);
  const now = ctx.clock.now();
  if (outcome.result !== 'installed') {
    const details = { people: [personId], status: outcome.status, code: outcome.code };
    if (outcome.result === 'refused') {
      await ctx.store.repos.records.audit({ at: now, actorId: null, event: TEAMS_INSTALL_REFUSED, details });
      ctx.logger.warn({ platform: 'teams', personId, status: outcome.status, code: outcome.code }, 'teams: installing the app for this person was refused');
      throw new DeliveryError({ code: TEAMS_INSTALL_REFUSED, retryable: false, message: 'Microsoft Graph refused to install the Teams app for this person' });
    }
    throw new DeliveryError({ code: 'teams.install_failed', retryable: true, message: 'Microsoft Graph did not answer the app installation' });
  }
  await ctx.store.repos.records.audit({ at: now, actorId: null, event: 'teams.app_installed', details: { people: [personId] } });
  ctx.logger.info({ platform: 'teams', personId }, 'teams: app installed for this person');
  const known = await ctx.store.repos.teamsChannels.knownConnector();
  const tenantId = args.tenantId ?? known?.tenantId;
  if (!tenantId) throw new DeliveryError({ code: 'teams.no_tenant', retryable: true, message: 'no Teams tenant known yet to open the conversation in' });
  // A connector failure here is thrown as it is: the sender classifies it for the outbox.
  const created = await args.bot.createPersonalConversation({ serviceUrl: known?.serviceUrl ?? PUBLIC_SERVICE_URL, tenantId, userAadId: aad, message: args.message });
  await recordTeamsReference({ ctx, aadObjectId: aad, personId, reference: created.reference, why: 'proactive install' });
  return { channel: aad, messageId: created.activityId ?? '' };
};
