/**
 * One ticket's CC8.1 evidence, as a printable HTML page and as JSON, from the panel's view. Pure.
 * Every value from Jira (names, messages, keys) is escaped: the page must be safe to open even
 * when a display name or a field holds markup.
 */
import type { PanelDeployment, PanelPerson, PanelView } from '../shared/panel-contract';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. */
export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);

const e = escapeHtml;

const person = (p: PanelPerson | null): string =>
  p ? `${e(p.displayName)}${p.active ? '' : ' <em>(inactive)</em>'}${p.displayName === p.accountId ? '' : ` <span class="id">${e(p.accountId)}</span>`}` : '—';

const time = (at: string | null): string => (at ? `<time datetime="${e(at)}">${e(at.replace('T', ' ').replace(/\.\d{3}Z$/, ' UTC'))}</time>` : '—');

const table = (head: readonly string[], rows: readonly string[][]): string =>
  rows.length === 0
    ? '<p class="none">None.</p>'
    : `<table><thead><tr>${head.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem;color:#172b4d}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:1.6rem;border-bottom:1px solid #dfe1e6}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{text-align:left;border:1px solid #dfe1e6;padding:.3rem .5rem;vertical-align:top}
.verdict{font-size:1.05rem;padding:.4rem .6rem;border-left:4px solid currentColor}.id{color:#6b778c;font-size:.8em}.conflict,.exception{color:#ae2a19;font-weight:600}.relaxed,.notice{color:#974f0c}.ok{color:#216e4e}
@media print{body{margin:0}a{color:inherit}}`;

/** The gate's decision on one call, in words: allowed, denied, or let through as an emergency. */
export const deploymentDecisionText = (d: Pick<PanelDeployment, 'decision' | 'path'>): string =>
  d.decision === 'deny' ? 'denied' : d.path === 'emergency' ? 'emergency: allowed, post-hoc approval owed' : 'allowed';

const deployer = (d: PanelDeployment): string =>
  d.deployerPerson ? `${person(d.deployerPerson)}${d.deployer === d.deployerPerson.displayName ? '' : ` <span class="id">as sent: ${e(d.deployer)}</span>`}` : e(d.deployer);

const reasonLines = (d: PanelDeployment): string =>
  [...d.reasons.map((r) => `${e(r.code)}: ${e(r.message)}`), ...d.notices.map((n) => `notice ${e(n.code)}: ${e(n.message)}`)].join('<br>');

/** The deployment gate's calls for the ticket, newest first, and a red line when records fail their hash. */
const deploymentsSection = (view: PanelView): string => {
  const altered =
    view.deploymentsAltered > 0
      ? `<p class="exception">${view.deploymentsAltered} deployment ${view.deploymentsAltered === 1 ? 'record fails its' : 'records fail their'} integrity hash (altered in app storage) and ${view.deploymentsAltered === 1 ? 'is' : 'are'} not listed.</p>\n`
      : '';
  const rows = view.deployments.map((d) => [
    time(d.at),
    e(d.environment),
    d.sha ? `<code>${e(d.sha)}</code>` : '—',
    e(d.pipelineName),
    deployer(d),
    `<span class="${d.decision === 'deny' ? 'exception' : d.path === 'emergency' ? 'notice' : 'ok'}">${e(deploymentDecisionText(d))}</span>`,
    reasonLines(d),
  ]);
  return `${altered}${view.deployments.length === 0 ? '<p class="none">No deployment gate calls.</p>' : table(['When', 'Environment', 'Commit', 'Pipeline', 'Deployer', 'Decision', 'Reasons and notices'], rows)}`;
};

/** A ticket field as an evidence page lists it (label and display value). */
export interface EvidenceFieldRow {
  label: string;
  value: string | null;
}

