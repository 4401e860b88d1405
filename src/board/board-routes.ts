import express from 'express';
import type { BoardRepository } from '../db/board.repository.js';
import { DomainError } from '../domain/errors.js';
import type { UseCaseContext } from '../use-cases/context.js';
import type { FormValues } from '../use-cases/form.types.js';
import { UNEXPECTED_WORDS, refusalWords } from '../use-cases/refusal-words.js';
import { maySeeUnitReport } from './board-access.js';
import { boardDecide, boardDecisionForm, decisionLabel, isBoardDecision } from './board-actions.js';
import { createBoardAuth } from './board-auth.js';
import { accessibleSvg, remindersChartSpec, renderSvg, timesChartSpec } from './board-charts.js';
import type { BoardSettings } from './board-config.js';
import { type ItemLookup, boardScopeNow, loadItem, loadUnits } from './board-data.js';
import { type Viewer, itemPage, messagePage, reportsPage, signInPage, unitsPage } from './board-pages.js';
import type { ReportLoader } from './board-report.service.js';
import { parseWeek, shiftWeek, tableCsv, weekOf } from './board-reports.js';
import { type Sessions, csrfMatches, csrfToken } from './board-sessions.js';

type SignedIn = { session: NonNullable<Awaited<ReturnType<Sessions['current']>>>; viewer: Viewer };

/** Content security: no script at all, styles and SVG inline, frames only inside Microsoft Teams. */
const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self' https:; base-uri 'none'; " +
    'frame-ancestors https://teams.microsoft.com https://*.teams.microsoft.com https://*.office.com https://*.cloud.microsoft',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

