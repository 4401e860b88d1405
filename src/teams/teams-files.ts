// `cases CRN export` on Teams: the Bot Framework file consent flow in the personal chat. The file waits in the
// database (teams_file_offers) under a random id; the consent card carries only that id. On accept the bytes are
// PUT to the upload session Teams opened in the person's OneDrive (`uploadInfo.uploadUrl`, with Content-Range, as
// OneDrive upload sessions take it) and a file info card follows; a decline is recorded. Need to know is checked
// again at the accept: a role lost since the offer means no file.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { CRN_PATTERN } from '../domain/case-facts.js';
import type { ChatMessage } from '../use-cases/chat-message.js';
import type { UseCaseContext } from '../use-cases/context.js';
import { mayViewCase } from '../use-cases/case-access.use-case.js';
import { words } from '../words/catalogue.js';
import { isLoopbackAddress, type TeamsOutgoing } from './teams-endpoint.js';

export const FILE_CONSENT_CONTENT_TYPE = 'application/vnd.microsoft.teams.card.file.consent';
export const FILE_INFO_CONTENT_TYPE = 'application/vnd.microsoft.teams.card.file.info';

type Attachment = NonNullable<ChatMessage['attachment']>;

/** A message that carries a file for the person (a case export); pictures go inline in the card instead. */
export const fileOf = (message: ChatMessage): Attachment | null => {
  const file = message.attachment;
  return file && !(file.encoding === 'base64' && file.mimeType.startsWith('image/')) ? file : null;
};

const crnOf = (message: ChatMessage, file: Attachment): string | null => {
  const candidates = [message.fields.find((field) => field.label === 'CRN')?.value, file.filename.split('-')[0]];
  return candidates.map((value) => value?.toUpperCase()).find((value): value is string => Boolean(value && CRN_PATTERN.test(value))) ?? null;
};

/** Store the file and ask for consent: the summary card without the file, then the file consent card. */
export const offerFile = async (args: {
  ctx: UseCaseContext;
  aadObjectId: string;
  personId: string;
  message: ChatMessage;
  file: Attachment;
  summaryCard: (message: ChatMessage) => object;
  send: (message: TeamsOutgoing) => Promise<void>;
}): Promise<boolean> => {
  const { ctx, file } = args;
  const crn = crnOf(args.message, file);
  if (!crn) return false;
  const id = randomUUID();
  const now = ctx.clock.now();
  const content = file.encoding === 'base64' ? Buffer.from(file.content, 'base64') : Buffer.from(file.content, 'utf8');
  await ctx.store.transaction(async (repos) => {
    await repos.teamsFileOffers.dropStale(now);
    await repos.teamsFileOffers.offer({
      id,
      aadObjectId: args.aadObjectId.toLowerCase(),
      personId: args.personId,
      crn,
      filename: file.filename,
      mimeType: file.mimeType,
      content: content.toString('base64'),
      createdAt: now,
    });
  });
  const { attachment: _file, ...summary } = args.message;
  await args.send({
    card: args.summaryCard(summary),
    attachments: [
      {
        contentType: FILE_CONSENT_CONTENT_TYPE,
        name: file.filename,
        content: {
          description: words('teamsUi.file_offer', { filename: file.filename }),
          sizeInBytes: content.length,
          acceptContext: { offerId: id },
          declineContext: { offerId: id },
        },
      },
    ],
  });
  return true;
};

/** The `fileConsent/invoke` value Teams sends (only what DutyDesk reads). */
const consentSchema = z.object({
  type: z.literal('fileUpload').optional(),
  action: z.enum(['accept', 'decline']),
  context: z.object({ offerId: z.string().uuid() }),
  uploadInfo: z
    .object({
      name: z.string().min(1).max(255),
      uploadUrl: z.string().url(),
      contentUrl: z.string().url(),
      uniqueId: z.string().max(200).optional(),
      fileType: z.string().max(20).optional(),
    })
    .optional(),
});

/** OneDrive upload sessions are https; plain http only to this machine (an emulator, the tests' fake). */
const uploadAllowed = (url: string): boolean => {
  const parsed = new URL(url);
  return parsed.protocol === 'https:' || (parsed.protocol === 'http:' && isLoopbackAddress(parsed.hostname.replace(/^\[|\]$/g, '')));
};

export const answerFileConsent = async (args: {
  ctx: UseCaseContext;
  aadObjectId: string | undefined;
  personId: string | undefined;
  value: Record<string, unknown>;
  send: (message: TeamsOutgoing) => Promise<void>;
}): Promise<void> => {
  const { ctx } = args;
  const parsed = consentSchema.safeParse(args.value);
  const aad = args.aadObjectId?.toLowerCase();
  if (!parsed.success || !aad || !args.personId) {
    await args.send({ text: words('teamsUi.file_gone') });
    return;
  }
  const { action, context, uploadInfo } = parsed.data;
  const offer = await ctx.store.transaction((repos) => repos.teamsFileOffers.take({ id: context.offerId, aadObjectId: aad }));
  if (!offer) {
    await args.send({ text: words('teamsUi.file_gone') });
    return;
  }
  const audit = (event: string, details: Record<string, unknown>) =>
    ctx.store.transaction((repos) =>
      repos.records.audit({ at: ctx.clock.now(), actorId: offer.personId, event, crn: offer.crn, details: { platform: 'teams', filename: offer.filename, ...details } }),
    );
  const about = { crn: offer.crn, filename: offer.filename };
  if (action === 'decline') {
    await audit('case.export_declined', {});
    await args.send({ text: words('teamsUi.file_declined', about) });
    return;
  }
  if (offer.personId !== args.personId || !(await mayViewCase({ ctx, personId: offer.personId, crn: offer.crn }))) {
    await audit('case.export_refused', { reason: 'need_to_know' });
    await args.send({ text: words('teamsUi.file_refused', about) });
    return;
  }
  if (!uploadInfo || !uploadAllowed(uploadInfo.uploadUrl)) {
    await audit('case.export_failed', { reason: 'upload_url' });
    await args.send({ text: words('teamsUi.file_failed', about) });
    return;
  }
  const bytes = Buffer.from(offer.content, 'base64');
  const response = await fetch(uploadInfo.uploadUrl, {
    method: 'PUT',
    headers: { 'content-length': String(bytes.length), 'content-range': `bytes 0-${bytes.length - 1}/${bytes.length}` },
    body: bytes,
  }).catch(() => null);
  if (!response?.ok) {
    ctx.logger.warn({ platform: 'teams', code: 'file.upload_failed', status: response?.status ?? null }, 'teams file upload refused');
    await audit('case.export_failed', { reason: 'upload', status: response?.status ?? null });
    await args.send({ text: words('teamsUi.file_failed', about) });
    return;
  }
  await audit('case.export_delivered', { bytes: bytes.length });
  await args.send({
    attachments: [
      {
        contentType: FILE_INFO_CONTENT_TYPE,
        name: uploadInfo.name,
        contentUrl: uploadInfo.contentUrl,
        content: { uniqueId: uploadInfo.uniqueId ?? '', fileType: uploadInfo.fileType ?? offer.filename.split('.').pop() ?? '' },
      },
    ],
  });
};
