// The issue panel's logic, kept out of React: reading the resolver's answer, clock arithmetic,
// labels and verdicts, time formatting in the viewer's zone, and the two export builders.
// Pure TypeScript: no DOM, no bridge (tested in test/static/issue-panel).
import type { PanelResponse, PanelView } from '../../../src/shared/panel-contract';
import type { ResolverError } from '../../../src/shared/resolver-result';
import { formatTime, formatTimesIn, isObject, type TimeFormat, type Tone, type Verdict } from '../../shared/view-format';

// Shared with the admin page (static/shared/view-format.ts); re-exported for the panel's modules and tests.
export { browserTimeZone, formatTime, viewerLocale, viewerTimeZone, type TimeFormat, type Tone, type Verdict } from '../../shared/view-format';

export type Role = PanelView['roles'][number];
export type Pair = PanelView['pairs'][number];
export type Readiness = PanelView['readiness'][number];
export type Clock = PanelView['clock'];
export type TimelineEntry = PanelView['timeline'][number];
export type Finding = PanelView['findings'][number];
export type Person = NonNullable<Role['named']>;
export type Deployment = PanelView['deployments'][number];

export type Loaded = { ok: true; data: PanelResponse } | { ok: false; error: ResolverError };

export const UNREACHABLE: ResolverError = {
  code: 'UNREACHABLE',
  message: 'The CC8.1 panel could not reach the app. Check your connection and try again.',
};

/**
 * Reads what `invoke(getPanel)` resolved with: `{ ok:true, data }` or `{ ok:false, error }`.
 * Anything else is reported as an error, never rendered half-way.
 */
export const readPanelResult = (answer: unknown): Loaded => {
  if (!isObject(answer)) return { ok: false, error: { code: 'BAD_RESPONSE', message: 'The CC8.1 panel got no answer from the app.' } };
  if (answer.ok === false && isObject(answer.error)) {
    const { code, message } = answer.error;
    return { ok: false, error: { code: typeof code === 'string' ? code : 'ERROR', message: typeof message === 'string' && message ? message : 'The app reported an error.' } };
  }
  if (answer.ok === true && isObject(answer.data)) {
    const data = answer.data;
    const status = data.status;
    if (status === 'ok' && isObject(data.view)) return { ok: true, data: data as PanelResponse };
    if (status === 'not-a-change' && typeof data.message === 'string') return { ok: true, data: data as PanelResponse };
    if (status === 'not-configured' && typeof data.message === 'string') {
      return { ok: true, data: { status, message: data.message, missing: Array.isArray(data.missing) ? data.missing.map(String) : [] } };
    }
  }
  return { ok: false, error: { code: 'BAD_RESPONSE', message: 'The app answered in a shape this panel does not understand. Reload the page after the app updates.' } };
};

// ---- durations

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "2 d 3 h", "3 h 5 min", "4 min", "less than a minute": the two largest units, rounded down. */
export const formatDuration = (ms: number): string => {
  const abs = Math.abs(ms);
  if (abs < MINUTE) return 'less than a minute';
  const days = Math.floor(abs / DAY);
  const hours = Math.floor((abs % DAY) / HOUR);
  const minutes = Math.floor((abs % HOUR) / MINUTE);
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  return `${minutes} min`;
};

// ---- labels and verdicts

export const ROLE_LABELS: Record<Role['role'], string> = {
  requester: 'Requester',
  implementer: 'Implementer',
  approver: 'Approver',
  verifier: 'Verifier',
};

export const ROLE_ACTED_STEP: Record<Role['role'], string> = {
  requester: 'submitted',
  implementer: 'implemented',
  approver: 'approved',
  verifier: 'closed',
};

export const FORMER_USER = 'Former user';

/** A person's name as shown: deactivated or deleted accounts say so ("Former user (deactivated)", or their old name, deactivated). */
export const personLabel = (person: Person | null): string => {
  if (!person) return 'Nobody yet';
  if (!person.active) return person.displayName && person.displayName !== FORMER_USER ? `${FORMER_USER} (${person.displayName}, deactivated)` : `${FORMER_USER} (deactivated)`;
  return person.displayName || 'Unknown user';
};

export const PAIR_LABELS: Record<Pair['pair'], string> = {
  'approver-implementer': 'Approver ≠ implementer',
  'verifier-implementer': 'Verifier ≠ implementer',
  'approver-verifier': 'Approver ≠ verifier',
};

