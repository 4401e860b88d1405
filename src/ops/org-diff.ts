import type { Org } from '../config/org.schema.js';

/** What a reload changed, for the audit log: ids and field names, never anything but the org file's own data. */
export interface OrgDiff {
  peopleAdded: string[];
  peopleRemoved: string[];
  peopleChanged: { id: string; fields: string[] }[];
  unitsAdded: string[];
  unitsRemoved: string[];
  unitsChanged: { id: string; fields: string[] }[];
  /** Top-level settings that changed (deadlines, reminders, timezone, calendar, retention …). */
  settingsChanged: string[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

const changedFields = (before: Record<string, unknown>, after: Record<string, unknown>) =>
  [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((key) => !same(before[key], after[key])).sort();

const byId = <T extends { id: string }>(rows: T[]) => new Map(rows.map((row) => [row.id, row]));

const diffList = <T extends { id: string }>(before: T[], after: T[]) => {
  const old = byId(before);
  const now = byId(after);
  return {
    added: [...now.keys()].filter((id) => !old.has(id)),
    removed: [...old.keys()].filter((id) => !now.has(id)),
    changed: [...now.values()]
      .filter((row) => old.has(row.id))
      .map((row) => ({ id: row.id, fields: changedFields(old.get(row.id) as Record<string, unknown>, row as Record<string, unknown>) }))
      .filter((change) => change.fields.length > 0),
  };
};

export const diffOrg = (before: Org, after: Org): OrgDiff => {
  const people = diffList(before.people, after.people);
  const units = diffList(before.units, after.units);
  const { people: _p, units: _u, ...beforeSettings } = before;
  const { people: _q, units: _v, ...afterSettings } = after;
  return {
    peopleAdded: people.added,
    peopleRemoved: people.removed,
    peopleChanged: people.changed,
    unitsAdded: units.added,
    unitsRemoved: units.removed,
    unitsChanged: units.changed,
    settingsChanged: changedFields(beforeSettings, afterSettings),
  };
};

export const isEmptyDiff = (diff: OrgDiff) => Object.values(diff).every((value) => value.length === 0);
