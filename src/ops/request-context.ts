import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type express from 'express';

/** The HTTP request a piece of work belongs to: every log line written while handling it carries its id. */
const requests = new AsyncLocalStorage<{ reqId: string }>();

/** Fields the logger mixes into every line (pino `mixin`): the request id, when there is one. */
export const requestLogFields = (): { reqId?: string } => {
  const current = requests.getStore();
  return current ? { reqId: current.reqId } : {};
};

/** A caller's X-Request-Id is kept when it looks like an id (a load balancer's), else a new one is made. */
const incomingId = (value: string | undefined) => (value && /^[A-Za-z0-9._:-]{8,128}$/.test(value) ? value : randomUUID());

const PROBES = new Set(['/livez', '/readyz', '/healthz', '/metrics']);

/** Give every request an id (echoed as X-Request-Id) and one access line when it ends; probes at debug. */
export const requestIds = (logger: { info(obj: object, msg?: string): void; debug(obj: object, msg?: string): void }) =>
  ((req, res, next) => {
    const reqId = incomingId(req.get('x-request-id'));
    res.set('X-Request-Id', reqId);
    const started = process.hrtime.bigint();
    requests.run({ reqId }, () => {
      res.on('finish', () => {
        const line = { reqId, method: req.method, path: req.path, status: res.statusCode, ms: Number((process.hrtime.bigint() - started) / 1_000_000n) };
        if (PROBES.has(req.path)) logger.debug(line, 'http request');
        else logger.info(line, 'http request');
      });
      next();
    });
  }) satisfies express.RequestHandler;
