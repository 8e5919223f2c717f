import { ChangeFields, FIELD_DEFS, FieldKey, fieldLabel, fieldTypeOf, GROUP_RAW_PREFIX, instantOfWallClock, OPTION_LABELS, OptionField, optionValueOfLabel, splitList, type JiraFieldType, type Policy, type UserRef } from '../domain';
import {
  AdfNode,
  AdfNodeSchema,
  CascadingValueSchema,
  NamedEntitySchema,
  ChangeItem,
  FALLBACK,
  fastLabels,
  fastOptionLabel,
  fastUserValue,
  isAdfNode,
  LabelsValueSchema,
  OptionValueSchema,
  parseJiraTimestamp,
  UserValueSchema,
} from './schemas';

/** Inline ADF nodes that carry their text in `attrs`. */
const ATTR_TEXT: Record<string, readonly string[]> = {
  mention: ['text'],
  emoji: ['text', 'shortName'],
  date: ['timestamp'],
  status: ['text'],
  inlineCard: ['url'],
};
/** Nodes whose children are inline (joined without separators); everything else joins its blocks with newlines. */
const INLINE_CONTAINERS = new Set(['paragraph', 'heading', 'codeBlock', 'caption']);

const attrText = (node: AdfNode): string => {
  for (const key of ATTR_TEXT[node.type] ?? []) {
    const value = node.attrs?.[key];
    if (typeof value === 'string') return value;
  }
  return '';
};

/** Plain text of an ADF document: text nodes, with blocks on separate lines. */
export const adfToText = (node: AdfNode): string => {
  if (node.type === 'text') return node.text ?? '';
  if (node.type === 'hardBreak') return '\n';
  if (ATTR_TEXT[node.type]) return attrText(node);
  const children = (node.content ?? []).map(adfToText);
  if (INLINE_CONTAINERS.has(node.type)) return children.join('');
  return children.filter((text) => text.length > 0).join('\n');
};

export type FieldParse = { ok: true; value: ChangeFields[FieldKey] } | { ok: false; problem: string };

const ok = (value: ChangeFields[FieldKey]): FieldParse => ({ ok: true, value });
const bad = (problem: string): FieldParse => ({ ok: false, problem });
const blankToNull = (s: string): string | null => (s.trim().length ? s : null);

const isOptionField = (field: FieldKey): field is OptionField => field in OPTION_LABELS;

/** No site labels: the app's own labels and the domain values only. */
const OWN_LABELS: Pick<Policy, 'optionLabels'> = { optionLabels: {} };

/** The domain value of an option label on this site (case-insensitive; the domain value itself is accepted too). */
export const optionValueOf = (field: FieldKey, label: string, labels: Pick<Policy, 'optionLabels'> = OWN_LABELS): string | null =>
  isOptionField(field) ? optionValueOfLabel(labels, field, label) : null;

const textOf = (value: unknown): FieldParse => {
  if (typeof value === 'string') return ok(blankToNull(value));
  if (isAdfNode(value)) return ok(blankToNull(adfToText(value).trim())); // the schema's fast path (schemas.ts)
  const adf = AdfNodeSchema.safeParse(value);
  return adf.success ? ok(blankToNull(adfToText(adf.data).trim())) : bad('expected text or an ADF document');
};

export interface ParseFieldOptions {
  /** Accept a bare account id for a user field, as a validator's `modifiedFields` carries it. REST never does. */
  bareAccountIds?: boolean;
  /** The site's option labels (the policy's `optionLabels`); default: the app's own labels only. */
  labels?: Pick<Policy, 'optionLabels'>;
  /** The Jira type of the mapped field (`fieldTypeOf(policy, field)`); default: the CC8.1 field's own. */
  type?: JiraFieldType;
  /** The zone a date picker's day is in (`dateZoneOf(policy)`); default UTC. */
  timeZone?: string;
}

/** How every reader reads `field` on this site: its labels, its Jira type and the zone of its days. */
export const readingOf = (policy: Policy, field: FieldKey): Required<Pick<ParseFieldOptions, 'labels' | 'type' | 'timeZone'>> => ({
  labels: policy,
  type: fieldTypeOf(policy, field),
  timeZone: policy.businessHours?.timeZone ?? 'UTC',
});

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
/**
 * A date picker's day as an instant in `timeZone`: a window's start is the day's first moment,
 * its end the next day's (the whole day is in the window). Null: not a YYYY-MM-DD day.
 */
export const dayInstant = (field: FieldKey, text: string, timeZone: string): Date | null => {
  const match = DAY.exec(text.trim());
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(y, m - 1, d));
  if (probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d) return null;
  const next = field === 'windowEnd' ? new Date(Date.UTC(y, m - 1, d + 1)) : probe;
  return new Date(instantOfWallClock(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), 0, 0, timeZone));
};

/** A component's or service's name (its id where it has none). */
const entityName = (value: unknown): string | null => {
  if (typeof value === 'string') return value.trim() || null;
  const entity = NamedEntitySchema.safeParse(value);
  if (!entity.success) return null;
  return entity.data.name?.trim() || String(entity.data.id);
};

