/**
 * Tickets from offline export files: the JSON `POST /rest/api/3/search/jql` returns with
 * `expand=changelog` (a page, an array of pages, or several files). Each issue is parsed, checked
 * and mapped on its own (see export-scanner), so memory stays near the size of the result. A
 * truncated or off-schema file, a missing or truncated changelog, or a mapped field absent from
 * every issue is an `InputFileError` naming the file and the place.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { FIELD_KEYS, fieldLabel, Policy } from '../src/domain';
import { EVIDENCE_PROPERTY_KEY } from '../src/jira/evidence-property';
import { STATUS_FIELD_ID } from '../src/jira/map-change';
import { ChangelogSchema, FALLBACK, Fast, fastChangelogs, fastIssue, IssueSchema } from '../src/jira/schemas';
import { summarizeZodIssues } from '../src/shared/app-error';
import { AuditTicket, CORE_FIELD_IDS, toAuditTicket } from '../src/evidence/audit-ticket';
import { sealCheck } from '../src/evidence/ticket-pages';
import type { KeyObject } from 'node:crypto';
import { InputFileError } from './cli-errors';
import { ExportScanError, issueSlices } from './export-scanner';

const ExportIssueSchema = IssueSchema.extend({
  changelog: z.object({
    histories: z.array(ChangelogSchema),
    total: z.number().int().nonnegative().optional(),
    startAt: z.number().int().nonnegative().optional(),
  }),
});

type ExportIssue = z.infer<typeof ExportIssueSchema>;

const isOptionalCount = (value: unknown): value is number | undefined => value === undefined || (Number.isSafeInteger(value) && (value as number) >= 0);

/** ExportIssueSchema without zod for the usual issue (see the fast paths in schemas.ts); FALLBACK for the schema to decide. */
const fastExportIssue = (raw: unknown): Fast<ExportIssue> => {
  const issue = fastIssue(raw);
  if (issue === FALLBACK) return FALLBACK;
  const changelog: unknown = (raw as { changelog?: unknown }).changelog; // fastIssue checked that raw is an object
  if (typeof changelog !== 'object' || changelog === null || Array.isArray(changelog)) return FALLBACK;
  const { histories: rawHistories, total, startAt } = changelog as Record<string, unknown>;
  if (!isOptionalCount(total) || !isOptionalCount(startAt)) return FALLBACK;
  const histories = fastChangelogs(rawHistories);
  if (histories === FALLBACK) return FALLBACK;
  const out: ExportIssue['changelog'] = { histories };
  if (total !== undefined || 'total' in changelog) out.total = total;
  if (startAt !== undefined || 'startAt' in changelog) out.startAt = startAt;
  return { ...issue, changelog: out };
};

const parseExportIssue = (raw: unknown): ReturnType<typeof ExportIssueSchema.safeParse> => {
  const fast = fastExportIssue(raw);
  return fast === FALLBACK ? ExportIssueSchema.safeParse(raw) : { success: true, data: fast };
};

export const EXPORT_HINT =
  'Export with POST /rest/api/3/search/jql and {"expand": "changelog", "fields": [status, created, updated and the mapped fields], "properties": ["cc81.evidence"]}.';

const MAX_SHOWN = 5;

export interface ExportFile {
  name: string;
  content: Buffer;
}

export interface ExportRead {
  tickets: AuditTicket[];
  files: { name: string; sha256: string }[];
  /** Whether any issue carried the `cc81.evidence` property (post-hoc approvals live there). */
  hasEvidenceProperty: boolean;
}

interface RawHistory {
  items?: unknown;
}

/**
 * Drops what the audit never reads before parsing: fields other than status, created, updated and
 * the mapped ones (after noting which fields the export carries), properties other than
 * `cc81.evidence`, and changelog items of other fields. Returns how many histories the export held.
 */
/** `items` without the ones `keep` rejects; the same array when it keeps them all (most do). `keep` must be idempotent. */
const kept = <T>(items: T[], keep: (item: T) => boolean): T[] => {
  for (let i = 0; i < items.length; i += 1) if (!keep(items[i]!)) return items.filter(keep);
  return items;
};

const isRelevantItem = (itemFieldIds: ReadonlySet<string>) => (item: { fieldId?: unknown; field?: unknown }) =>
  !item || typeof item !== 'object' || itemFieldIds.has(String(item.fieldId ?? item.field));