export const pairVerdict = (pair: Pair): Verdict => {
  switch (pair.verdict) {
    case 'ok':
      return { tone: 'ok', label: 'Separated', icon: '✓' };
    case 'conflict':
      return { tone: 'danger', label: 'Conflict', icon: '✕' };
    case 'relaxed':
      return { tone: 'warning', label: 'Allowed (low-risk relaxation)', icon: '!' };
    case 'warning':
      return { tone: 'warning', label: 'Will conflict', icon: '!' };
    case 'pending':
    default:
      return { tone: 'neutral', label: 'Not yet decided', icon: '…' };
  }
};

/** Exceptions first, then notices; in each, the order the server gave. */
export const sortedFindings = (findings: readonly Finding[]): Finding[] => [...findings].sort((a, b) => Number(a.severity !== 'exception') - Number(b.severity !== 'exception'));

export { formatTimesIn };

export const samePerson = (a: Person | null, b: Person | null): boolean => !!a && !!b && a.accountId === b.accountId;

/** What the step's button would do for the viewer, in a lozenge: agrees with the buttons Jira shows. */
export const readinessVerdict = (step: Readiness): Verdict => {
  switch (step.status) {
    case 'can':
      return { tone: 'ok', label: 'You can do this now', icon: '✓' };
    case 'done':
      return { tone: 'ok', label: 'Done', icon: '✓' };
    case 'needs':
      return { tone: 'warning', label: `Needs: ${step.missing.join(', ')}`, icon: '!' };
    case 'not-you':
      return { tone: 'neutral', label: 'Not available to you', icon: '–' };
    case 'blocked':
    default:
      return { tone: 'danger', label: 'Blocked', icon: '✕' };
  }
};

export interface PanelSummary {
  tone: 'danger' | 'warning' | 'ok';
  icon: string;
  headline: string;
  /** The worst thing first, in words. */
  detail: string | null;
}

const OVERDUE_CLOCK: readonly Clock['status'][] = ['overdue', 'satisfied-late'];

/**
 * The banner: the worst of the ticket at a glance. Any exception (whatever its code, an overdue
 * or late emergency, a change after approval, a conflict) is red; notices and a pending clock or
 * a conflict in the making are amber; green only when nothing is open, "complete" only when Closed.
 */
export const panelSummary = (view: PanelView, format: TimeFormat): PanelSummary => {
  const exceptions = view.findings.filter((f) => f.severity === 'exception' && !f.beforeEnforcement);
  const conflicts = view.pairs.filter((p) => p.verdict === 'conflict');
  const afterApproval = view.timeline.some((t) => t.afterApproval);
  const clockOverdue = OVERDUE_CLOCK.includes(view.clock.status);
  const count = exceptions.length + (exceptions.length === 0 && (conflicts.length || clockOverdue || afterApproval) ? 1 : 0);
  if (count > 0) {
    const first = exceptions[0]?.message ?? conflicts[0]?.message ?? (clockOverdue ? 'The emergency change has no post-hoc approval in time.' : 'Changed after approval.');
    return { tone: 'danger', icon: '✕', headline: `Exception: ${count === 1 ? '1 exception' : `${count} exceptions`} on this ticket`, detail: formatTimesIn(first, format) };
  }
  const notices = view.findings.filter((f) => f.severity !== 'exception' || f.beforeEnforcement);
  const warnings = view.pairs.filter((p) => p.verdict === 'warning');
  const clockOpen = view.clock.status === 'pending' || view.clock.status === 'warning';
  if (notices.length || warnings.length || clockOpen) {
    const first = warnings[0]?.message ?? (clockOpen ? 'The emergency change still needs its post-hoc approval.' : notices[0]!.message);
    const parts = [notices.length ? `${notices.length} ${notices.length === 1 ? 'notice' : 'notices'}` : null, warnings.length || clockOpen ? 'action needed' : null].filter(Boolean);
    return { tone: 'warning', icon: '!', headline: `Needs attention: ${parts.join(', ')}`, detail: formatTimesIn(first, format) };
  }
  return view.state === 'Closed'
    ? { tone: 'ok', icon: '✓', headline: 'Clean: no findings, the change control evidence is complete', detail: null }
    : { tone: 'ok', icon: '✓', headline: 'No findings so far', detail: null };
};

