/**
 * Evidence packs for sampled tickets: per ticket a JSON document and a printable HTML page (fields,
 * every transition with actor and time, segregation verdicts, findings) built from the panel's
 * view, and an index page with the exceptions summary and the completeness record. Pure.
 */
import { Change, FIELD_KEYS, fieldLabel, namedPeople, Policy } from '../domain';
import { buildPanelView } from '../panel/build-panel-view';
import { escapeHtml as e, EvidenceFieldRow, renderEvidenceHtml } from '../panel/evidence-export';
import { directoryFromChange, personOf, UserDirectory } from '../panel/user-directory';
import type { PanelView } from '../shared/panel-contract';
import type { MappedChange } from '../jira/map-change';
import type { AuditReport } from './audit-report.builder';
import type { AuditTicket } from './audit-ticket';
import type { PopulationRecord } from './population.builder';
import type { SampleRecord } from './sample.builder';
import type { ReconciledDeployment, ReconcileSummary } from '../deployments/reconcile';
import { deploymentJson, type ReconciledDeploymentJson } from '../deployments/reconcile-report';
import type { GateRecordReading } from '../deployments/gate-record';

export const PACK_FORMAT = 'cc81-evidence-pack';
export const INDEX_FORMAT = 'cc81-evidence-index';

export interface TicketPack {
  key: string;
  /** Relative file names inside the pack directory. */
  jsonFile: string;
  htmlFile: string;
  json: string;
  html: string;
  exceptions: number;
  notices: number;
  codes: string[];
}

/** A file-name-safe version of an issue key. */
export const fileStem = (key: string): string => key.replace(/[^A-Za-z0-9_-]/g, '_');

/** A time as an auditor reads it: `2026-03-02 10:00 UTC`. */
const formatUtc = (date: Date): string => `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

const displayValue = (change: Change, key: (typeof FIELD_KEYS)[number], users: UserDirectory): string | null => {
  const value = change.fields[key];
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return formatUtc(value);
  if (Array.isArray(value)) return value.length ? value.join(', ') : null;
  if (typeof value === 'object') {
    if ('group' in value) return `any member of the group "${value.group}"`;
    const people = namedPeople(value).map((person) => personOf(users, person.accountId)).filter((p) => p !== null);
    const shown = people.map((p) => `${p.displayName}${p.active ? '' : ' (inactive)'} [${p.accountId}]`);
    return shown.length > 1 ? `any of ${shown.join(', ')}` : (shown[0] ?? null);
  }
  return value.trim() ? value : null;
};

/** Every CC8.1 field of the change, as label and display value (users by name and account id). */
export const fieldRows = (change: Change, users: UserDirectory): EvidenceFieldRow[] =>
  FIELD_KEYS.map((key) => ({ label: fieldLabel(key), value: displayValue(change, key, users) }));

export interface PackInput {
  ticket: AuditTicket & { mapped: MappedChange };
  policy: Policy;
  population: PopulationRecord;
  sample: SampleRecord;
  now: Date;
  /** The ticket's reconciled deployments in the period, when deployments were given (`--deployments`); absent: no such section. */
  deployments?: readonly ReconciledDeployment[];
  /** The gate's records of this ticket (`--from-gate`): the page's gate section, and emergency deployments start the post-hoc clock. */
  gateRecords?: GateRecordReading;
}

const deploymentCell = (d: ReconciledDeploymentJson, key: string): string => {
  if (d.unreadable.includes(key)) return '<span class="exception">not judged: the ticket could not be read</span>';
  const mine = d.findings.filter((f) => f.change === key);
  if (!mine.length) return '<span class="ok">covered by the approved change</span>';
  return mine.map((f) => `<span class="${f.severity === 'exception' ? 'exception' : ''}">${e(f.code)}</span>: ${e(f.message)}`).join('<br>');
};

export const RECONCILED_HEADING = 'Deployments in the log (reconciliation)';

/** The ticket page's reconciled deployments (time, environment, commit, deployer, how matched, what was found). */
export const deploymentsSection = (key: string, deployments: readonly ReconciledDeploymentJson[]): string => {
  const rows = deployments.map((d) => [
    e(`${d.at.slice(0, 16).replace('T', ' ')} UTC`),
    e(d.environment),
    d.sha ? `<code>${e(d.sha)}</code>` : '—',
    e(d.deployer) + (d.deployerAccountId ? ` [${e(d.deployerAccountId)}]` : ''),
    e(d.match === 'sha' ? 'by commit SHA' : 'by key'),
    deploymentCell(d, key),
    e(d.id),
  ]);
  return `<h2>${RECONCILED_HEADING}</h2>