/** The domain value of an option label, or why it has none. */
const mappedOption = (field: FieldKey, label: string, labels: ParseFieldOptions['labels']): FieldParse => {
  const mapped = optionValueOf(field, label, labels);
  // A label that maps to nothing is a configuration error, never a silent "not set" (issue 16).
  return mapped !== null ? ok(mapped) : bad(`"${label}" is not a ${fieldLabel(field)} option the policy knows: map it to one of ${Object.keys(OPTION_LABELS[field as OptionField]).join(', ')} (admin page, option labels; policy optionLabels.${field})`);
};

/**
 * A cascading select's domain value: its child's label where the policy maps it (the more specific
 * choice), else its parent's. Neither mapped: the problem names both.
 */
const cascadingOption = (field: FieldKey, parent: string, child: string | null, labels: ParseFieldOptions['labels']): FieldParse => {
  if (child?.trim()) {
    const byChild = optionValueOf(field, child, labels);
    if (byChild !== null) return ok(byChild);
  }
  if (!parent.trim()) return ok(null);
  const byParent = mappedOption(field, parent, labels);
  return byParent.ok || !child?.trim() ? byParent : mappedOption(field, `${parent} - ${child}`, labels);
};

/** The people a multi-user picker lists: none → null, one → that person, more → any of them. */
const peopleOf = (value: unknown, bareAccountIds: boolean): FieldParse => {
  if (!Array.isArray(value)) return bad('expected a list of users');
  const people: UserRef[] = [];
  for (const entry of value) {
    if (typeof entry === 'string' && bareAccountIds) {
      if (entry.trim()) people.push({ accountId: entry.trim() });
      continue;
    }
    const user = UserValueSchema.safeParse(entry);
    if (!user.success) return bad('expected a list of users');
    people.push(user.data);
  }
  const unique = people.filter((p, i) => people.findIndex((q) => q.accountId === p.accountId) === i);
  return ok(unique.length === 0 ? null : unique.length === 1 ? unique[0]! : { anyOf: unique });
};

/** Text read from a text field, as the CC8.1 field's kind wants it: a list is split into its items. */
const asKind = (field: FieldKey, text: FieldParse): FieldParse => {
  if (!text.ok || FIELD_DEFS[field].kind !== 'list') return text;
  if (typeof text.value !== 'string') return ok(null);
  // Text of separators only is still text (the compiled expression sees a non-blank field): one item.
  const items = splitList(text.value);
  return ok(items.length ? items : [text.value.trim()]);
};

/** A multi-select list's options (REST: `[{value}]`; a screen edit may send plain strings). */
const multiOptionsOf = (value: unknown): FieldParse => {
  if (!Array.isArray(value)) return bad('expected a list of options');
  const items: string[] = [];
  for (const entry of value) {
    const label = typeof entry === 'string' ? entry : OptionValueSchema.safeParse(entry).data?.value;
    if (label === undefined) return bad('expected a list of options');
    if (label.trim()) items.push(label.trim());
  }
  return ok(items.length ? items : null);
};

/**
 * A field value as the issue (or a validator's `modifiedFields`) carries it, turned into the
 * domain value. Tolerates the variants Jira sends: plain strings for rich text, option objects
 * or labels, and (screen edits only) bare account ids for users.
 */
export const parseFieldValue = (field: FieldKey, value: unknown, options: ParseFieldOptions = {}): FieldParse => {
  if (value === null || value === undefined) return ok(null);
  switch (options.type ?? FIELD_DEFS[field].jira) {
    case 'string':
    case 'richtext':
      return asKind(field, textOf(value));
    case 'multioption':
      return multiOptionsOf(value);
    case 'option': {
      const fast = fastOptionLabel(value);
      const option = fast === FALLBACK ? OptionValueSchema.safeParse(value) : { success: true as const, data: { value: fast } };
      const label = option.success ? option.data.value : typeof value === 'string' ? value : null;
      if (label === null) return bad('expected a select-list option');
      if (!label.trim()) return ok(null);
      return mappedOption(field, label, options.labels);
    }
    case 'cascadingoption': {
      if (typeof value === 'string') return value.trim() ? mappedOption(field, value, options.labels) : ok(null);
      const option = CascadingValueSchema.safeParse(value);
      if (!option.success) return bad('expected a cascading select option');
      return cascadingOption(field, option.data.value, option.data.child?.value ?? null, options.labels);
    }
    case 'components':
    case 'services': {
      if (!Array.isArray(value)) return bad(`expected a list of ${options.type === 'services' ? 'services' : 'components'}`);
      const names: string[] = [];
      for (const entry of value) {
        const name = entityName(entry);
        if (name === null) return bad(`expected a list of ${options.type === 'services' ? 'services' : 'components'}`);
        names.push(name);
      }
      return ok(names.length ? names : null);
    }
    case 'multiuser':
      return peopleOf(value, options.bareAccountIds ?? false);
    case 'group': {
      if (typeof value === 'string') return ok(value.trim() ? { group: value.trim() } : null);
      const group = NamedEntitySchema.safeParse(value);
      return group.success && group.data.name?.trim() ? ok({ group: group.data.name.trim() }) : bad('expected a group');
    }
    case 'date': {
      if (typeof value !== 'string') return bad('expected a date (YYYY-MM-DD)');
      const date = dayInstant(field, value, options.timeZone ?? 'UTC');
      return date ? ok(date) : bad('expected a date (YYYY-MM-DD)');
    }
    case 'user': {
      if (typeof value === 'string' && options.bareAccountIds) return ok(value.trim() ? { accountId: value.trim() } : null);
      const fast = fastUserValue(value);
      if (fast !== FALLBACK) return ok(fast);
      const user = UserValueSchema.safeParse(value);
      return user.success ? ok(user.data) : bad('expected a user');
    }
    case 'labels': {
      const fast = fastLabels(value);
      if (fast !== FALLBACK) return ok(fast);
      const labels = LabelsValueSchema.safeParse(value);
      return labels.success ? ok(labels.data) : bad('expected a list of labels');
    }
    case 'datetime': {
      if (typeof value !== 'string') return bad('expected a timestamp');
      const date = parseJiraTimestamp(value);
      return date ? ok(date) : bad('expected a timestamp');
    }
  }
};