export interface ClockSummary {
  tone: Tone;
  icon: string;
  headline: string;
  /** The remaining or overdue time, computed from `dueAt` and the browser clock. */
  detail: string | null;
}

/** The emergency post-hoc approval clock, as words, at `now` (the browser's clock). */
export const clockSummary = (clock: Clock, now: number, format: TimeFormat): ClockSummary => {
  const due = clock.dueAt ? Date.parse(clock.dueAt) : NaN;
  const dueText = clock.dueAt ? formatTime(clock.dueAt, format) : null;
  const approvedBy = clock.approver ? personLabel(clock.approver) : 'an approver';
  switch (clock.status) {
    case 'not-needed':
      return { tone: 'neutral', icon: '–', headline: 'No post-hoc approval needed', detail: null };
    case 'satisfied-on-time':
      return {
        tone: 'ok',
        icon: '✓',
        headline: `Approved on time by ${approvedBy}`,
        detail: clock.approvedAt ? `Approved ${formatTime(clock.approvedAt, format)}${dueText ? `, due ${dueText}` : ''}` : null,
      };
    case 'satisfied-late': {
      const late = clock.approvedAt && !Number.isNaN(due) ? Date.parse(clock.approvedAt) - due : NaN;
      return {
        tone: 'warning',
        icon: '!',
        headline: `Approved late by ${approvedBy}`,
        detail: `${clock.approvedAt ? `Approved ${formatTime(clock.approvedAt, format)}` : 'Approved'}${Number.isNaN(late) ? '' : `, ${formatDuration(late)} after it was due`}${dueText ? ` (due ${dueText})` : ''}`,
      };
    }
    case 'pending':
    case 'warning':
    case 'overdue':
    default: {
      if (Number.isNaN(due)) return { tone: 'warning', icon: '!', headline: 'Post-hoc approval needed', detail: null };
      const left = due - now;
      if (left < 0) return { tone: 'danger', icon: '✕', headline: `Post-hoc approval overdue by ${formatDuration(left)}`, detail: `It was due ${dueText}.` };
      return {
        tone: clock.status === 'pending' ? 'neutral' : 'warning',
        icon: clock.status === 'pending' ? '…' : '!',
        headline: `Post-hoc approval due in ${formatDuration(left)}`,
        detail: `Due ${dueText}.`,
      };
    }
  }
};

export const TIMELINE_KIND_LABELS: Record<TimelineEntry['kind'], string> = {
  transition: 'Step',
  'post-hoc-approval': 'Post-hoc approval',
  'material-change': 'Changed after approval',
  edit: 'Edit',
};

export const sortedTimeline = (timeline: readonly TimelineEntry[]): TimelineEntry[] =>
  [...timeline].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));

// ---- deployments (the deployment gate's calls, issue 19)

/** The gate's decision on one call, in a lozenge: allowed, denied, or let through as an emergency (post-hoc approval owed). */
export const deploymentVerdict = (d: Pick<Deployment, 'decision' | 'path'>): Verdict => {
  if (d.decision === 'deny') return { tone: 'danger', label: 'Denied', icon: '✕' };
  if (d.path === 'emergency') return { tone: 'warning', label: 'Emergency — allowed, post-hoc approval owed', icon: '!' };
  return { tone: 'ok', label: 'Allowed', icon: '✓' };
};

/** The commit as the panel shows it: its first 7 hex digits ("—" when the pipeline sent none). */
export const shortSha = (sha: string | null): string => (sha ? sha.slice(0, 7) : '—');

/** Who deployed: the Jira person when the pipeline gave an account id, else the name it sent. */
export const deployerLabel = (d: Pick<Deployment, 'deployer' | 'deployerPerson'>): string => (d.deployerPerson ? personLabel(d.deployerPerson) : d.deployer);

/** The red line when records of this change fail their hash (altered or unreadable in app storage): they are not listed. */
export const deploymentsAlteredText = (count: number): string =>
  `${count === 1 ? '1 deployment record' : `${count} deployment records`} of this change ${count === 1 ? 'was' : 'were'} altered after the gate wrote ${count === 1 ? 'it' : 'them'} (${count === 1 ? 'it fails its' : 'they fail their'} integrity hash) and ${count === 1 ? 'is' : 'are'} not listed. Treat this as an exception: a Jira admin should find out who changed the app's storage.`;

