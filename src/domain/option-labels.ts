import { OPTION_LABELS, OptionField } from './change-model';
import type { Policy } from './policy';

/** The domain values of an option field ('low', 'medium', 'high' for risk). */
export type OptionValue<F extends OptionField> = keyof (typeof OPTION_LABELS)[F] & string;

/** A label as the domain compares it: without outer spaces, in lower case. */
export const normalizeLabel = (label: string): string => label.trim().toLowerCase();

/**
 * The domain value of a label (case- and space-insensitive): the site's mapping first, then the
 * app's own labels and the domain values themselves. Null: a label that maps to nothing.
 */
export const optionValueOfLabel = (policy: Pick<Policy, 'optionLabels'>, field: OptionField, label: string): string | null => {
  const key = normalizeLabel(label);
  for (const [siteLabel, value] of Object.entries(policy.optionLabels[field] ?? {})) if (normalizeLabel(siteLabel) === key) return value;
  for (const [value, own] of Object.entries(OPTION_LABELS[field])) if (normalizeLabel(own) === key || normalizeLabel(value) === key) return value;
  return null;
};

/**
 * Every label, normalized, the domain reads as `value` (`optionValueOfLabel`): the app's own labels,
 * the values themselves and the site's labels, kept where they read as `value`. For compiled
 * expressions, which compare the normalized label Jira holds against these.
 */
export const readingsOf = <F extends OptionField>(policy: Pick<Policy, 'optionLabels'>, field: F, value: OptionValue<F>): string[] => {
  const candidates = [...Object.entries(OPTION_LABELS[field]).flatMap(([known, label]) => [label as string, known]), ...Object.keys(policy.optionLabels[field] ?? {})];
  const readings = candidates.filter((label) => optionValueOfLabel(policy, field, label) === value).map(normalizeLabel);
  return [...new Set(readings)];
};

/** Every normalized label that reads as some value of the field. */
export const allReadings = (policy: Pick<Policy, 'optionLabels'>, field: OptionField): string[] =>
  (Object.keys(OPTION_LABELS[field]) as OptionValue<typeof field>[]).flatMap((value) => readingsOf(policy, field, value));

/** Words a site's label may use for each value, for the first guess (the admin confirms each). */
const GUESSES: Record<OptionField, readonly (readonly [RegExp, string])[]> = {
  changeType: [
    [/emerg|urgent|expedit|ecab/i, 'emergency'],
    [/standard|pre-?approved|routine/i, 'standard'],
    [/normal|regular|planned|minor|major/i, 'normal'],
  ],
  risk: [
    [/crit|sever|high|major|p1/i, 'high'],
    [/med|moderate|normal|p2/i, 'medium'],
    [/low|minor|trivial|p3|p4/i, 'low'],
  ],
  verificationResult: [
    [/fail|roll|revert|back ?out|unsuccess/i, 'failed-rolled-back'],
    [/pass|success|ok|verified|done|complete/i, 'passed'],
  ],
};

/** The value a site label most likely means: the app's own label or value, then common words; '' when unsure. */
export const guessOptionValue = (field: OptionField, label: string): string => {
  const own = optionValueOfLabel({ optionLabels: {} }, field, label);
  if (own) return own;
  return GUESSES[field].find(([pattern]) => pattern.test(label))?.[1] ?? '';
};