/** The ticket's overall verdict for an auditor: any exception, else notices only, else clean. */
export const overallVerdict = (view: PanelView): { tone: 'exception' | 'notice' | 'ok'; text: string } => {
  const exceptions = view.findings.filter((f) => f.severity === 'exception' && !f.beforeEnforcement).length;
  const notices = view.findings.length - exceptions;
  if (exceptions > 0) return { tone: 'exception', text: `Exception: ${exceptions} ${exceptions === 1 ? 'exception' : 'exceptions'}${notices ? `, ${notices} ${notices === 1 ? 'notice' : 'notices'}` : ''}` };
  if (notices > 0) return { tone: 'notice', text: `No exception; ${notices} ${notices === 1 ? 'notice' : 'notices'}` };
  return { tone: 'ok', text: view.state === 'Closed' ? 'Clean: no findings' : `No findings so far (${view.state})` };
};

export interface EvidencePageOptions {
  /** A link back to the evidence index (relative), for a ticket page inside an evidence pack. */
  indexHref?: string;
}

/** A self-contained, printable HTML page of the ticket's evidence; `fields` adds a Fields section. */
export const renderEvidenceHtml = (view: PanelView, fields?: readonly EvidenceFieldRow[], options: EvidencePageOptions = {}): string => {
  const title = `CC8.1 evidence: ${view.issueKey}`;
  const verdict = overallVerdict(view);
  const summary = table(
    ['Issue', 'State', 'Change type', 'Risk', 'Policy version', 'Generated'],
    [[e(view.issueKey), e(view.state), e(view.changeType ?? '—'), e(view.risk ?? '—'), e(String(view.policyVersion)), time(view.generatedAt)]],
  );
  const roles = table(
    ['Role', 'Named', 'Acted', 'When'],
    view.roles.map((r) => [e(r.role), person(r.named), person(r.acted), time(r.actedAt)]),
  );
  const pairs = table(
    ['Pair', 'Verdict', 'Detail'],
    view.pairs.map((p) => [e(p.pair), `<span class="${e(p.verdict)}">${e(p.verdict)}</span>`, e(p.message)]),
  );
  const fieldsSection = fields ? `\n<h2>Fields</h2>\n${table(['Field', 'Value'], fields.map((f) => [e(f.label), f.value === null ? '—' : e(f.value)]))}` : '';
  const c = view.clock;
  const clock =
    c.status === 'not-needed'
      ? '<p class="none">No post-hoc approval needed.</p>'
      : table(['Status', 'Implemented', 'Due', 'Approved', 'Approver'], [[e(c.status), time(c.implementedAt), time(c.dueAt), time(c.approvedAt), person(c.approver)]]);
  const timeline = table(
    ['When', 'What', 'Who', 'After approval'],
    view.timeline.map((t) => [time(t.at), e(t.text), person(t.actor), t.afterApproval ? '<span class="conflict">yes</span>' : '']),
  );
  const findings = table(
    ['Severity', 'Code', 'Finding', 'Fix', 'When'],
    view.findings.map((f) => [`<span class="${e(f.severity)}">${e(f.severity)}</span>`, e(f.code), e(f.message), e(f.fix), time(f.at)]),
  );
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${e(title)}</title><style>${STYLE}</style></head>
<body>
${options.indexHref ? `<p><a href="${e(options.indexHref)}">← All sampled changes (index)</a></p>\n` : ''}<h1>${e(title)}</h1>
<p class="verdict ${verdict.tone}" data-verdict="${verdict.tone}"><strong>${e(verdict.text)}</strong></p>
${summary}${fieldsSection}
<h2>Roles</h2>
${roles}
<h2>Segregation of duties</h2>
${pairs}
<h2>Emergency post-hoc approval</h2>
${clock}
<h2>Timeline</h2>
${timeline}
<h2>Deployments</h2>
${deploymentsSection(view)}
<h2>Findings</h2>
${findings}
</body>
</html>
`;
};

/** Identifies the JSON export's format, for the auditor tooling. */
export const EVIDENCE_JSON_FORMAT = 'cc81-ticket-evidence';

/** The ticket's evidence as stable, pretty-printed JSON (the view plus a format marker). */
export const evidenceJson = (view: PanelView): string => JSON.stringify({ format: EVIDENCE_JSON_FORMAT, formatVersion: 1, ...view }, null, 2);
