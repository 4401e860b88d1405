import { z } from 'zod';

/** Formats and vocabularies from public HMPPS services (the CRN and NOMS number formats, RoSH levels). Pure. */
export const CRN_PATTERN = /^[A-Z]\d{6}$/;
export const NOMS_PATTERN = /^[A-Z]\d{4}[A-Z]{2}$/;

export const ROSH_LEVELS = ['LOW', 'MEDIUM', 'HIGH', 'VERY_HIGH'] as const;
export type RoshLevel = (typeof ROSH_LEVELS)[number];
export const ROSH_LABELS: Record<RoshLevel, string> = {
  LOW: 'Low',
  MEDIUM: 'Medium',
  HIGH: 'High',
  VERY_HIGH: 'Very high',
};

export const crnSchema = z
  .string()
  .trim()
  .transform((value) => value.toUpperCase())
  .pipe(z.string().regex(CRN_PATTERN, 'A CRN is one letter and 6 digits, like X123456'));

export const nomsSchema = z
  .string()
  .trim()
  .transform((value) => value.toUpperCase())
  .pipe(z.string().regex(NOMS_PATTERN, 'A prison number looks like A1234BC'));

export const roshSchema = z.enum(ROSH_LEVELS, { message: 'Choose a RoSH level' });

export type Urgency = 'standard' | 'urgent';

/** Urgent items run on hours, not days: the officer says so, the new risk is VERY_HIGH, or MAPPA level 2/3. */
export const deriveUrgency = (args: { requested: Urgency; roshNew: RoshLevel; mappaLevel?: number | null }): Urgency =>
  args.requested === 'urgent' || args.roshNew === 'VERY_HIGH' || (args.mappaLevel ?? 0) >= 2 ? 'urgent' : 'standard';
