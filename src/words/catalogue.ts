import i18next from 'i18next';
import { en } from './en.js';
import { dutyWords } from './en-duty.js';
import { awayWords } from './en-away.js';
import { enRaiser } from './en-raiser.js';
import { type WorkflowWords, escalationWords, referralWords } from './en-workflows.js';
import { refsRefusalWords, refsWords } from './en-refs.js';
import { teamsUiWords } from './en-teams-ui.js';

/**
 * The one catalogue of user words (i18next). Platform code asks for a key and gets plain text; Slack and Teams
 * escape it for their own markup. Workflows added at composition register their words with addWorkflowWords.
 */
const i18n = i18next.createInstance();
void i18n.init({
  lng: 'en',
  fallbackLng: 'en',
  initAsync: false,
  resources: { en: { translation: { ...en, ...refsWords, ...teamsUiWords, away: awayWords, workflow: { escalation: escalationWords, referral: referralWords } } } },
  // Plain text out: each platform escapes for its own markup when it renders.
  interpolation: { escapeValue: false },
  returnNull: false,
  showSupportNotice: false,
});
i18n.addResourceBundle('en', 'translation', refsRefusalWords, true, false);

i18n.addResourceBundle('en', 'translation', dutyWords, true, false);

// Further catalogues, merged deep (they may add keys under an existing group such as `refusal`).
i18n.addResourceBundle('en', 'translation', enRaiser, true, false);

export type WordValues = Record<string, string | number>;

/** The words for a key, with values filled in. */
export const words = (key: string, values?: WordValues): string => i18n.t(key, values ?? {}) as string;

export const hasWords = (key: string): boolean => i18n.exists(key);

/** Add (or replace) a workflow's words, e.g. a workflow registered by a test or a deployment. */
export const addWorkflowWords = (args: { itemType: string; words: WorkflowWords; language?: string }) => {
  knownActionWords.clear();
  i18n.addResourceBundle(args.language ?? 'en', 'translation', { workflow: { [args.itemType]: args.words } }, true, true);
};

interface ActionWords {
  readonly label: string;
  readonly past: string;
  readonly done: string;
}
/**
 * Action words looked up once: a sweep puts buttons on thousands of reminders, and each lookup is six i18next
 * calls. The catalogue changes only through addWorkflowWords, which forgets them.
 */
const knownActionWords = new Map<string, ActionWords>();

/** An action's words: its button label, "past" (already done: … by) and "done" (… by Tom Reyes, time) lines. */
export const actionWords = (itemType: string, action: string): ActionWords => {
  const key = `workflow.${itemType}.action.${action}`;
  const known = knownActionWords.get(key);
  if (known) return known;
  const fallback = action.replaceAll('_', ' ');
  const found = {
    label: hasWords(`${key}.label`) ? words(`${key}.label`) : fallback,
    past: hasWords(`${key}.past`) ? words(`${key}.past`) : fallback,
    done: hasWords(`${key}.done`) ? words(`${key}.done`) : fallback,
  };
  knownActionWords.set(key, found);
  return found;
};

/** A state's label in any registered workflow (first match), else the state with spaces. */
export const stateWords = (state: string, itemType?: string): string => {
  if (itemType && hasWords(`workflow.${itemType}.state.${state}`)) return words(`workflow.${itemType}.state.${state}`);
  const types = Object.keys((i18n.getResource('en', 'translation', 'workflow') as Record<string, unknown> | undefined) ?? {});
  for (const type of types) if (hasWords(`workflow.${type}.state.${state}`)) return words(`workflow.${type}.state.${state}`);
  return state.replace(/_/g, ' ');
};

/** A message's headline ("Countersign needed") from its key ('escalation.countersign_requested'). */
export const headlineWords = (itemType: string, message: string): string => {
  const name = message.startsWith(`${itemType}.`) ? message.slice(itemType.length + 1) : message;
  const key = `workflow.${itemType}.message.${name}`;
  return hasWords(key) ? words(key) : words(`workflow.${itemType}.update`);
};
