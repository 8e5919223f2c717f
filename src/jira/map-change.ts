import {
  Actor,
  Change,
  ChangeSchema,
  FIELD_KEYS,
  FieldKey,
  HistoryEntry,
  Policy,
  State,
  StateSchema,
  StatusEntry,
} from '../domain';
import { MalformedResponseError, NotConfiguredError, summarizeZodIssues } from '../shared/app-error';
import { EVIDENCE_PROPERTY_KEY, EvidenceProperty, parseEvidenceProperty, toDomainEvidence } from './evidence-property';
import { changelogRawValue, parseFieldValue, readingOf } from './field-value';
import { replayListDeltas, type ListDelta } from './list-deltas';
import { Changelog, FALLBACK, fastCoreFields, IssueCoreFieldsSchema, IssueJson, JiraUser } from './schemas';
import { withRecurringWindows } from '../schedule/recurring-window';

/** The changelog field id of status changes. */
export const STATUS_FIELD_ID = 'status';
/** The issue fields a change is read from: status, created, creator and every mapped CC8.1 field, plus `extra`. */
export const changeFieldIds = (policy: Policy, ...extra: string[]): string[] => [
  ...new Set([STATUS_FIELD_ID, 'created', 'creator', ...extra, ...Object.values(policy.fields).filter((id): id is string => Boolean(id))]),
];

/** An evidence record and a changelog status change this close together (same from/to) are one step. */
export const EVIDENCE_DEDUP_WINDOW_MS = 60_000;

const CORRUPTED_ACCOUNT_ID = 'unknown'; // UserDetails: "accountId returns *unknown*" for corrupted records

/** Jira status id → lifecycle state, from the policy. */
export const statusStates = (policy: Policy): Map<string, State> => {
  const map = new Map<string, State>();
  for (const [state, id] of Object.entries(policy.statuses)) {
    const parsed = StateSchema.safeParse(state);
    if (parsed.success && id) map.set(id, parsed.data);
  }
  return map;
};

/** Jira field id → CC8.1 field, from the policy. */
export const fieldKeysById = (policy: Policy): Map<string, FieldKey> => {
  const map = new Map<string, FieldKey>();
  for (const key of FIELD_KEYS) {
    const id = policy.fields[key];
    if (id) map.set(id, key);
  }
  return map;
};

/** The state a Jira status id maps to; NotConfiguredError when the policy does not map it. */
export const stateOfStatus = (policy: Policy, statusId: string, states: ReadonlyMap<string, State> = statusStates(policy)): State => {
  const state = states.get(statusId);
  if (!state) {
    throw new NotConfiguredError(
      `Jira status ${statusId} is not mapped to a CC8.1 lifecycle state`,
      'Ask a Jira admin to map every status of the change workflow to a lifecycle state on the CC8.1 admin page.',
    );
  }
  return state;
};

/** The changelog author as a domain actor: null when absent, anonymous, or a corrupted record. */
export const actorOf = (author: JiraUser | null | undefined): Actor => {
  const accountId = author?.accountId?.trim();
  if (!author || !accountId || accountId === CORRUPTED_ACCOUNT_ID) return null;
  return { accountId, displayName: author.displayName ?? null, active: author.active ?? null };
};

export interface ChangeSource {
  issue: IssueJson;
  histories: readonly Changelog[];
  /** Defaults to the `cc81.evidence` property included in the issue (`properties=cc81.evidence`). */
  evidence?: EvidenceProperty | null;
  /** The time recurring windows are read around (with the steps' times); absent: the steps' times only. */
  now?: Date;
}

export interface MappingStats {
  /** Status changes skipped because a side is not a mapped status. */
  unknownStatusItems: number;
  /** Loop-transition evidence records added as status entries. */
  evidenceAdded: number;
  /** Evidence records already present in the changelog (same from/to within 60 s). */
  evidenceDuplicates: number;
  /** Non-loop evidence records with no matching changelog entry: kept in `change.evidence`, not in the history. */
  evidenceUnmatched: number;
}

export interface MappedChange {
  change: Change;
  history: HistoryEntry[];
  stats: MappingStats;
}

const mapFields = (issue: IssueJson, policy: Policy): Record<string, unknown> => {
  const fields: Record<string, unknown> = {};
  for (const key of FIELD_KEYS) {
    const id = policy.fields[key];
    if (!id) continue;
    const parsed = parseFieldValue(key, issue.fields[id], readingOf(policy, key));
    if (!parsed.ok) throw new MalformedResponseError(`issue ${issue.key}`, [{ path: `fields.${id} (${key})`, problem: parsed.problem }]);
    fields[key] = parsed.value;
  }
  return fields;
};