const prune = (raw: unknown, issueFieldIds: ReadonlySet<string>, itemFieldIds: ReadonlySet<string>, seenFieldIds: Set<string>): number | null => {
  const issue = raw as { fields?: unknown; properties?: unknown } | null;
  if (issue && issue.fields && typeof issue.fields === 'object' && !Array.isArray(issue.fields)) {
    const fields = issue.fields as Record<string, unknown>;
    const ids = Object.keys(fields);
    let dropped = false;
    for (const id of ids) {
      seenFieldIds.add(id);
      if (!issueFieldIds.has(id)) dropped = true;
    }
    if (dropped) {
      const narrowed: Record<string, unknown> = {};
      for (const id of ids) if (issueFieldIds.has(id)) narrowed[id] = fields[id];
      issue.fields = narrowed;
    }
  }
  if (issue && issue.properties && typeof issue.properties === 'object' && !Array.isArray(issue.properties)) {
    const evidence = (issue.properties as Record<string, unknown>)[EVIDENCE_PROPERTY_KEY];
    issue.properties = evidence === undefined ? {} : { [EVIDENCE_PROPERTY_KEY]: evidence };
  }
  const changelog = (raw as { changelog?: { histories?: unknown } } | null)?.changelog;
  if (!changelog || !Array.isArray(changelog.histories)) return null;
  const held = changelog.histories.length;
  const relevant = isRelevantItem(itemFieldIds);
  changelog.histories = kept(changelog.histories as RawHistory[], (h) => {
    if (!h || typeof h !== 'object' || !Array.isArray(h.items)) return true; // let the schema report it
    h.items = kept(h.items as { fieldId?: unknown; field?: unknown }[], relevant);
    return (h.items as unknown[]).length > 0;
  });
  return held;
};

const keyOf = (raw: unknown, fallback: string): string => {
  const key = (raw as { key?: unknown } | null)?.key;
  return typeof key === 'string' ? key : fallback;
};

export const readExportFiles = (files: readonly ExportFile[], policy: Policy, onTicket: (count: number) => void = () => undefined, evidenceKey?: KeyObject): ExportRead => {
  const tickets: AuditTicket[] = [];
  const seenFieldIds = new Set<string>();
  const readFieldIds = new Set<string>([STATUS_FIELD_ID, ...Object.values(policy.fields).filter((id): id is string => Boolean(id))]);
  const issueFieldIds = new Set<string>([...CORE_FIELD_IDS, ...readFieldIds]);
  let hasEvidenceProperty = false;
  const digests = files.map((file) => {
    try {
      for (const slice of issueSlices(file.content)) {
        const where = `issue ${slice.index} of page ${slice.page}`;
        let raw: unknown;
        try {
          raw = JSON.parse(slice.json);
        } catch (cause) {
          throw new InputFileError('Export file', file.name, `${where} is not valid JSON. Export it again.`, { cause });
        }
        const label = keyOf(raw, where);
        const held = prune(raw, issueFieldIds, readFieldIds, seenFieldIds);
        const parsed = parseExportIssue(raw);
        if (!parsed.success) {
          const issues = summarizeZodIssues(parsed.error.issues);
          const shown = issues.slice(0, MAX_SHOWN).map((i) => `${i.path} (${i.problem})`).join('; ');
          const noChangelog = issues.some((i) => i.path === 'changelog');
          throw new InputFileError('Export file', file.name, `${label} is not an issue of a search/jql result: ${shown}.${noChangelog ? ` Issue ${label} has no changelog.` : ''} ${EXPORT_HINT}`, { cause: parsed.error });
        }
        const { changelog, ...issue } = parsed.data;
        if (changelog.total !== undefined && held !== null && changelog.total > held) {
          throw new InputFileError('Export file', 
            file.name,
            `the changelog of ${issue.key} is truncated (${held} of ${changelog.total} histories; search returns at most 100 per issue). Audit this site with --site instead, which reads full changelogs in bulk.`,
          );
        }
        if (issue.properties?.[EVIDENCE_PROPERTY_KEY] !== undefined) hasEvidenceProperty = true;
        tickets.push(toAuditTicket({ issue, histories: changelog.histories, ...sealCheck(issue, evidenceKey) }, policy));
        onTicket(tickets.length);
      }
    } catch (error) {
      if (error instanceof ExportScanError) throw new InputFileError('Export file', file.name, `not valid JSON (${error.message}). Export it again.`, { cause: error });
      throw error;
    }
    return { name: file.name, sha256: createHash('sha256').update(file.content).digest('hex') };
  });
  if (tickets.length) {
    const missing = FIELD_KEYS.filter((key) => policy.fields[key] && !seenFieldIds.has(policy.fields[key]!)).map((key) => `${policy.fields[key]} (${fieldLabel(key)})`);
    const core = CORE_FIELD_IDS.filter((id) => !seenFieldIds.has(id));
    if (missing.length || core.length) {
      throw new InputFileError('Export file', files.map((f) => f.name).join(', '), `no issue carries the field(s) ${[...core, ...missing].join(', ')}. ${EXPORT_HINT}`);
    }
  }
  return { tickets, files: digests, hasEvidenceProperty };
};
