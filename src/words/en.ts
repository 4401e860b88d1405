/**
 * Every word a person sees, in English. Keys are grouped by where they appear; `{{name}}` marks a value filled
 * in by i18next. A second language is a second file of the same shape (src/words/catalogue.ts loads them).
 */
export const en = {
  refusal: {
    item: {
      not_found: 'That item could not be found. Nothing was changed.',
      moved_on: 'This has already moved on. Nothing was changed.',
      moved_on_state: 'This has already moved on (now: {{state}}). Nothing was changed.',
      already_done: 'Already done. Nothing was changed.',
      already_done_state: 'Already done (now: {{state}}). Nothing was changed.',
      already_done_by: 'Already done: {{past}} by {{who}}.',
      already_done_by_when: 'Already done: {{past}} by {{who}} {{when}}.',
    },
    action: {
      not_allowed: 'You are not allowed to take that decision on this item. Nothing was changed.',
      unknown: 'That button or command is not recognised any more. Nothing was changed; try /cases for the current state.',
    },
    escalation: {
      own_escalation: 'You raised this escalation, so you cannot countersign or return it yourself: your manager decides. Nothing was changed.',
      not_countersigner: 'Only the countersigning manager for this escalation can do that. Nothing was changed.',
      not_receiving_unit: "Only today's duty officer or the manager of the receiving unit can do that. Nothing was changed.",
      not_case_manager: 'Only the old and the new case manager confirm the handover. Nothing was changed.',
      handover_already_confirmed: 'You have already confirmed the handover; waiting for the other side.',
    },
    referral: { not_provider: 'Only the provider unit for this referral can do that. Nothing was changed.' },
    rationale: { required: 'Give your rationale: it is recorded on the case with your name and the time.' },
    person: {
      unknown: 'You are not in the DutyDesk directory yet: ask an administrator to add your account to the org file.',
      unknown_field: 'That person is not in the directory. Choose someone from the list.',
      not_in_unit: 'You are not a member of any unit in DutyDesk, so you cannot do that yet: ask an administrator.',
    },
    unit: { unknown: 'That unit is not in the directory. Choose one from the list.' },
    duty: {
      not_allowed: "Only the unit's manager or duty officers can change today's duty. Nothing was changed.",
      not_unit_member: "{{person}} is not in {{unit}}: only the unit's own people can be put on its duty. Nothing was changed.",
      that_person: 'That person',
      that_unit: 'that unit',
    },
    case: { not_shown: '{{crn}}: not shown. Only people with a role on this case can see it.', that_case: 'That case' },
    input: {
      not_offered: 'Choose from the list the form offered. Nothing was saved.',
      invalid: 'Check what you entered. Nothing was saved.',
      invalid_field: 'Check what you entered ({{field}}). Nothing was saved.',
    },
    store: { unavailable: 'DutyDesk cannot reach its database right now, so nothing was saved or changed. Please try again in a minute.' },
  },
  security: {
    not_offered: 'Choose from the list.',
    export_exists: '{{file}} already exists: choose another --out, or add --force to replace it.',
  },
  when: { today: 'at {{time}}', other: 'on {{time}}' },
  failure: {
    unexpected: 'Something went wrong and nothing was changed. Please try again; if it keeps happening, tell your administrator.',
  },
  form: {
    out_of_date: 'This form was not opened by DutyDesk for you, or it is out of date. Nothing was saved: run the command or click the button again.',
    button_unknown: 'That button is not recognised any more. Nothing was changed.',
  },
  directory: {
    not_in_slack: 'You are not in the DutyDesk directory yet: ask an administrator to add your Slack account to the org file.',
    not_in_teams:
      'Hello, I am DutyDesk. Your Teams account is not in this organisation’s DutyDesk directory yet, so I cannot act for you. Ask your administrator to add your Microsoft Entra object id (teams:) to the org file.',
  },
  teams: { personal_only: 'Please talk to me in a 1:1 chat: case details stay in direct messages.' },
  help: {
    title: 'DutyDesk commands',
    slack: 'DutyDesk commands: {{commands}}.',
    help_line: 'help: this list',
    decisions: 'Decisions arrive here as cards with buttons; every decision is recorded with your name and the time.',
  },
  decision: {
    rationale: 'Rationale',
    note: 'Note (optional)',
    placeholder: 'Recorded on the case with your name and the time',
    date: 'New release date',
    person_later: 'Leave empty to name them later (the reallocation deadline starts).',
    confirm: 'Confirm',
    intro: '{{label}}: {{ref}}',
    done: '{{label}}: done for {{ref}} ({{crn}}). Recorded with your name and the time.',
    give_rationale: 'Give your rationale',
    too_long: 'Keep it under {{max}} characters',
    choose_person: 'Choose a person',
    choose_date: 'Choose a date',
  },
  status: {
    done_by: '{{done}} by {{who}}, {{when}}',
    moved_on: 'Moved on since this was sent.',
    moved_on_since: 'Moved on since this was sent: {{line}}.',
    not_found: 'That item could not be found.',
  },
  item: { due: 'Due', crn: 'CRN', state: 'State', rationale_none: 'No rationale given' },
};

export type Words = typeof en;