const mapHistories = (histories: readonly Changelog[], policy: Policy, states: ReadonlyMap<string, State>) => {
  const fieldsById = fieldKeysById(policy);
  const entries: HistoryEntry[] = [];
  const deltas: ListDelta[] = [];
  let unknownStatusItems = 0;
  const actors = new Map<string, NonNullable<Actor>>(); // one actor per author (same id, name and status): fewer objects kept
  for (const history of histories) {
    const { author } = history;
    const rawId = author?.accountId;
    const known = rawId ? actors.get(rawId) : undefined;
    let actor: Actor;
    if (known && known.displayName === (author?.displayName ?? null) && known.active === (author?.active ?? null)) actor = known;
    else {
      actor = actorOf(author);
      if (actor && rawId) actors.set(rawId, actor);
    }
    for (const item of history.items) {
      const fieldId = item.fieldId ?? (item.field === STATUS_FIELD_ID ? STATUS_FIELD_ID : item.field === 'Component' ? 'components' : null);
      if (!fieldId) continue;
      if (fieldId === STATUS_FIELD_ID) {
        const from = item.from ? states.get(item.from) : undefined;
        const to = item.to ? states.get(item.to) : undefined;
        if (!from || !to) unknownStatusItems += 1;
        else entries.push({ kind: 'status', at: history.created, actor, from, to });
        continue;
      }
      const field = fieldsById.get(fieldId);
      if (!field) continue;
      const { labels, type, timeZone } = readingOf(policy, field);
      if (type === 'components') {
        const [removed, added] = [item.fromString ?? item.from, item.toString ?? item.to].map((name) => (name?.trim() ? [name.trim()] : []));
        deltas.push({ at: history.created, actor, field, added: added!, removed: removed! });
        continue;
      }
      entries.push({
        kind: 'field',
        at: history.created,
        actor,
        field,
        from: changelogRawValue(field, item, 'from', labels, type, timeZone),
        to: changelogRawValue(field, item, 'to', labels, type, timeZone),
      });
    }
  }
  return { entries, deltas, unknownStatusItems };
};

/** Today's list of a list field (for the Components replay). */
const listOf = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

const sameStep = (a: StatusEntry, from: State, to: State, at: Date) =>
  a.from === from && a.to === to && Math.abs(a.at.getTime() - at.getTime()) <= EVIDENCE_DEDUP_WINDOW_MS;

/**
 * REST issue JSON, its changelog histories and the app's evidence property → the domain's
 * `Change` and `History`. Histories may come in any order; the domain sorts.
 *
 * Evidence records: a loop transition (post-hoc approval) leaves no status item in the changelog,
 * so its record becomes a status entry. A record for a step the changelog already shows (same
 * from/to within 60 s) is not added twice. A non-loop record with no changelog match is not added
 * either: the changelog is authoritative, and the property is writable by anyone who can edit
 * the issue, so such a record must not be able to create an approval.
 */
export const mapChange = (source: ChangeSource, policy: Policy): MappedChange => {
  const { issue } = source;
  const fastCore = fastCoreFields(issue.fields);
  const core = fastCore === FALLBACK ? IssueCoreFieldsSchema.safeParse(issue.fields) : { success: true as const, data: fastCore };
  if (!core.success) throw new MalformedResponseError(`issue ${issue.key}`, summarizeZodIssues(core.error.issues).map((i) => ({ ...i, path: `fields.${i.path}` })));
  const states = statusStates(policy);
  const state = stateOfStatus(policy, core.data.status.id, states);
  const evidence = source.evidence !== undefined ? source.evidence ?? null : parseEvidenceProperty(issue.properties?.[EVIDENCE_PROPERTY_KEY]);
  const evidenceRecords = evidence ? toDomainEvidence(evidence) : [];

  const parsed = ChangeSchema.safeParse({
    key: issue.key,
    state,
    createdAt: core.data.created,
    creatorAccountId: core.data.creator?.accountId ?? null,
    fields: mapFields(issue, policy),
    evidence: evidenceRecords,
  });
  if (!parsed.success) throw MalformedResponseError.fromZod(`issue ${issue.key}`, parsed.error);

  const mapped = mapHistories(source.histories, policy, states);
  const { unknownStatusItems } = mapped;
  const entries = [...mapped.entries, ...replayListDeltas(mapped.deltas, (field) => listOf(parsed.data.fields[field]))];
  const statusEntries = entries.filter((e): e is StatusEntry => e.kind === 'status');
  const stats: MappingStats = { unknownStatusItems, evidenceAdded: 0, evidenceDuplicates: 0, evidenceUnmatched: 0 };
  for (const record of evidenceRecords) {
    if (statusEntries.some((e) => sameStep(e, record.from, record.to, record.at))) {
      stats.evidenceDuplicates += 1;
    } else if (record.from === record.to) {
      const actor: Actor = record.accountId ? { accountId: record.accountId } : null;
      const entry: StatusEntry = { kind: 'status', at: record.at, actor, from: record.from, to: record.to };
      entries.push(entry); // loops never match the changelog, and two loops are two steps
      stats.evidenceAdded += 1;
    } else {
      stats.evidenceUnmatched += 1;
    }
  }
  return { change: withRecurringWindows(parsed.data, entries, source.now ?? null), history: entries, stats };
};