${rows.length ? rowsTable(['When', 'Environment', 'Commit', 'Deployer', 'Matched', 'Decision and findings', 'Deployment'], rows) : '<p class="exception">No deployment in the log names this change or shares a commit with one that does.</p>'}
`;
};

/** The pack of one readable ticket. */
export const buildTicketPack = ({ ticket, policy, population, sample, now, deployments, gateRecords }: PackInput): TicketPack => {
  const { change, history } = ticket.mapped;
  const users = directoryFromChange(change, history);
  const view = buildPanelView({ change, history, policy, policyVersion: policy.version, users, viewerAccountId: null, now, ...(gateRecords ? { deployments: gateRecords } : {}) });
  // Readiness is about the person viewing the panel; an auditor's pack has no viewer.
  const evidence: Partial<PanelView> = { ...view };
  delete evidence.readiness;
  const fields = fieldRows(change, users);
  const stem = fileStem(ticket.key);
  const shown = deployments?.map(deploymentJson);
  const json = JSON.stringify(
    {
      format: PACK_FORMAT,
      formatVersion: 1,
      ...evidence,
      fields,
      ...(shown ? { reconciledDeployments: shown } : {}),
      updated: ticket.updated.toISOString(),
      population: { hash: population.hash.value, count: population.count },
      sample: { seed: sample.seed, size: sample.size },
    },
    null,
    2,
  );
  const page = renderEvidenceHtml(view, fields, { indexHref: '../index.html' });
  return {
    key: ticket.key,
    jsonFile: `tickets/${stem}.json`,
    htmlFile: `tickets/${stem}.html`,
    json,
    html: shown ? page.replace(/<\/body>\s*<\/html>\s*$/, `${deploymentsSection(ticket.key, shown)}</body>\n</html>\n`) : page,
    exceptions: view.findings.filter((f) => f.severity === 'exception').length,
    notices: view.findings.filter((f) => f.severity === 'notice').length,
    codes: [...new Set(view.findings.map((f) => f.code))],
  };
};

export interface IndexInput {
  population: PopulationRecord;
  sample: SampleRecord;
  packs: readonly TicketPack[];
  unreadable: readonly { key: string; problem: string }[];
  /** The audit of the whole population (written as audit.json next to the index). */
  audit: AuditReport['summary'];
  now: Date;
  /** The reconciliation of the period's deployments, when deployments were given. */
  deployments?: ReconcileSummary;
}

export interface EvidenceIndex {
  format: typeof INDEX_FORMAT;
  formatVersion: 1;
  generatedAt: string;
  population: { count: number; hash: string; jql: string | null; period: PopulationRecord['period'] };
  sample: Omit<SampleRecord, 'format' | 'formatVersion'>;
  summary: { tickets: number; withExceptions: number; exceptions: number; unreadable: number; byCode: Record<string, number> };
  tickets: { key: string; exceptions: number; notices: number; codes: string[]; json: string; html: string }[];
  unreadable: { key: string; problem: string }[];
  populationAudit: AuditReport['summary'];
  /** Only when deployments were given; reconcile.json holds every deployment. */
  deployments?: ReconcileSummary;
}

export const buildEvidenceIndex = ({ population, sample, packs, unreadable, audit, now, deployments }: IndexInput): EvidenceIndex => {
  const byCode: Record<string, number> = {};
  for (const pack of packs) for (const code of pack.codes) byCode[code] = (byCode[code] ?? 0) + 1;
  const sampleFields: Partial<SampleRecord> = { ...sample };
  delete sampleFields.format;
  delete sampleFields.formatVersion;
  return {
    format: INDEX_FORMAT,
    formatVersion: 1,
    generatedAt: now.toISOString(),
    population: { count: population.count, hash: population.hash.value, jql: population.jql, period: population.period },
    sample: sampleFields as EvidenceIndex['sample'],
    summary: {
      tickets: packs.length + unreadable.length,
      withExceptions: packs.filter((p) => p.exceptions > 0).length + unreadable.length,
      exceptions: packs.reduce((n, p) => n + p.exceptions, 0),
      unreadable: unreadable.length,
      byCode,
    },
    tickets: packs.map((p) => ({ key: p.key, exceptions: p.exceptions, notices: p.notices, codes: p.codes, json: p.jsonFile, html: p.htmlFile })),
    unreadable: [...unreadable],
    populationAudit: audit,
    ...(deployments ? { deployments } : {}),
  };
};

const STYLE = `body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem;color:#172b4d}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:1.6rem;border-bottom:1px solid #dfe1e6}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{text-align:left;border:1px solid #dfe1e6;padding:.3rem .5rem;vertical-align:top}
.exception{color:#ae2a19;font-weight:600}.ok{color:#216e4e}code{word-break:break-all}@media print{body{margin:0}a{color:inherit}}`;

const rowsTable = (head: readonly string[], rows: readonly string[][]): string =>
  rows.length === 0
    ? '<p>None.</p>'
    : `<table><thead><tr>${head.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;

/** The pack's index page: completeness record, sample, exceptions summary, one row per ticket. */
/**
 * The index page. `auditFile`: the population's audit next to it (`cc81 evidence` writes every finding
 * as audit.json; the app's export, its summary as audit-summary.json), so the link always opens.
 */
export const renderIndexHtml = (index: EvidenceIndex, auditFile: { name: string; what: string } = { name: 'audit.json', what: 'Every finding of every ticket in the population' }): string => {
  const p = index.population;
  const completeness = rowsTable(
    ['JQL', 'Period', 'Count', 'SHA-256 (sorted keys and last-updated times)', 'Generated'],
    [[e(p.jql ?? '(not given)'), `${e(p.period.from)} to ${e(p.period.to)}`, e(String(p.count)), `<code>${e(p.hash)}</code>`, e(index.generatedAt)]],
  );
  const sample = rowsTable(['Seed', 'Size', 'Method'], [[e(String(index.sample.seed)), e(String(index.sample.size)), e(index.sample.method)]]);
  const summary = rowsTable(
    ['Sampled tickets', 'With exceptions', 'Exceptions', 'Unreadable'],
    [[e(String(index.summary.tickets)), e(String(index.summary.withExceptions)), e(String(index.summary.exceptions)), e(String(index.summary.unreadable))]],
  );
  const byCode = rowsTable(['Finding', 'Tickets'], Object.entries(index.summary.byCode).map(([code, n]) => [e(code), e(String(n))]));
  const tickets = rowsTable(
    ['Ticket', 'Exceptions', 'Findings', 'Evidence'],
    index.tickets.map((t) => [
      e(t.key),
      `<span class="${t.exceptions ? 'exception' : 'ok'}">${e(String(t.exceptions))}</span>`,
      e(t.codes.join(', ') || '—'),
      `<a href="${e(t.html)}">page</a> · <a href="${e(t.json)}">JSON</a>`,
    ]),
  );
  const a = index.populationAudit;
  const populationAudit = rowsTable(
    ['Tickets', 'With exceptions', 'Exceptions', 'Notices', 'Unreadable', 'By finding'],
    [[a.tickets, a.ticketsWithExceptions, a.exceptions, a.notices, a.unreadable].map((n) => e(String(n))).concat(e(Object.entries(a.byCode).map(([code, n]) => `${code} ${n}`).join(', ') || '—'))],
  );
  const d = index.deployments;
  const deployments = d
    ? `<h2>Deployments of the period</h2>
${rowsTable(
  ['Deployments', 'Covered by an approved change', 'Matched by key', 'By commit SHA', 'Without a change', 'By finding'],
  [[d.deployments, `${d.covered}${d.coverage === null ? '' : ` (${(d.coverage * 100).toFixed(1)}%)`}`, d.matchedByKey, d.matchedBySha, d.unmatched].map((n) => e(String(n))).concat(e(Object.entries(d.byCode).map(([code, n]) => `${code} ${n}`).join(', ') || '—')),
  ],
)}
<p>Every deployment with its change and findings: <a href="reconcile.json">reconcile.json</a>.</p>
`
    : '';
  const unreadable = index.unreadable.length ? `<h2>Unreadable tickets</h2>\n${rowsTable(['Ticket', 'Problem'], index.unreadable.map((u) => [e(u.key), e(u.problem)]))}\n` : '';
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>CC8.1 evidence packs</title><style>${STYLE}</style></head>
<body>
<h1>CC8.1 evidence packs</h1>
<h2>Completeness of the population</h2>
${completeness}
<p>Re-run <code>cc81 population</code> with the same JQL and period and compare the SHA-256; <a href="population.json">population.json</a> lists every key with its last-updated time.</p>
<h2>Sample</h2>
${sample}
<h2>Exceptions summary</h2>
${summary}
${byCode}
<h2>Sampled tickets</h2>
${tickets}
${unreadable}<h2>Audit of the whole population</h2>
${populationAudit}
<p>${e(auditFile.what)}: <a href="${e(auditFile.name)}">${e(auditFile.name)}</a>.</p>
${deployments}</body>
</html>
`;
};