type Side = 'from' | 'to';
const stringSide = (item: ChangeItem, side: Side): string | null | undefined => (side === 'from' ? item.fromString : item.toString);

const sortedLabels = (text: string | null | undefined): string | null => {
  const labels = (text ?? '').split(/[\s,]+/).filter(Boolean);
  return labels.length ? [...labels].sort().join(',') : null;
};

const CASCADE = /^Parent values: (.*?)\(\d+\)(?:Level 1 values: (.*?)\(\d+\))?$/s;

/** A cascading select's changelog text ("Parent values: High(10010)Level 1 values: Critical(10011)") as parent and child labels. */
export const cascadingLabels = (text: string): { parent: string; child: string | null } => {
  const match = CASCADE.exec(text.trim());
  return match ? { parent: match[1]!.trim(), child: match[2]?.trim() || null } : { parent: text.trim(), child: null };
};

/** Account ids a multi-user changelog side lists ("id1, id2", or "[id1, id2]"). */
const idsOf = (text: string | null | undefined): string[] => (text ?? '').split(/[\s,[\]]+/).filter(Boolean);

/**
 * A changelog item's value in the domain's raw encoding (see `rawFieldValue`): user → accountId
 * (several: sorted, comma-joined; a group: `group:<name>`), option → domain value (an unknown label
 * is kept as is, so a change between two unknown labels still shows), datetime or date → ISO,
 * labels → sorted and comma-joined, text → the string. Components come one item per component
 * added or removed: see `list-deltas.ts`.
 */
export const changelogRawValue = (
  field: FieldKey,
  item: ChangeItem,
  side: Side,
  labels: Pick<Policy, 'optionLabels'> = OWN_LABELS,
  type: JiraFieldType = FIELD_DEFS[field].jira,
  timeZone = 'UTC',
): string | null => {
  const id = item[side];
  const text = stringSide(item, side);
  if (FIELD_DEFS[field].kind === 'list' && type !== 'labels') {
    // A list kept in a text field or a multi-select: its items, as the domain encodes a list (sorted, comma-joined).
    const items = splitList((text ?? '').replace(/^\[|\]$/g, ''));
    return items.length ? [...items].sort().join(',') : null;
  }
  switch (type) {
    case 'user':
      return id?.trim() || null;
    case 'multiuser': {
      const ids = [...new Set(idsOf(id))].sort();
      return ids.length ? ids.join(',') : null;
    }
    case 'group': {
      const name = (text ?? id)?.trim();
      return name ? `${GROUP_RAW_PREFIX}${name}` : null;
    }
    case 'option':
    case 'cascadingoption': {
      const label = text?.trim();
      if (!label) return null;
      if (type === 'option') return optionValueOf(field, label, labels) ?? label;
      const { parent, child } = cascadingLabels(label);
      const mapped = cascadingOption(field, parent, child, labels);
      return mapped.ok && typeof mapped.value === 'string' ? mapped.value : child ? `${parent} - ${child}` : parent || null;
    }
    case 'date': {
      for (const candidate of [id, text]) {
        const day = candidate ? dayInstant(field, candidate, timeZone) : null;
        if (day) return day.toISOString();
      }
      return (id ?? text)?.trim() || null;
    }
    case 'datetime': {
      for (const candidate of [id, text]) {
        const date = candidate ? parseJiraTimestamp(candidate) : null;
        if (date) return date.toISOString();
      }
      return (id ?? text)?.trim() || null;
    }
    case 'labels':
      return sortedLabels(text ?? id);
    case 'string':
    case 'richtext':
    case 'multioption':
    case 'components':
    case 'services': {
      const value = text ?? id;
      return value?.trim() ? value : null;
    }
  }
};