/** The board's routes under /board. Every page reads the session; every POST checks its CSRF token first. */
export const createBoardRouter = (args: { ctx: UseCaseContext; settings: BoardSettings; repo: BoardRepository; sessions: Sessions; loadReport: ReportLoader }) => {
  const { ctx, settings, repo, sessions, loadReport } = args;
  const router = express.Router();
  const auth = createBoardAuth({ ctx, settings, sessions });
  const timeZone = ctx.directory.org.timezone;

  // Scoped to /board: the Slack and Teams endpoints read their own raw bodies.
  router.use('/board', (_req, res, next) => {
    res.set(SECURITY_HEADERS);
    next();
  });
  router.use('/board', express.urlencoded({ extended: false, limit: '32kb', parameterLimit: 50 }));

  const signedIn = async (req: express.Request): Promise<SignedIn | null> => {
    const session = await sessions.current(req.headers.cookie, ctx.clock.now());
    const person = session ? ctx.directory.person(session.personId) : undefined;
    if (!session || !person) return null; // a person removed from the org file loses the board at once
    return { session, viewer: { name: person.name, csrf: csrfToken(session), timeZone } };
  };

  /** Wrap a page handler: signed in, or back to the sign-in page; POSTs need a matching CSRF token. */
  const guarded =
    (handler: (req: express.Request, res: express.Response, who: SignedIn) => Promise<void>): express.RequestHandler =>
    async (req, res, next) => {
      try {
        const who = await signedIn(req);
        if (!who) {
          if (req.method === 'GET') res.redirect(303, '/board');
          else
            res
              .status(401)
              .type('html')
              .send(signInPage({ settings, problem: 'Your session has ended. Sign in again; nothing was changed.' }));
          return;
        }
        if (req.method === 'POST' && !csrfMatches(who.session, (req.body as Record<string, unknown> | undefined)?.csrf)) {
          ctx.logger.warn({ component: 'board', op: 'csrf', path: req.path }, 'board form refused: CSRF token mismatch');
          res
            .status(403)
            .type('html')
            .send(messagePage({ title: 'Form refused', text: 'That form did not come from your board session, so nothing was changed. Reload the page and try again.', viewer: who.viewer }));
          return;
        }
        await handler(req, res, who);
      } catch (error) {
        next(error);
      }
    };

  router.get('/board', async (req, res, next) => {
    try {
      const who = await signedIn(req);
      if (!who) {
        res.type('html').send(signInPage({ settings }));
        return;
      }
      const units = await loadUnits({ ctx, repo, ...(await boardScopeNow({ ctx, personId: who.session.personId })) });
      res.type('html').send(unitsPage({ viewer: who.viewer, units }));
    } catch (error) {
      next(error);
    }
  });
  router.get('/board/sign-in/:provider', auth.signIn);
  router.get('/board/auth/:provider/callback', auth.callback);
  router.post(
    '/board/sign-out',
    guarded(async (_req, res, who) => {
      res.setHeader('Set-Cookie', await sessions.end(who.session));
      res.redirect(303, '/board');
    }),
  );

  const refused = (res: express.Response, viewer: Viewer, lookup: ItemLookup) => {
    if (lookup.kind === 'not_found')
      res
        .status(404)
        .type('html')
        .send(messagePage({ title: 'Not found', text: 'There is no such item.', viewer }));
    else if (lookup.kind === 'forbidden')
      res
        .status(403)
        .type('html')
        .send(messagePage({ title: 'Not yours to see', text: `You have no role on ${lookup.ref}, so the board shows nothing of it.`, viewer }));
  };

  const renderItem = async (args: { res: express.Response; who: SignedIn; lookup: Extract<ItemLookup, { kind: 'ok' }>; status?: number; extra?: Partial<Parameters<typeof itemPage>[0]> }) => {
    const { lookup, who } = args;
    const forms = await Promise.all(lookup.actions.map(async (action) => ({ action, form: await boardDecisionForm({ ctx, personId: who.session.personId, action }) })));
    const row = lookup.item.row;
    const facts = [
      { label: 'CRN', value: row.crn },
      { label: 'Raised by', value: ctx.directory.nameOf(row.raisedBy) },
      { label: 'Raised', value: new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(row.createdAt) },
      ...(lookup.item.itemType === 'escalation'
        ? [
            { label: 'Risk (RoSH)', value: `${lookup.item.row.roshCurrent} → ${lookup.item.row.roshNew}` },
            { label: 'Urgency', value: lookup.item.row.urgency },
            { label: 'Summary', value: lookup.item.row.summary },
          ]
        : [
            { label: 'Referral type', value: lookup.item.row.referralType },
            { label: 'Release date', value: lookup.item.row.releaseDate },
            { label: 'Refer by', value: lookup.item.row.referBy },
          ]),
    ];
    args.res
      .status(args.status ?? 200)
      .type('html')
      .send(itemPage({ viewer: who.viewer, ref: lookup.ref, crn: row.crn, facts, history: lookup.history, forms, ...args.extra }));
  };

  router.get(
    '/board/items/:ref',
    guarded(async (req, res, who) => {
      const lookup = await loadItem({ ctx, ...(await boardScopeNow({ ctx, personId: who.session.personId })), ref: String(req.params.ref) });
      if (lookup.kind !== 'ok') return refused(res, who.viewer, lookup);
      // The confirmation is built here from the action id, never echoed from the URL.
      const label = typeof req.query.done === 'string' ? decisionLabel(ctx, req.query.done) : null;
      const done = label ? `${label}: done for ${lookup.ref} (${lookup.item.row.crn}). Recorded with your name and the time.` : undefined;
      await renderItem({ res, who, lookup, extra: done ? { done } : {} });
    }),
  );

  router.post(
    '/board/items/:ref/decisions',
    guarded(async (req, res, who) => {
      const { scope, cover } = await boardScopeNow({ ctx, personId: who.session.personId });
      const lookup = await loadItem({ ctx, scope, cover, ref: String(req.params.ref) });
      if (lookup.kind !== 'ok') return refused(res, who.viewer, lookup);
      const body = req.body as Record<string, unknown>;
      const actionId = typeof body.action === 'string' ? body.action : '';
      if (!isBoardDecision(ctx, actionId)) {
        await renderItem({ res, who, lookup, status: 400, extra: { refusal: 'That is not a decision the board can take; nothing was changed.' } });
        return;
      }
      // Not only the forms on the page: a stale tab's decision goes to the use case too, which refuses it in the
      // same words as a late button click ("Already done: countersigned by …").
      const values: FormValues = {};
      for (const key of ['rationale', 'personId', 'releaseDate']) if (typeof body[key] === 'string') values[key] = body[key] as string;
      try {
        const result = await boardDecide({ ctx, personId: who.session.personId, actionId, itemId: lookup.item.row.id, values });
        if (result.ok) {
          res.redirect(303, `/board/items/${lookup.ref}?done=${encodeURIComponent(actionId)}`);
          return;
        }
        await renderItem({ res, who, lookup, status: 422, extra: { errors: { actionId, fieldErrors: result.fieldErrors, values } } });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        const fresh = await loadItem({ ctx, ...(await boardScopeNow({ ctx, personId: who.session.personId })), ref: lookup.ref });
        if (fresh.kind !== 'ok') return refused(res, who.viewer, fresh);
        await renderItem({ res, who, lookup: fresh, status: 409, extra: { refusal: refusalWords({ error, directory: ctx.directory, now: ctx.clock.now() }) } });
      }
    }),
  );

  // A delegate of an absent manager sees that manager's unit reports too (boardScopeNow).
  const reportUnits = async (personId: string) => {
    const { scope } = await boardScopeNow({ ctx, personId });
    return { scope, units: [...scope.overseen].map((id) => ({ id, name: ctx.directory.unit(id)?.name ?? id })) };
  };

  router.get(
    '/board/reports',
    guarded(async (req, res, who) => {
      const { scope, units } = await reportUnits(who.session.personId);
      const week = parseWeek(req.query.week) ?? weekOf({ calendar: ctx.directory.calendar, at: ctx.clock.now() });
      const unitId = typeof req.query.unit === 'string' ? req.query.unit : (units[0]?.id ?? null);
      const base = { viewer: who.viewer, units, week, previous: shiftWeek(week, -1), next: shiftWeek(week, 1) };
      if (!unitId) {
        res.type('html').send(reportsPage({ ...base, unitId: null, report: null, charts: null }));
        return;
      }
      if (!maySeeUnitReport({ scope, unitId })) {
        res
          .status(403)
          .type('html')
          .send(messagePage({ title: 'Not yours to see', text: 'Reports are shown to the managers and senior managers of a unit only.', viewer: who.viewer }));
        return;
      }
      const report = await loadReport({ unitId, week });
      const name = ctx.directory.unit(unitId)?.name ?? unitId;
      const charts = {
        times: accessibleSvg(await renderSvg(timesChartSpec(report, 'Time to act (working hours)')), `Chart: time to act for ${name}, week of ${week}; the same figures are in the table beside it`),
        reminders: accessibleSvg(await renderSvg(remindersChartSpec(report)), `Chart: reminders per rung for ${name}; the same figures are in the table beside it`),
      };
      res.type('html').send(reportsPage({ ...base, unitId, report, charts }));
    }),
  );

  router.get(
    '/board/reports/:unit/:week/:table.csv',
    guarded(async (req, res, who) => {
      const { scope } = await reportUnits(who.session.personId);
      const unitId = String(req.params.unit);
      const week = parseWeek(req.params.week);
      if (!week || !ctx.directory.unit(unitId)) return void res.status(404).type('text').send('no such report');
      if (!maySeeUnitReport({ scope, unitId })) return void res.status(403).type('text').send('reports are for the unit managers and senior managers only');
      const report = await loadReport({ unitId, week });
      const table = report.tables.find((entry) => entry.id === req.params.table);
      if (!table) return void res.status(404).type('text').send('no such table');
      await ctx.store.repos.records.audit({ at: ctx.clock.now(), actorId: who.session.personId, event: 'board.report_exported', details: { unitId, week, table: table.id } });
      res.set('Content-Disposition', `attachment; filename="dutydesk-${unitId}-${week}-${table.id}.csv"`);
      res.type('text/csv; charset=utf-8').send(tableCsv(table));
    }),
  );

  // Errors on the board are pages too; never the details.
  router.use('/board', (error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    ctx.logger.error({ component: 'board', error: (error as Error)?.name }, 'board request failed');
    if (!res.headersSent)
      res
        .status(500)
        .type('html')
        .send(messagePage({ title: 'Something went wrong', text: UNEXPECTED_WORDS }));
  });
  return router;
};
