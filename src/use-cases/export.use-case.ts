import { crnSchema } from '../domain/case-facts.js';
import { DomainError } from '../domain/errors.js';
import { localDateTime } from '../domain/time/time-format.js';
import type { Platform } from './context.js';
import { mayViewCase } from './case-access.use-case.js';
import { type HistoryContext, formatDuration, formatWorkingDuration, loadCaseHistory } from './case-history.js';

/**
 * A CRN's account for an inspector, from the decisions, the deadlines and the audit log: who did what, in which
 * role, when, on what reasoning, how long each step took, and whether each deadline was met.
 */
export const EXPORT_COLUMNS = [
  'seq',
  'time_utc',
  'time_local',
  'crn',
  'item_ref',
  'item_type',
  'record',
  'event',
  'actor_id',
  'actor_name',
  'actor_role',
  'from_state',
  'to_state',
  'rationale',
  'step_elapsed',
  'step_elapsed_ms',
  'step_working_time',
  'deadline',
  'deadline_started',
  'deadline_due',
  'deadline_outcome',
  'details',
  // Absence cover: the person a delegate or acting manager decided for, and that person's roles.
  'on_behalf_of_id',
  'on_behalf_of_name',
  'on_behalf_role',
] as const;
export type ExportColumn = (typeof EXPORT_COLUMNS)[number];
export type ExportRow = Record<ExportColumn, string>;

export interface CaseExport {
  crn: string;
  generatedAt: string;
  items: { ref: string; itemType: string; heading: string; state: string; raisedBy: string; createdAt: string; closedAt: string | null }[];
  rows: ExportRow[];
}

/** Audit events already told by a decision row (they carry its id), or by the raise decision. */
const isDecisionAudit = (event: string, details: Record<string, unknown>) => typeof details.decisionId === 'number' || event === 'escalation.raised' || event === 'referral.raised';

const RANK = { decision: 0, audit: 1, deadline: 2 } as const;

/** Who looked at the case is kept in the audit log, not in the case's own account. */
const ACCESS_EVENTS = new Set(['case.viewed', 'case.view_refused']);

export const buildCaseExport = async (args: { ctx: HistoryContext; crn: string; now: Date }): Promise<CaseExport> => {
  const parsed = crnSchema.safeParse(args.crn);
  if (!parsed.success) throw new DomainError({ code: 'input.invalid', details: { field: 'crn' } });
  const crn = parsed.data;
  const zone = args.ctx.directory.org.timezone;
  const history = await loadCaseHistory({ ctx: args.ctx, crn, now: args.now });
  const refOf = new Map(history.items.map((item) => [`${item.itemType}:${item.id}`, item.ref]));
  // The audit entry written with each decision adds what the decision row lacks (release dates moved, worker named, …).
  const auditOfDecision = new Map<string, Record<string, unknown>>();
  for (const entry of history.audit) {
    const { ref: _ref, decisionId, ...details } = entry.details;
    if (typeof decisionId === 'number') auditOfDecision.set(String(decisionId), details);
    else if (entry.event.endsWith('.raised')) auditOfDecision.set(`raise:${entry.itemType}:${entry.itemId}`, details);
  }
  const decisionDetails = (d: { id: number; action: string; itemType: string; itemId: number; platform: string | null }) => {
    const details = auditOfDecision.get(String(d.id)) ?? (d.action === 'raise' ? auditOfDecision.get(`raise:${d.itemType}:${d.itemId}`) : undefined);
    return JSON.stringify(details ?? (d.platform ? { platform: d.platform } : {}));
  };
  const blank = Object.fromEntries(EXPORT_COLUMNS.map((column) => [column, ''])) as ExportRow;
  const pending: { at: Date; rank: number; order: number; row: ExportRow }[] = [];
  const at = (date: Date) => ({ time_utc: date.toISOString(), time_local: localDateTime({ timeZone: zone, at: date }) });

  for (const item of history.items) {
    const base = { crn, item_ref: item.ref, item_type: item.itemType };
    for (const step of item.steps) {
      const d = step.decision;
      pending.push({
        at: d.decidedAt,
        rank: RANK.decision,
        order: d.id,
        row: {
          ...blank,
          ...base,
          ...at(d.decidedAt),
          record: 'decision',
          event: d.action,
          actor_id: d.actorId,
          actor_name: step.actorName,
          actor_role: d.actorRole,
          from_state: d.fromState,
          to_state: d.toState,
          rationale: d.rationale ?? '',
          step_elapsed: formatDuration(step.elapsedMs),
          step_elapsed_ms: step.elapsedMs === null ? '' : String(step.elapsedMs),
          step_working_time: formatWorkingDuration(step.workingMs),
          details: decisionDetails(d),
          on_behalf_of_id: d.onBehalfOf ?? '',
          on_behalf_of_name: d.onBehalfOf ? history.nameOf(d.onBehalfOf) : '',
          on_behalf_role: d.onBehalfRole ?? '',
        },
      });
    }
    for (const entry of item.deadlines) {
      const { deadline } = entry;
      const when = deadline.metAt ?? deadline.dueAt;
      pending.push({
        at: when,
        rank: RANK.deadline,
        order: deadline.id,
        row: {
          ...blank,
          ...base,
          ...at(when),
          record: 'deadline',
          event: `deadline.${entry.status}`,
          actor_id: entry.endedBy ?? '',
          actor_name: entry.endedBy ? history.nameOf(entry.endedBy) : '',
          deadline: entry.label,
          deadline_started: deadline.startedAt.toISOString(),
          deadline_due: deadline.dueAt.toISOString(),
          deadline_outcome: entry.outcome,
          details: JSON.stringify({ policy: deadline.policy, reminders: deadline.ownerRemindersSent }),
        },
      });
    }
  }
  for (const entry of history.audit) {
    if (isDecisionAudit(entry.event, entry.details) || ACCESS_EVENTS.has(entry.event)) continue;
    pending.push({
      at: entry.at,
      rank: RANK.audit,
      order: entry.id,
      row: {
        ...blank,
        ...at(entry.at),
        crn,
        item_ref: refOf.get(`${entry.itemType}:${entry.itemId}`) ?? '',
        item_type: entry.itemType ?? '',
        record: 'audit',
        event: entry.event,
        actor_id: entry.actorId ?? '',
        actor_name: entry.actorId ? history.nameOf(entry.actorId) : '',
        details: JSON.stringify(entry.details),
      },
    });
  }
  pending.sort((a, b) => a.at.getTime() - b.at.getTime() || a.rank - b.rank || a.order - b.order);
  return {
    crn,
    generatedAt: args.now.toISOString(),
    items: history.items.map((item) => ({
      ref: item.ref,
      itemType: item.itemType,
      heading: item.heading,
      state: item.stateLabel,
      raisedBy: history.nameOf(item.raisedBy),
      createdAt: item.createdAt.toISOString(),
      closedAt: item.closedAt?.toISOString() ?? null,
    })),
    rows: pending.map((entry, index) => ({ ...entry.row, seq: String(index + 1) })),
  };
};

