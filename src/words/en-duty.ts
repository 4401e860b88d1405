/** Words of the duty rota over time (/duty with dates, /duty week, hand-overs). Merged into the catalogue. */
export const dutyWords = {
  refusal: {
    duty: {
      date_malformed: '"{{input}}" is not a day I understand: use today, tomorrow, YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD. Nothing was changed.',
      date_past: '{{input}} is in the past: duty can be set for today or later. Nothing was changed.',
      range_end_before_start: '{{input}}: the range ends before it starts. Nothing was changed.',
      range_too_long: '{{input}}: a duty change covers at most a year. Nothing was changed.',
    },
  },
  rota: {
    week_title: 'Duty for {{unit}}: the next 7 days',
    week_text: 'Duty for {{unit}} from {{from}} to {{until}}',
    day_line: '{{day}}: {{people}} — {{source}}',
    source_change: 'set by {{who}} on {{when}}',
    source_rota: 'rota',
    source_default: 'default',
    nobody: 'nobody (the unit manager is told instead)',
    changed_text: 'Duty for {{unit}} {{days}}: {{people}} (was {{before}}). Recorded with your name and the time.',
    changed_title: 'Duty changed: {{unit}}',
    days_today: 'today ({{date}})',
    days_one: 'on {{date}}',
    days_range: 'from {{from}} to {{until}}',
    field_unit: 'Unit',
    field_days: 'Days',
    field_on_duty: 'On duty',
    field_before: 'Before',
    passed_to: 'Passed to {{people}}, now on duty for {{unit}}. Your buttons on this item are retired.',
  },
};
