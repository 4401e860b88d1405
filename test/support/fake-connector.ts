// A fake Bot Framework Connector (the REST API a Teams bot calls back on `serviceUrl`), for tests.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeServer, decodedJson, listenOnLoopback, readBody } from './loopback-http.js';

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

export interface RecordedConnectorRequest {
  method: string;
  path: string;
  conversationId?: string;
  activityId?: string;
  body: unknown;
  at: number;
  authorization?: string;
  /** id the fake answered with (created conversation, sent activity), if any. */
  responseId?: string;
  status: number;
}

/** An activity the bot sent (POST) or updated (PUT), with the id Teams would have given it. */
export type SentActivity = Record<string, unknown> & {
  id: string;
  type?: string;
  text?: string;
  replyToId?: string;
  conversation?: { id?: string };
  attachments?: Array<{ contentType?: string; content?: unknown }>;
};

/** A file PUT to one of the fake's OneDrive-style upload URLs (what a file consent accept points the bot at). */
export interface RecordedUpload {
  /** The upload session's name, as given to uploadUrl(). */
  session: string;
  method: string;
  contentRange?: string;
  contentLength?: string;
  bytes: Buffer;
}

export interface FakeConnector {
  /**
   * A loopback upload session URL, as Teams puts in `uploadInfo.uploadUrl` of an accepted file consent; what the
   * bot PUTs there is recorded in uploads(). `status` lets the session refuse the upload.
   */
  uploadUrl(session: string, options?: { status?: number }): string;
  uploads(): RecordedUpload[];
  /** serviceUrl to put into activities; ends with '/'. */
  url: string;
  requests: RecordedConnectorRequest[];
  /** Activities sent with POST (new messages and replies), in order. */
  activities(): SentActivity[];
  /** Activities replaced with PUT, in order; `id` is the updated activity's id. */
  updates(): SentActivity[];
  activitiesTo(conversationId: string): SentActivity[];
  /** Every Adaptive Card seen: in sent/updated activities and those registered with recordCard, in order. */
  cards(): object[];
  /** Register a card that reached the user another way (e.g. an Action.Execute invoke response). */
  recordCard(card: object): void;
  /** A team the bot may be installed in: `GET /v3/teams/{teamId}/conversations` lists these channels. */
  addTeam(args: { teamId: string; channels: { id: string; name?: string }[] }): void;
  /** New threads the bot started in team channels (create-conversation with channelData.channel), in order. */
  channelPosts(channelId?: string): ChannelPost[];
  /** The next `times` requests (default 1) fail with `status`, optionally with a Retry-After header. */
  failNext(status: number, options?: { times?: number; retryAfterSeconds?: number }): void;
  reset(): void;
  close(): Promise<void>;
}

/** A thread started in a channel: Teams names it `<channel>;messageid=<root activity id>`. */
export interface ChannelPost {
  channelId: string;
  conversationId: string;
  activityId: string;
  activity: SentActivity;
}

const TEAM_CHANNELS_ROUTE = /^\/v3\/teams\/([^/]+)\/conversations\/?$/;
const UPLOAD_ROUTE = /^\/upload\/([^/]+)$/;
const header = (req: IncomingMessage, name: string) => (typeof req.headers[name] === 'string' ? (req.headers[name] as string) : undefined);
const CONVERSATION_ROUTE = /^\/v3\/conversations\/([^/]+)(?:\/activities(?:\/([^/]+))?)?\/?$/;