// ---- exports

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const escapeHtml = (value: unknown): string => String(value ?? '').replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

export const exportFileName = (view: PanelView, extension: 'json' | 'html'): string =>
  `cc81-evidence-${view.issueKey.replace(/[^A-Za-z0-9_-]/g, '_')}.${extension}`;

/** The ticket's evidence as a JSON document: the view as the app computed it, and when and where it was exported. */
export const buildEvidenceJson = (view: PanelView, exportedAt: Date, timeZone: string): string =>
  JSON.stringify(
    {
      format: 'cc81-evidence',
      formatVersion: 1,
      issueKey: view.issueKey,
      exportedAt: exportedAt.toISOString(),
      viewerTimeZone: timeZone,
      view,
    },
    null,
    2,
  );

const PRINT_CSS = [
  'body{font-family:-apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,Arial,sans-serif;margin:24px;color:#172b4d;font-size:13px}',
  'h1{font-size:20px}h2{font-size:15px;margin-top:20px;border-bottom:1px solid #ccc;padding-bottom:4px}',
  'table{border-collapse:collapse;width:100%}th,td{border:1px solid #ccc;padding:4px 6px;text-align:left;vertical-align:top}',
  '.conflict{font-weight:700}.muted{color:#555}',
  '.verdict{padding:8px 10px;border-left:4px solid}.verdict.danger{color:#ae2e24;background:#ffeceb}.verdict.warning{color:#7f5f01;background:#fff7d6}.verdict.ok{color:#216e4e;background:#dcfff1}',
  '@media print{body{margin:0}}',
].join('');

/**
 * A standalone printable HTML page of the ticket's evidence. Every value from the view is escaped;
 * the page has no script. Times are in the viewer's zone, named in the header.
 */
/** One line per step the app could not write to its evidence log (a 429 or 500 from Jira or app storage). */
export const unrecordedLine = (u: PanelView['unrecorded'][number], format: TimeFormat): string => {
  const step = u.step ? `"${u.step}"` : 'A step';
  const when = u.at ? ` taken ${formatTime(u.at, format)}` : '';
  if (u.state === 'retrying') return `${step}${when} is not in the app's evidence log yet: writing it failed, and the app retries automatically (${u.attempts} ${u.attempts === 1 ? 'attempt' : 'attempts'} so far). Checks meanwhile decide from the issue history.`;
  if (u.state === 'lost') return `${step}${when} could not be written to the app's evidence log after ${u.attempts} attempts. The issue history still shows the status change; a Jira admin should run the CC8.1 self-test and record this as an exception.`;
  return "The app's note of a step it could not record is unreadable; a Jira admin should run the CC8.1 self-test.";
};

/** Who a role names, in words: a person, any of several (a multi-user picker), or any member of a group. */
export const namedLabel = (role: PanelView['roles'][number]): string => {
  if (role.namedGroup) return `Any member of the group "${role.namedGroup}"`;
  if (role.namedAnyOf.length > 1) return `Any of ${role.namedAnyOf.map(personLabel).join(', ')}`;
  return personLabel(role.named);
};

