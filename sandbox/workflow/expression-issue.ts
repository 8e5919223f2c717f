/**
 * The `issue` a Jira expression sees, built from the sandbox issue's REST v3 fields as Jira presents
 * them (FACTS.md §5): custom fields exactly as REST JSON (maps, lists, strings), `summary` a String,
 * `description` a RichText, `reporter`/`assignee` Users, `labels` a List, entity properties as stored.
 * Transition-screen values (REST shapes, by field id) override the stored ones, as in a validator.
 */
import { buildIssue, JiraIssue, jiraRichText, JiraRichText, JiraUser, jiraUser } from '../jira-expression/object-model';
import { adfText } from '../state/jira-json';
import type { SandboxIssue, SandboxUser } from '../state/sandbox-state';

export interface ExpressionIssueOptions {
  /** Site users, for the groups of `reporter`/`assignee` (a User has groups; REST user JSON does not). */
  users?: readonly SandboxUser[];
}

const CUSTOM_FIELD = /^customfield_\d+$/;

/** A JSON copy: the expression must never see (or hold on to) the sandbox's own objects. */
const copy = <T>(value: T): T => (value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T));

/** Rich text as `RichText`: ADF (REST v3) or a plain string (REST v2); anything else reads as null. */
export const richTextOf = (value: unknown): JiraRichText | null => {
  if (typeof value === 'string') return jiraRichText(value);
  if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'doc') return jiraRichText(adfText(value));
  return null;
};

/** REST user JSON as a `User`, with the site's groups for that account. */
export const userOf = (value: unknown, users: readonly SandboxUser[] = []): JiraUser | null => {
  if (!value || typeof value !== 'object') return null;
  const json = value as { accountId?: unknown; displayName?: unknown; active?: unknown };
  if (typeof json.accountId !== 'string' || !json.accountId) return null;
  const known = users.find((u) => u.accountId === json.accountId);
  return jiraUser(json.accountId, {
    displayName: typeof json.displayName === 'string' ? json.displayName : (known?.displayName ?? null),
    active: typeof json.active === 'boolean' ? json.active : (known?.active ?? true),
    groups: known?.groups ?? [],
  });
};

export const expressionIssueOf = (issue: SandboxIssue, screenFields: Record<string, unknown> = {}, options: ExpressionIssueOptions = {}): JiraIssue => {
  const fields: Record<string, unknown> = copy({ ...issue.fields, ...screenFields });
  const customFields = Object.fromEntries(Object.entries(fields).filter(([id]) => CUSTOM_FIELD.test(id)).map(([id, value]) => [id, value ?? null]));
  const labels = Array.isArray(fields.labels) ? fields.labels.filter((label): label is string => typeof label === 'string') : [];
  return buildIssue({
    key: issue.key,
    summary: typeof fields.summary === 'string' ? fields.summary : '',
    description: richTextOf(fields.description),
    reporter: userOf(fields.reporter, options.users),
    assignee: userOf(fields.assignee, options.users),
    labels,
    components: Array.isArray(fields.components) ? (fields.components as { id: string; name: string }[]).map((c) => ({ id: Number(c.id), name: c.name })) : [],
    customFields,
    properties: copy(issue.properties),
  });
};