export async function startFakeConnector(): Promise<FakeConnector> {
  const requests: RecordedConnectorRequest[] = [];
  const uploads: RecordedUpload[] = [];
  const uploadStatus = new Map<string, number>();
  const extraCards: Array<{ seq: number; card: object }> = [];
  const failures: Array<{ status: number; retryAfterSeconds?: number }> = [];
  const teams = new Map<string, { id: string; name?: string }[]>();
  let seq = 0;
  let counter = 0;

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const upload = UPLOAD_ROUTE.exec(path);
    if (upload) {
      const session = safeDecode(upload[1] ?? '');
      const bytes = await readBody(req);
      uploads.push({ session, method, contentRange: header(req, 'content-range'), contentLength: header(req, 'content-length'), bytes });
      const status = uploadStatus.get(session) ?? 201;
      // OneDrive answers the last byte range with the created drive item.
      res
        .writeHead(status, { 'content-type': 'application/json' })
        .end(JSON.stringify(status < 300 ? { id: `fake-item-${session}`, name: session, size: bytes.length } : { error: { code: 'accessDenied' } }));
      return;
    }
    const body = await readJson(req);
    const match = CONVERSATION_ROUTE.exec(path);
    const record: RecordedConnectorRequest = {
      method,
      path,
      body,
      at: Date.now(),
      status: 200,
      conversationId: match?.[1] !== undefined ? safeDecode(match[1]) : undefined,
      activityId: match?.[2] !== undefined ? safeDecode(match[2]) : undefined,
      authorization: req.headers.authorization,
    };
    Object.defineProperty(record, 'seq', { value: ++seq, enumerable: false });
    requests.push(record);

    const failure = failures.shift();
    if (failure) {
      record.status = failure.status;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (failure.retryAfterSeconds !== undefined) headers['retry-after'] = String(failure.retryAfterSeconds);
      res.writeHead(failure.status, headers).end(JSON.stringify({ error: { code: 'ServiceError', message: 'injected failure' } }));
      return;
    }

    let answer: object = {};
    const teamChannels = TEAM_CHANNELS_ROUTE.exec(path);
    const channelId = channelOf(body);
    if (method === 'GET' && teamChannels) {
      const channels = teams.get(safeDecode(teamChannels[1] ?? ''));
      if (!channels) {
        record.status = 404;
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'NotFound', message: 'team not found or bot not installed' } }));
        return;
      }
      answer = { conversations: channels.map((channel) => ({ id: channel.id, ...(channel.name ? { name: channel.name } : {}) })) };
    } else if (method === 'POST' && path.replace(/\/$/, '') === '/v3/conversations' && channelId) {
      // A new thread in a channel: the answer names it after the channel and the root post's id.
      const activityId = `${Date.now()}${++counter}`;
      record.responseId = `${channelId};messageid=${activityId}`;
      answer = { id: record.responseId, activityId };
    } else if (method === 'POST' && path.replace(/\/$/, '') === '/v3/conversations') {
      record.responseId = `a:fake-conversation-${++counter}`;
      answer = { id: record.responseId };
    } else if (method === 'POST' && match && path.includes('/activities')) {
      record.responseId = `fake-activity-${++counter}`;
      answer = { id: record.responseId };
    } else if (method === 'PUT' && match?.[2] !== undefined) {
      answer = { id: record.activityId };
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  }

  const origin = await listenOnLoopback(server);

  const isSend = (r: RecordedConnectorRequest): boolean => r.method === 'POST' && r.conversationId !== undefined && r.path.includes('/activities') && r.status < 400;
  const isUpdate = (r: RecordedConnectorRequest): boolean => r.method === 'PUT' && r.activityId !== undefined && r.status < 400;
  const asActivity = (r: RecordedConnectorRequest, id: string): SentActivity => ({ ...(isObject(r.body) ? r.body : {}), id }) as SentActivity;

  const activities = (): SentActivity[] => requests.filter(isSend).map((r) => asActivity(r, r.responseId ?? ''));
  const updates = (): SentActivity[] => requests.filter(isUpdate).map((r) => asActivity(r, r.activityId ?? ''));

  return {
    url: `${origin}/`,
    uploadUrl(session, options) {
      if (options?.status) uploadStatus.set(session, options.status);
      return `${origin}/upload/${encodeURIComponent(session)}`;
    },
    uploads: () => [...uploads],
    requests,
    activities,
    updates,
    activitiesTo: (conversationId) => requests.filter((r) => isSend(r) && r.conversationId === conversationId).map((r) => asActivity(r, r.responseId ?? '')),
    cards() {
      const fromActivities = requests
        .filter((r) => isSend(r) || isUpdate(r) || (r.method === 'POST' && r.status < 400 && channelOf(r.body) !== undefined))
        .flatMap((r) => [...cardsIn(r.body), ...cardsIn(isObject(r.body) ? r.body.activity : undefined)].map((card) => ({ seq: seqOf(r), card })));
      return [...fromActivities, ...extraCards].sort((a, b) => a.seq - b.seq).map((c) => c.card);
    },
    addTeam({ teamId, channels }) {
      teams.set(teamId, channels);
    },
    channelPosts(channelId) {
      return requests
        .filter((r) => r.method === 'POST' && r.status < 400 && r.path.replace(/\/$/, '') === '/v3/conversations' && channelOf(r.body) !== undefined)
        .map((r) => {
          const body = r.body as { activity?: Record<string, unknown> };
          const conversationId = r.responseId ?? '';
          return {
            channelId: channelOf(r.body) as string,
            conversationId,
            activityId: conversationId.split(';messageid=')[1] ?? '',
            activity: { ...(body.activity ?? {}), id: conversationId } as SentActivity,
          };
        })
        .filter((post) => channelId === undefined || post.channelId === channelId);
    },
    recordCard(card) {
      extraCards.push({ seq: ++seq, card });
    },
    failNext(status, options) {
      for (let i = 0; i < (options?.times ?? 1); i++) failures.push({ status, retryAfterSeconds: options?.retryAfterSeconds });
    },
    reset() {
      requests.length = 0;
      uploads.length = 0;
      extraCards.length = 0;
      failures.length = 0;
    },
    close: () => closeServer(server),
  };
}

function cardsIn(body: unknown): object[] {
  if (!isObject(body) || !Array.isArray(body.attachments)) return [];
  return body.attachments.filter((a): a is { contentType: string; content: object } => isObject(a) && a.contentType === ADAPTIVE_CARD_CONTENT_TYPE && isObject(a.content)).map((a) => a.content);
}

/** The channel a create-conversation asks for (`channelData.channel.id`), if any. */
function channelOf(body: unknown): string | undefined {
  const channel = isObject(body) && isObject(body.channelData) ? body.channelData.channel : undefined;
  return isObject(channel) && typeof channel.id === 'string' ? channel.id : undefined;
}

function seqOf(r: RecordedConnectorRequest): number {
  return (r as unknown as { seq: number }).seq;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const raw = (await readBody(req)).toString('utf8');
  return raw ? decodedJson(raw) : undefined;
}
