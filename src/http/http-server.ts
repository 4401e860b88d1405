import express from 'express';
import type { Store } from '../db/store.js';
import type { HttpLifecycle } from '../ops/http-lifecycle.js';
import { requestIds } from '../ops/request-context.js';
import type { Logger } from '../use-cases/context.js';
import type { Metrics } from './metrics.js';

/** One Express app for everything: health, metrics, Slack at /slack/events, Teams at /api/messages. */
export const createHttpApp = (args: { store: Store; metrics: Metrics; health?: () => Record<string, unknown>; lifecycle?: HttpLifecycle; logger?: Logger }) => {
  const app = express();
  app.disable('x-powered-by');
  if (args.logger) app.use(requestIds(args.logger));
  app.use((req, res, next) => {
    const route =
      req.path === '/slack/events' || req.path === '/api/messages' || req.path === '/healthz' || req.path === '/metrics' || req.path === '/livez' || req.path === '/readyz'
        ? req.path
        : req.path.startsWith('/board')
          ? '/board'
          : 'other';
    res.on('finish', () => args.metrics.requests.inc({ route, status: String(res.statusCode) }));
    next();
  });
  // Before every other route: /livez, /readyz, and draining (503 + Retry-After once SIGTERM arrived).
  args.lifecycle?.install(app);
  app.get('/healthz', async (_req, res) => {
    const ok = await args.store.ping();
    // Unchanged for compatibility when down; when up it also says which org file this replica runs.
    res.status(ok ? 200 : 503).json(ok ? { status: 'ok', ...args.health?.() } : { status: 'unavailable' });
  });
  app.get('/metrics', async (_req, res) => {
    res.set('Content-Type', args.metrics.registry.contentType);
    res.send(await args.metrics.registry.metrics());
  });
  return app;
};

/** Routes added after the chat adapters: anything else is 404, errors never leak details. */
export const finishHttpApp = (app: express.Express) => {
  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found' });
  });
  app.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const status = (error as { status?: number; statusCode?: number }).status ?? (error as { statusCode?: number }).statusCode ?? 500;
    if (!res.headersSent) res.status(status >= 400 && status < 600 ? status : 500).json({ error: status === 413 ? 'too_large' : status < 500 ? 'bad_request' : 'internal_error' });
  });
};