export const buildPrintableHtml = (view: PanelView, exportedAt: Date, format: TimeFormat, exporter: string | null = view.viewer ? personLabel(view.viewer) : null): string => {
  const e = escapeHtml;
  const t = (iso: string | null) => e(formatTime(iso, format));
  const rows = (cells: string[][]) => cells.map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join('')}</tr>`).join('');
  const roles = rows(view.roles.map((r) => [e(ROLE_LABELS[r.role]), e(namedLabel(r)), e(r.named && r.namedBy ? personLabel(r.namedBy) : ''), e(personLabel(r.acted)), t(r.actedAt)]));
  const pairs = rows(view.pairs.map((p) => [e(PAIR_LABELS[p.pair]), `<span class="${p.verdict === 'conflict' ? 'conflict' : ''}">${e(pairVerdict(p).label)}</span>`, e(formatTimesIn(p.message, format))]));
  const timeline = rows(
    sortedTimeline(view.timeline).map((entry) => [t(entry.at), e(TIMELINE_KIND_LABELS[entry.kind]), e(entry.text), e(personLabel(entry.actor)), entry.afterApproval ? 'Yes' : 'No']),
  );
  const findings = view.findings.length
    ? `<table><thead><tr><th>Code</th><th>Severity</th><th>Finding</th><th>How to fix</th><th>When</th></tr></thead><tbody>${rows(
        view.findings.map((f) => [e(f.code), e(f.severity), e(formatTimesIn(f.message, format)), e(formatTimesIn(f.fix, format)), t(f.at)]),
      )}</tbody></table>`
    : '<p>No findings.</p>';
  const clock = clockSummary(view.clock, exportedAt.getTime(), format);
  const deployments = view.deployments.length
    ? `<table><thead><tr><th>When</th><th>Environment</th><th>Commit</th><th>Pipeline</th><th>Deployer</th><th>Decision</th><th>Reasons and notices</th></tr></thead><tbody>${rows(
        view.deployments.map((d) => [
          t(d.at),
          e(d.environment),
          e(d.sha ?? '—'),
          e(d.pipelineName),
          e(deployerLabel(d)),
          `<span class="${d.decision === 'deny' ? 'conflict' : ''}">${e(deploymentVerdict(d).label)}</span>`,
          [...d.reasons.map((r) => e(formatTimesIn(r.message, format))), ...d.notices.map((n) => `Notice: ${e(formatTimesIn(n.message, format))}`)].join('<br>'),
        ]),
      )}</tbody></table>`
    : '<p>No deployment gate calls for this change.</p>';
  const altered = view.deploymentsAltered > 0 ? `<p class="conflict">${e(deploymentsAlteredText(view.deploymentsAltered))}</p>\n` : '';
  const unrecorded = view.unrecorded.length ? `<h2>Not yet in the evidence log</h2>\n${view.unrecorded.map((u) => `<p>${e(unrecordedLine(u, format))}</p>`).join('\n')}\n` : '';
  const summary = panelSummary(view, format);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>CC8.1 evidence ${e(view.issueKey)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>${PRINT_CSS}</style></head><body>
<h1>CC8.1 change control evidence: ${e(view.issueKey)}</h1>
<p class="verdict ${summary.tone}" data-verdict="${summary.tone}"><strong>${e(summary.headline)}</strong>${summary.detail ? `<br>${e(summary.detail)}` : ''}</p>
<p class="muted">Exported by ${e(exporter ?? 'the signed-in Jira user')} on ${e(formatTime(exportedAt.toISOString(), format))}.</p>
<p class="muted">State ${e(view.state)} · type ${e(view.changeType ?? 'unknown')} · risk ${e(view.risk ?? 'unknown')} · policy v${e(view.policyVersion)}</p>
<p class="muted">Computed ${t(view.generatedAt)}. Times in ${e(format.timeZone)}.</p>
<h2>Segregation of duties</h2>
<table><thead><tr><th>Role</th><th>Named</th><th>Named by</th><th>Acted</th><th>When</th></tr></thead><tbody>${roles}</tbody></table>
<table><thead><tr><th>Pair</th><th>Verdict</th><th>Detail</th></tr></thead><tbody>${pairs}</tbody></table>
<h2>Emergency clock</h2>
<p>${e(clock.headline)}${clock.detail ? ` — ${e(clock.detail)}` : ''}</p>
<h2>Evidence timeline</h2>
<table><thead><tr><th>When</th><th>Kind</th><th>What</th><th>Who</th><th>After approval</th></tr></thead><tbody>${timeline}</tbody></table>
${unrecorded}<h2>Deployments</h2>
${altered}${deployments}
<h2>Findings</h2>
${findings}
</body></html>
`;
};

/**
 * The app's admin page in Jira (`/jira/settings/apps/{appId}/{environmentId}`), from the Forge
 * context's `localId` (`ari:cloud:ecosystem::extension/{appId}/{environmentId}/static/{key}`);
 * Jira's apps list when the context does not say.
 */
export const adminPageUrl = (context: unknown): string => {
  const site = isObject(context) && typeof context.siteUrl === 'string' ? context.siteUrl.replace(/\/+$/, '') : '';
  const localId = isObject(context) && typeof context.localId === 'string' ? context.localId : '';
  const match = /extension\/([0-9a-zA-Z-]+)\/([0-9a-zA-Z-]+)\/static\//.exec(localId);
  return match ? `${site}/jira/settings/apps/${match[1]}/${match[2]}` : `${site}/jira/settings/apps`;
};
