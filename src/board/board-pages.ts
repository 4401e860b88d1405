import { localDateTime } from '../domain/time/time-format.js';
import type { HistoryItem } from '../use-cases/case-history.js';
import { formatDuration, formatWorkingDuration } from '../use-cases/case-history.js';
import type { ChatAction } from '../use-cases/chat-message.js';
import type { FieldErrors, FormDefinition, FormValues } from '../use-cases/form.types.js';
import type { BoardSettings } from './board-config.js';
import type { UnitView } from './board-data.js';
import { type SafeHtml, html, page, raw } from './board-html.js';
import type { ReportTable, UnitWeekReport } from './board-reports.js';

export interface Viewer {
  name: string;
  csrf: string;
  timeZone: string;
}

const when = (viewer: Viewer, at: Date) => localDateTime({ timeZone: viewer.timeZone, at });

export const messagePage = (args: { title: string; text: string; viewer?: Viewer }) =>
  page({ title: args.title, user: args.viewer ?? null, body: html`<h1>${args.title}</h1><p>${args.text}</p><p><a href="/board">Back to the board</a></p>` });

export const signInPage = (args: { settings: BoardSettings; problem?: string }) =>
  page({
    title: 'Sign in',
    user: null,
    body: html`<h1>Sign in to the DutyDesk board</h1>
${args.problem ? html`<div class="error" role="alert"><p>${args.problem}</p></div>` : ''}
<p>Use the account you use for DutyDesk in chat. You will see the units you manage and the items you have a role on.</p>
<ul>${args.settings.providers.map((provider) => html`<li><a class="button" href="/board/sign-in/${provider.id}">${provider.label}</a></li>`)}</ul>`,
  });

const dueCell = (viewer: Viewer, next: UnitView['states'][number]['rows'][number]['next']) =>
  next ? (next.overdue ? html`<span class="overdue">Overdue</span>: ${next.label}, was due ${when(viewer, next.dueAt)}` : html`${next.label}, due ${when(viewer, next.dueAt)}`) : 'No open deadline';

export const unitsPage = (args: { viewer: Viewer; units: UnitView[] }) => {
  const { viewer } = args;
  const unitBlock = (unit: UnitView) => html`<section aria-labelledby="unit-${unit.unitId}">
<h2 id="unit-${unit.unitId}">${unit.name}</h2>
<p>${unit.open} open item${unit.open === 1 ? '' : 's'}, ${unit.overdue} overdue.${unit.overseen ? html` <a href="/board/reports?unit=${unit.unitId}">Weekly report for ${unit.name}</a>` : ' You see the items you have a role on.'}</p>
<h3>Open items by state</h3>
${unit.states.length === 0 ? html`<p>Nothing open.</p>` : ''}
${unit.states.map(
  (state) => html`<table><caption>${state.label} (${state.total})${state.total > state.rows.length ? html`, the ${state.rows.length} most urgent shown` : ''}</caption>
<thead><tr><th scope="col">Item</th><th scope="col">CRN</th><th scope="col">Kind</th><th scope="col">Between</th><th scope="col">Next deadline</th></tr></thead>
<tbody>${state.rows.map((row) => html`<tr><td><a href="/board/items/${row.ref}">${row.ref}</a></td><td>${row.crn}</td><td>${row.kind}</td><td>${row.route}</td><td>${dueCell(viewer, row.next)}</td></tr>`)}</tbody></table>`,
)}
<h3>Duty this week</h3>
${
  unit.duty.every((day) => day.names.length === 0)
    ? html`<p>${unit.name} keeps no duty rota.</p>`
    : html`<table><caption class="visually-hidden">Duty officers of ${unit.name}, today and the next six days</caption>
<thead><tr><th scope="col">Day</th><th scope="col">Duty officer</th></tr></thead>
<tbody>${unit.duty.map((day, index) => html`<tr><td>${day.date}${index === 0 ? ' (today)' : ''}</td><td>${day.names.length > 0 ? day.names.join(', ') : 'Nobody (the unit manager is told instead)'}</td></tr>`)}</tbody></table>`
}
<h3>Who is away</h3>
<p>Absences are not recorded in DutyDesk yet; when they are, they will be listed here.</p>
</section>`;
  return page({
    title: 'My units',
    user: viewer,
    body: html`<h1>My units</h1>${args.units.length === 0 ? html`<p>You are not in any unit of the org file.</p>` : args.units.map(unitBlock)}`,
  });
};