/**
 * A cell a spreadsheet could run as a formula: one starting with =, +, -, @, a tab or a return, also after leading
 * spaces (Excel and LibreOffice skip them), and the full-width forms ＝ ＋ － ＠ that some spreadsheets fold to ASCII.
 */
export const FORMULA_TRIGGER = /^[\s\u3000]*[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** RFC 4180 quoting; a formula-looking cell is prefixed with a quote so it stays text. */
export const csvCell = (value: string) => {
  const safe = FORMULA_TRIGGER.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
};

export const exportToCsv = (data: CaseExport): string => [EXPORT_COLUMNS.join(','), ...data.rows.map((row) => EXPORT_COLUMNS.map((column) => csvCell(row[column])).join(','))].join('\r\n') + '\r\n';

export const exportToJson = (data: CaseExport): string => `${JSON.stringify(data, null, 2)}\n`;

/** Build the export in the chosen format and record that it was taken (who, when, which CRN). */
export const exportCase = async (args: { ctx: HistoryContext & { clock: { now(): Date } }; crn: string; format: 'csv' | 'json'; actorId: string | null; platform: Platform }) => {
  const now = args.ctx.clock.now();
  // A person's export only with need to know (the chat command also checks and audits a refusal); the CLI
  // (actor null) is the operator on the database host, audited as such.
  if (args.actorId !== null && !(await mayViewCase({ ctx: args.ctx, personId: args.actorId, crn: args.crn }))) {
    throw new DomainError({ code: 'case.not_shown', details: { crn: args.crn } });
  }
  const data = await buildCaseExport({ ctx: args.ctx, crn: args.crn, now });
  await args.ctx.store.transaction(async (repos) => {
    await repos.records.audit({
      at: now,
      actorId: args.actorId,
      event: 'case.exported',
      crn: data.crn,
      details: { format: args.format, rows: data.rows.length, items: data.items.map((item) => item.ref), platform: args.platform },
    });
  });
  const content = args.format === 'json' ? exportToJson(data) : exportToCsv(data);
  return { data, content, filename: `${data.crn}-timeline.${args.format}` };
};
