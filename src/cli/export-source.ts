/**
 * Tickets from offline export files: the JSON `POST /rest/api/3/search/jql` returns with
 * `expand=changelog` (a page, an array of pages, or several files). A truncated or off-schema file,
 * a missing changelog, a truncated changelog or a mapped field absent from every issue is an
 * `ExportFileError` naming the file and the place.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { FIELD_KEYS, fieldLabel, Policy } from '../domain';
import { EVIDENCE_PROPERTY_KEY } from '../jira/evidence-property';
import { ChangelogSchema, IssueSchema } from '../jira/schemas';
import { summarizeZodIssues } from '../shared/app-error';
import type { RawTicket } from '../evidence/audit-ticket';
import { ExportFileError } from './cli-errors';

const ExportIssueSchema = IssueSchema.extend({
  changelog: z.object({
    histories: z.array(ChangelogSchema),
    total: z.number().int().nonnegative().optional(),
    startAt: z.number().int().nonnegative().optional(),
  }),
});
const ExportPageSchema = z.object({ issues: z.array(ExportIssueSchema), nextPageToken: z.string().nullish(), isLast: z.boolean().optional() });
const ExportPagesSchema = z.array(ExportPageSchema).min(1);

export const EXPORT_HINT =
  'Export with POST /rest/api/3/search/jql and {"expand": "changelog", "fields": [status, created, updated and the mapped fields], "properties": ["cc81.evidence"]}.';

const MAX_SHOWN = 5;

export interface ExportFile {
  name: string;
  text: string;
}

export interface ExportRead {
  raws: RawTicket[];
  files: { name: string; sha256: string }[];
  /** Whether any issue carried the `cc81.evidence` property (post-hoc approvals live there). */
  hasEvidenceProperty: boolean;
}

const parseFile = (file: ExportFile) => {
  let json: unknown;
  try {
    json = JSON.parse(file.text);
  } catch (cause) {
    throw new ExportFileError(file.name, `not valid JSON (${cause instanceof Error ? cause.message : 'parse error'}); the file may be truncated. Export it again.`, { cause });
  }
  const parsed = Array.isArray(json) ? ExportPagesSchema.safeParse(json) : ExportPageSchema.safeParse(json);
  if (!parsed.success) {
    const issues = summarizeZodIssues(parsed.error.issues);
    const shown = issues.slice(0, MAX_SHOWN).map((i) => `${i.path} (${i.problem})`).join('; ');
    const changelogMissing = issues.some((i) => /\.changelog$/.test(i.path));
    throw new ExportFileError(
      file.name,
      `not a search/jql result with changelogs: ${shown}${issues.length > MAX_SHOWN ? ` and ${issues.length - MAX_SHOWN} more` : ''}.${changelogMissing ? ' Issues have no changelog.' : ''} ${EXPORT_HINT}`,
      { cause: parsed.error },
    );
  }
  return Array.isArray(parsed.data) ? parsed.data : [parsed.data];
};

export const readExportFiles = (files: readonly ExportFile[], policy: Policy): ExportRead => {
  const raws: RawTicket[] = [];
  const seenFieldIds = new Set<string>();
  let hasEvidenceProperty = false;
  const digests = files.map((file) => {
    for (const page of parseFile(file)) {
      for (const issue of page.issues) {
        const { total } = issue.changelog;
        if (total !== undefined && total > issue.changelog.histories.length) {
          throw new ExportFileError(
            file.name,
            `the changelog of ${issue.key} is truncated (${issue.changelog.histories.length} of ${total} histories; search returns at most 100 per issue). Audit this site with --site instead, which reads full changelogs in bulk.`,
          );
        }
        for (const id of Object.keys(issue.fields)) seenFieldIds.add(id);
        if (issue.properties?.[EVIDENCE_PROPERTY_KEY] !== undefined) hasEvidenceProperty = true;
        const { changelog, ...rest } = issue;
        raws.push({ issue: rest, histories: changelog.histories });
      }
    }
    return { name: file.name, sha256: createHash('sha256').update(file.text).digest('hex') };
  });
  if (raws.length) {
    const missing = FIELD_KEYS.filter((key) => policy.fields[key] && !seenFieldIds.has(policy.fields[key]!)).map((key) => `${policy.fields[key]} (${fieldLabel(key)})`);
    const core = ['status', 'created', 'updated'].filter((id) => !seenFieldIds.has(id));
    if (missing.length || core.length) {
      throw new ExportFileError(files.map((f) => f.name).join(', '), `no issue carries the field(s) ${[...core, ...missing].join(', ')}. ${EXPORT_HINT}`);
    }
  }
  return { raws, files: digests, hasEvidenceProperty };
};
