import type express from 'express';

/** Seconds a draining replica asks clients (and load balancers) to wait before trying again, elsewhere. */
const RETRY_AFTER_SECONDS = 5;

export type ReadinessCheck = () => Promise<boolean> | boolean;

/**
 * Liveness, readiness and draining for the HTTP server. `/livez`: the process answers. `/readyz`: every check
 * passes (database reachable, migrations done, org loaded, Slack socket open in Socket Mode). On SIGTERM the
 * replica drains: new requests get 503 with Retry-After, requests already running finish.
 */
export const createHttpLifecycle = () => {
  const checks = new Map<string, ReadinessCheck>();
  let draining = false;
  let inFlight = 0;
  let idle: (() => void)[] = [];

  const settle = () => {
    if (inFlight > 0) return;
    for (const resolve of idle.splice(0)) resolve();
  };

  return {
    /** Add a readiness check (named in /readyz's answer). */
    check(name: string, check: ReadinessCheck) {
      checks.set(name, check);
    },
    install(app: express.Express) {
      app.use((req, res, next) => {
        if (req.path === '/livez') return next();
        if (draining) {
          res.set('Retry-After', String(RETRY_AFTER_SECONDS)).set('Connection', 'close').status(503).json({ status: 'draining' });
          return;
        }
        inFlight += 1;
        let done = false;
        const finish = () => {
          if (done) return;
          done = true;
          inFlight -= 1;
          settle();
        };
        res.on('finish', finish);
        res.on('close', finish);
        next();
      });
      app.get('/livez', (_req, res) => {
        res.json({ status: 'alive' });
      });
      app.get('/readyz', async (_req, res) => {
        const results = await Promise.all(
          [...checks].map(async ([name, check]) => {
            try {
              return [name, (await check()) ? 'ok' : 'failing'] as const;
            } catch {
              return [name, 'failing'] as const;
            }
          }),
        );
        const ready = results.every(([, result]) => result === 'ok');
        res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks: Object.fromEntries(results) });
      });
    },
    get draining() {
      return draining;
    },
    /** Requests being handled now (not counting /livez). */
    inFlight: () => inFlight,
    /** Refuse new work from now on; resolves when the requests already running have finished (or at `deadline`). */
    drain(deadline: Date): Promise<boolean> {
      draining = true;
      if (inFlight === 0) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), Math.max(0, deadline.getTime() - Date.now()));
        idle.push(() => {
          clearTimeout(timer);
          resolve(true);
        });
      });
    },
    reset() {
      idle = [];
    },
  };
};

export type HttpLifecycle = ReturnType<typeof createHttpLifecycle>;