const fieldControl = (field: FormDefinition['fields'][number], values: FormValues, error: string | undefined) => {
  const id = `field-${field.name}`;
  const describedBy = [field.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  const value = values[field.name];
  const current = Array.isArray(value) ? value[0] : value;
  const common = html`id="${id}" name="${field.name}"${field.optional ? '' : raw(' required')}${describedBy ? html` aria-describedby="${describedBy}"` : ''}${error ? raw(' aria-invalid="true"') : ''}`;
  const control =
    field.kind === 'select'
      ? html`<select ${common}><option value="">Choose…</option>${field.options.map((option) => html`<option value="${option.value}"${option.value === current ? raw(' selected') : ''}>${option.label}</option>`)}</select>`
      : field.kind === 'date'
        ? html`<input type="date" ${common} value="${current ?? ''}">`
        : html`<textarea ${common}${field.kind === 'text' && field.maxLength ? html` maxlength="${field.maxLength}"` : ''}>${current ?? ''}</textarea>`;
  return html`<label for="${id}">${field.label}${field.optional ? ' (optional)' : ''}</label>
${field.hint ? html`<span id="${id}-hint">${field.hint}</span>` : ''}
${error ? html`<span class="field-error" id="${id}-error">Error: ${error}</span>` : ''}
${control}`;
};

export interface ActionForm {
  action: ChatAction;
  form: FormDefinition;
}

export const itemPage = (args: {
  viewer: Viewer;
  ref: string;
  crn: string;
  facts: { label: string; value: string }[];
  history: HistoryItem;
  forms: ActionForm[];
  done?: string;
  errors?: { actionId: string; fieldErrors: FieldErrors; values: FormValues };
  refusal?: string;
}) => {
  const { viewer, history } = args;
  const actionForm = ({ action, form }: ActionForm) => {
    const errors = args.errors?.actionId === action.id ? args.errors : undefined;
    const headingId = `action-${action.id.replace('.', '-')}`;
    return html`<form method="post" action="/board/items/${args.ref}/decisions" aria-labelledby="${headingId}">
<fieldset><legend id="${headingId}">${action.label}</legend>
<input type="hidden" name="csrf" value="${viewer.csrf}"><input type="hidden" name="action" value="${action.id}">
${form.fields.map((field) => fieldControl(field, errors?.values ?? {}, errors?.fieldErrors[field.name]))}
<p><button type="submit">${form.submitLabel}</button></p></fieldset></form>`;
  };
  const body: SafeHtml = html`<h1>${args.ref} · ${args.crn}</h1>
${args.done ? html`<div class="notice" role="status"><p>${args.done}</p></div>` : ''}
${args.refusal ? html`<div class="error" role="alert"><p>${args.refusal}</p></div>` : ''}
${args.errors ? html`<div class="error" role="alert"><p>The decision was not recorded: correct the form below.</p></div>` : ''}
<p>${history.heading}. State: <strong>${history.stateLabel}</strong>.</p>
<dl class="facts">${args.facts.map((fact) => html`<dt>${fact.label}</dt><dd>${fact.value}</dd>`)}</dl>
<h2>Decisions you can take</h2>
${args.forms.length === 0 ? html`<p>None: nothing on this item is waiting for you.</p>` : args.forms.map(actionForm)}
<h2>Timeline</h2>
<table><caption>Every decision on ${args.ref}, oldest first</caption>
<thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Decision</th><th scope="col">Rationale</th><th scope="col">Took</th></tr></thead>
<tbody>${history.steps.map(
    (step) =>
      html`<tr><td>${when(viewer, step.decision.decidedAt)}</td><td>${step.actorName} (${step.decision.actorRole})</td><td>${step.decision.action.replaceAll('_', ' ')}</td><td>${step.decision.rationale ?? '—'}</td><td>${step.elapsedMs === null ? '—' : `${formatDuration(step.elapsedMs)} (${formatWorkingDuration(step.workingMs)} working)`}</td></tr>`,
  )}</tbody></table>
<h2>Deadlines and chase</h2>
<table><caption>Deadlines of ${args.ref}</caption>
<thead><tr><th scope="col">Deadline</th><th scope="col">Due</th><th scope="col">Outcome</th><th scope="col">Reminders so far</th></tr></thead>
<tbody>${history.deadlines.map(
    (entry) =>
      html`<tr><td>${entry.label}${entry.deadline.urgent ? ' (urgent)' : ''}</td><td>${when(viewer, entry.deadline.dueAt)}</td><td${entry.status === 'overdue' || entry.status === 'late' ? raw(' class="overdue"') : ''}>${entry.outcome}</td><td>${chaseText(viewer, entry.deadline)}</td></tr>`,
  )}</tbody></table>
<p>Overdue deadlines remind the person who owes the action, then their manager, then the senior manager, until someone acts.</p>`;
  return page({ title: `${args.ref} ${args.crn}`, user: viewer, body });
};

const chaseText = (viewer: Viewer, deadline: HistoryItem['deadlines'][number]['deadline']) => {
  const parts = [`${deadline.ownerRemindersSent} to the owner`];
  if (deadline.managerRemindedAt) parts.push(`manager ${when(viewer, deadline.managerRemindedAt)}`);
  if (deadline.seniorRemindedAt) parts.push(`senior manager ${when(viewer, deadline.seniorRemindedAt)}`);
  if (!deadline.metAt) parts.push(`next check ${when(viewer, deadline.nextCheckAt)}`);
  return parts.join('; ');
};

const dataTable = (
  table: ReportTable,
  csvHref: string,
) => html`<table><caption>${table.caption} · <a href="${csvHref}" download>Download CSV<span class="visually-hidden"> of ${table.caption}</span></a></caption>
<thead><tr>${table.columns.map((column) => html`<th scope="col">${column}</th>`)}</tr></thead>
<tbody>${table.rows.map((row) => html`<tr>${row.map((value) => html`<td>${value}</td>`)}</tr>`)}</tbody></table>`;

export const reportsPage = (args: {
  viewer: Viewer;
  units: { id: string; name: string }[];
  unitId: string | null;
  week: string;
  previous: string;
  next: string;
  report: UnitWeekReport | null;
  charts: { times: string; reminders: string } | null;
}) => {
  const { report } = args;
  const unitName = args.units.find((unit) => unit.id === args.unitId)?.name ?? '';
  const csv = (table: ReportTable) => `/board/reports/${args.unitId}/${args.week}/${table.id}.csv`;
  const tableById = (id: ReportTable['id']) => report?.tables.find((table) => table.id === id) as ReportTable;
  return page({
    title: report ? `Report: ${unitName}, week of ${args.week}` : 'Reports',
    user: args.viewer,
    body: html`<h1>${report ? `${unitName}: week of ${args.week}` : 'Reports'}</h1>
${
  args.units.length === 0
    ? html`<p>Reports are for unit managers and senior managers; you do not oversee a unit.</p>`
    : html`<form method="get" action="/board/reports">
<label for="unit">Unit</label><select id="unit" name="unit">${args.units.map((unit) => html`<option value="${unit.id}"${unit.id === args.unitId ? raw(' selected') : ''}>${unit.name}</option>`)}</select>
<label for="week">Week starting (a Monday)</label><input type="date" id="week" name="week" value="${args.week}">
<p><button type="submit">Show report</button></p></form>`
}
${
  report && args.charts
    ? html`<nav aria-label="Weeks"><p><a href="/board/reports?unit=${args.unitId}&amp;week=${args.previous}">Previous week</a> · <a href="/board/reports?unit=${args.unitId}&amp;week=${args.next}">Next week</a></p></nav>
<h2>Time to act</h2><div class="chart"><figure>${raw(args.charts.times)}</figure>${dataTable(tableById('times'), csv(tableById('times')))}</div>
<h2>Overdue</h2>${dataTable(tableById('overdue'), csv(tableById('overdue')))}
<h2>Reminders</h2><div class="chart"><figure>${raw(args.charts.reminders)}</figure>${dataTable(tableById('reminders'), csv(tableById('reminders')))}</div>
<h2>Referrals</h2>${dataTable(tableById('referrals'), csv(tableById('referrals')))}
<p>Working time counts only working hours on working days of the organisation's calendar.</p>`
    : ''
}`,
  });
};
