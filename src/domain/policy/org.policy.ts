import { type OrgView, managesUnit } from './org-view.js';

/** Unit managers and senior managers may take a case's export. */
export const mayExportCases = (args: { org: OrgView; personId: string }): boolean => args.org.units().some((unit) => managesUnit(unit, args.personId));

/** A unit's manager, its senior manager and whoever is on its duty desk today may change today's duty. */
export const mayChangeDuty = (args: { org: OrgView; unitId: string; personId: string }): boolean =>
  managesUnit(args.org.unit(args.unitId), args.personId) || args.org.dutyOf(args.unitId).includes(args.personId);
