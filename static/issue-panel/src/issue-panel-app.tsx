// The CC8.1 issue panel: thin components over panel-model.ts. Dependencies (the resolver call,
// the context, the clock, the export side effects) come in as props, so tests use a fake bridge.
import { useCallback, useEffect, useState } from 'react';
import type { PanelView } from '../../../src/shared/panel-contract';
import { Badge, Section, Skeleton } from '../../shared/ui-parts';
import {
  buildEvidenceJson,
  buildPrintableHtml,
  clockSummary,
  deploymentsAlteredText,
  deploymentVerdict,
  exportFileName,
  formatTime,
  formatTimesIn,
  panelSummary,
  sortedFindings,
  PAIR_LABELS,
  pairVerdict,
  namedLabel,
  personLabel,
  readinessVerdict,
  ROLE_ACTED_STEP,
  ROLE_LABELS,
  samePerson,
  shortSha,
  sortedTimeline,
  TIMELINE_KIND_LABELS,
  viewerLocale,
  viewerTimeZone,
  adminPageUrl,
  type Loaded,
  type Deployment,
  type Person,
  type TimeFormat,
  unrecordedLine,
} from './panel-model';

export interface PanelDeps {
  loadPanel: () => Promise<Loaded>;
  loadContext: () => Promise<unknown>;
  now: () => number;
  download: (fileName: string, content: string, type: string) => void;
  /** How often the emergency clock re-reads `now` (ms); default 30 s. */
  tickMs?: number;
  /** The viewer's name, asked of Jira when they export and the ticket does not name them. */
  whoAmI?: () => Promise<string | null>;
}

type State = { phase: 'loading' } | { phase: 'done'; result: Loaded };

export function IssuePanelApp({ deps }: { deps: PanelDeps }) {
  const [state, setState] = useState<State>({ phase: 'loading' });
  const [context, setContext] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    void deps.loadContext().then((loaded) => {
      if (live) setContext(loaded);
    });
    return () => {
      live = false;
    };
  }, [deps]);

  useEffect(() => {
    let live = true;
    setState({ phase: 'loading' });
    void deps.loadPanel().then((result) => {
      if (live) setState({ phase: 'done', result });
    });
    return () => {
      live = false;
    };
  }, [deps, attempt]);

  const format: TimeFormat = { timeZone: viewerTimeZone(context), locale: viewerLocale(context) };
  const retry = useCallback(() => setAttempt((n) => n + 1), []);

  return (
    <main className="cc81-panel" aria-busy={state.phase === 'loading'} data-testid="cc81-panel">
      {state.phase === 'loading' ? (
        <Skeleton label="Loading the CC8.1 change control panel…" testId="panel-loading" />
      ) : !state.result.ok ? (
        <div className="cc81-banner cc81-tone-danger" role="alert" data-testid="panel-error">
          <p>
            <span aria-hidden="true" className="cc81-icon">
              ✕
            </span>{' '}
            <strong>The CC8.1 panel could not load.</strong> {state.result.error.message}
          </p>
          <button type="button" className="cc81-button" onClick={retry}>
            Try again
          </button>
        </div>
      ) : state.result.data.status === 'not-a-change' ? (
        <p className="cc81-banner cc81-tone-neutral" data-testid="panel-not-a-change">
          {state.result.data.message}
        </p>
      ) : state.result.data.status === 'not-configured' ? (
        <div className="cc81-banner cc81-tone-warning" data-testid="panel-not-configured">
          <p>{state.result.data.message}</p>
          {state.result.data.missing.length > 0 && (
            <ul aria-label="Not configured yet">
              {state.result.data.missing.map((item) => (
                <li key={item}>{item}</li>
              ))}
            </ul>
          )}
          <p>
            <a href={adminPageUrl(context)} target="_top" rel="noopener">
              Open the CC8.1 admin page
            </a>{' '}
            (Jira admins) to finish the set-up.
          </p>
        </div>
      ) : (
        <PanelBody view={state.result.data.view} format={format} deps={deps} />
      )}
    </main>
  );
}

function PersonName({ person }: { person: Person | null }) {
  if (!person) return <span className="cc81-muted">Nobody yet</span>;
  return (
    <span className={person.active ? undefined : 'cc81-former'} data-testid={person.active ? undefined : 'former-user'} title={person.active ? undefined : 'This account is deleted or deactivated'}>
      {personLabel(person)}
    </span>
  );
}

function PanelBody({ view, format, deps }: { view: PanelView; format: TimeFormat; deps: PanelDeps }) {
  const summary = panelSummary(view, format);
  return (
    <>
      <header className="cc81-header">
        <p className="cc81-muted cc81-small">
          <span className="cc81-lozenge" data-testid="panel-state">
            {view.state}
          </span>{' '}
          {view.changeType ?? 'type not set'} · risk {view.risk ?? 'not set'} · times in {format.timeZone}
        </p>
        <div className={`cc81-banner cc81-tone-${summary.tone}`} data-testid="panel-summary" data-tone={summary.tone} role="status">
          <span aria-hidden="true" className="cc81-icon">
            {summary.icon}
          </span>{' '}
          <strong>{summary.headline}</strong>
          {summary.detail && <span className="cc81-block">{summary.detail}</span>}
        </div>
      </header>
      <FindingsSection view={view} format={format} />
      {view.clock.status !== 'not-needed' && <ClockSection view={view} format={format} deps={deps} />}
      <Segregation view={view} format={format} />
      <ReadinessSection view={view} format={format} />
      <Timeline view={view} format={format} />
      <DeploymentsSection view={view} format={format} />
      <ExportSection view={view} format={format} deps={deps} />
    </>
  );
}

function FindingsSection({ view, format }: { view: PanelView; format: TimeFormat }) {
  return (
    <Section title="Findings" testId="section-findings">
      {view.findings.length === 0 ? (
        <p data-testid="no-findings">
          <Badge tone="ok" icon="✓" label="No findings" />
        </p>
      ) : (
        <ul className="cc81-list">
          {sortedFindings(view.findings).map((finding, index) => (
            <li key={`${finding.code}-${index}`} data-testid="finding" data-code={finding.code}>
              <Badge tone={finding.severity === 'exception' ? 'danger' : 'warning'} icon={finding.severity === 'exception' ? '✕' : '!'} label={finding.severity === 'exception' ? 'Exception' : finding.beforeEnforcement ? 'Before enforcement' : 'Notice'} />{' '}
              {formatTimesIn(finding.message, format)}
              {finding.at && <span className="cc81-muted cc81-small"> ({formatTime(finding.at, format)})</span>}
              <p className="cc81-small">
                <strong>How to fix:</strong> {formatTimesIn(finding.fix, format)}
              </p>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

function Segregation({ view, format }: { view: PanelView; format: TimeFormat }) {
  const implementer = view.roles.find((r) => r.role === 'implementer');
  return (
    <Section title="Segregation of duties" testId="section-segregation">
      <table className="cc81-table">
        <caption className="cc81-visually-hidden">Who each role names, and who actually acted</caption>
        <thead>
          <tr>
            <th scope="col">Role</th>
            <th scope="col">Named</th>
            <th scope="col">Acted</th>
          </tr>
        </thead>
        <tbody>
          {view.roles.map((role) => (
            <tr key={role.role} data-testid={`role-${role.role}`}>
              <th scope="row">{ROLE_LABELS[role.role]}</th>
              <td>
                {role.namedGroup ? (
                  <span data-testid={`named-group-${role.role}`}>{namedLabel(role)}</span>
                ) : role.namedAnyOf.length > 1 ? (
                  <span data-testid={`named-any-${role.role}`}>
                    Any of{' '}
                    {role.namedAnyOf.map((person, i) => (
                      <span key={person.accountId}>
                        {i > 0 && ', '}
                        <PersonName person={person} />
                      </span>
                    ))}
                  </span>
                ) : (
                  <PersonName person={role.named} />
                )}
                {role.named && role.namedBy && (
                  <span className="cc81-muted cc81-small" data-testid={`named-by-${role.role}`}>
                    {' '}
                    {samePerson(role.named, role.namedBy) ? (
                      <span className={role.role === 'approver' || role.role === 'verifier' ? 'cc81-text-danger' : undefined}>(named themselves)</span>
                    ) : (
                      <>
                        named by <PersonName person={role.namedBy} />
                      </>
                    )}
                  </span>
                )}
              </td>
              <td>
                {role.acted ? (
                  <>
                    <PersonName person={role.acted} /> <span className="cc81-muted">{ROLE_ACTED_STEP[role.role]}</span>{' '}
                    <span className="cc81-muted cc81-small">{formatTime(role.actedAt, format)}</span>
                    {role.role !== 'implementer' && role.role !== 'requester' && implementer && samePerson(role.acted, implementer.acted ?? implementer.named) && (
                      <span className="cc81-small cc81-text-danger"> (the implementer)</span>
                    )}
                  </>
                ) : (
                  <span className="cc81-muted">{view.state === 'Closed' ? 'None recorded' : 'Not yet'}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ul className="cc81-list" aria-label="Pairs that must be different people">
        {view.pairs.map((pair) => {
          const verdict = pairVerdict(pair);
          return (
            <li key={pair.pair} data-testid={`pair-${pair.pair}`} data-verdict={pair.verdict} className={pair.verdict === 'conflict' ? 'cc81-conflict' : undefined}>
              <strong>{PAIR_LABELS[pair.pair]}</strong> <Badge tone={verdict.tone} icon={verdict.icon} label={verdict.label} /> <span>{formatTimesIn(pair.message, format)}</span>
            </li>
          );
        })}
      </ul>
    </Section>
  );
}

function RecurringWindow({ window, format }: { window: NonNullable<PanelView['recurringWindow']>; format: TimeFormat }) {
  return (
    <div data-testid="recurring-window" data-readable={window.problem === null}>
      <h3>Recurring maintenance window</h3>
      {window.problem !== null ? (
        <p>
          <Badge tone="danger" icon="✕" label="Cannot be read" /> {window.problem}. No time is inside it until it is corrected.
        </p>
      ) : (
        <>
          <p>{window.description}</p>
          {window.next.length === 0 ? (
            <p className="cc81-muted">No further occurrence.</p>
          ) : (
            <ul className="cc81-list cc81-small">
              {window.next.map((o) => (
                <li key={o.start} data-testid="window-occurrence">
                  {formatTime(o.start, format)} – {formatTime(o.end, format)}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}

function ReadinessSection({ view, format }: { view: PanelView; format: TimeFormat }) {
  return (
    <Section title="Readiness: your next steps" testId="section-readiness">
      {view.recurringWindow && <RecurringWindow window={view.recurringWindow} format={format} />}
      {view.readiness.length === 0 ? (
        <p className="cc81-muted">No further steps from {view.state}.</p>
      ) : (
        <ul className="cc81-list">
          {view.readiness.map((step) => {
            const verdict = readinessVerdict(step);
            return (
              <li key={step.edge} data-testid={`readiness-${step.edge}`} data-allowed={step.allowed} data-status={step.status}>
                <strong>
                  {step.name} → {step.to}
                </strong>{' '}
                <Badge tone={verdict.tone} icon={verdict.icon} label={verdict.label} />
                {step.status !== 'done' && step.reasons.length > 0 && (
                  <ul className="cc81-small">
                    {step.reasons.map((reason) => (
                      <li key={reason}>{formatTimesIn(reason, format)}</li>
                    ))}
                  </ul>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </Section>
  );
}

function ClockSection({ view, format, deps }: { view: PanelView; format: TimeFormat; deps: PanelDeps }) {
  const [now, setNow] = useState(() => deps.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(deps.now()), deps.tickMs ?? 30_000);
    return () => clearInterval(timer);
  }, [deps]);
  const summary = clockSummary(view.clock, now, format);
  return (
    <Section title="Emergency clock" testId="section-clock">
      <p className={`cc81-banner cc81-tone-${summary.tone}`} data-testid="clock-summary" data-status={view.clock.status}>
        <span aria-hidden="true" className="cc81-icon">
          {summary.icon}
        </span>{' '}
        <strong>{summary.headline}</strong>
        {summary.detail && <span className="cc81-block">{summary.detail}</span>}
      </p>
      {view.clock.implementedAt && <p className="cc81-small cc81-muted">Implemented {formatTime(view.clock.implementedAt, format)}.</p>}
    </Section>
  );
}

function Timeline({ view, format }: { view: PanelView; format: TimeFormat }) {
  const entries = sortedTimeline(view.timeline);
  return (
    <Section title="Evidence timeline" testId="section-timeline">
      {entries.length === 0 ? (
        <p className="cc81-muted">Nothing recorded yet.</p>
      ) : (
        <ol className="cc81-timeline">
          {entries.map((entry, index) => (
            <li key={`${entry.at}-${index}`} data-testid="timeline-entry" data-kind={entry.kind} className={entry.afterApproval ? 'cc81-after-approval' : undefined}>
              <time dateTime={entry.at} className="cc81-small cc81-muted">
                {formatTime(entry.at, format)}
              </time>{' '}
              <span className="cc81-kind">{TIMELINE_KIND_LABELS[entry.kind]}:</span> {formatTimesIn(entry.text, format)} <span className="cc81-muted">by</span> <PersonName person={entry.actor} />
              {entry.afterApproval && (
                <>
                  {' '}
                  <Badge tone="danger" icon="!" label="Changed after approval" testId="after-approval" />
                </>
              )}
            </li>
          ))}
        </ol>
      )}
      {view.unrecorded.length > 0 && (
        <>
          <h3>Not yet in the evidence log</h3>
          <ul className="cc81-list">
            {view.unrecorded.map((u, index) => (
              <li key={`${u.at ?? 'unknown'}-${index}`} data-testid="unrecorded-step" data-state={u.state}>
                <Badge tone={u.state === 'retrying' ? 'warning' : 'danger'} icon={u.state === 'retrying' ? '↻' : '✕'} label={u.state === 'retrying' ? 'Retrying' : 'Not recorded'} /> {unrecordedLine(u, format)}
              </li>
            ))}
          </ul>
        </>
      )}
    </Section>
  );
}

function Deployer({ deployment }: { deployment: Deployment }) {
  if (!deployment.deployerPerson) return <>{deployment.deployer}</>;
  return (
    <>
      <PersonName person={deployment.deployerPerson} />
      {deployment.deployer !== deployment.deployerPerson.displayName && <span className="cc81-muted cc81-small cc81-block">as sent: {deployment.deployer}</span>}
    </>
  );
}

function DeploymentsSection({ view, format }: { view: PanelView; format: TimeFormat }) {
  return (
    <Section title="Deployments" testId="section-deployments">
      {view.deploymentsAltered > 0 && (
        <p className="cc81-banner cc81-tone-danger" data-testid="deployments-altered">
          <span aria-hidden="true" className="cc81-icon">
            ✕
          </span>{' '}
          <strong>Altered deployment records.</strong> {deploymentsAlteredText(view.deploymentsAltered)}
        </p>
      )}
      {view.deployments.length === 0 ? (
        <p className="cc81-muted" data-testid="no-deployments">
          No deployment gate calls for this change.
        </p>
      ) : (
        <table className="cc81-table cc81-deployments">
          <caption className="cc81-visually-hidden">Deployment gate calls for this change, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Environment</th>
              <th scope="col">Commit</th>
              <th scope="col">Pipeline</th>
              <th scope="col">Deployer</th>
              <th scope="col">Decision</th>
            </tr>
          </thead>
          <tbody>
            {view.deployments.map((d, index) => {
              const verdict = deploymentVerdict(d);
              return (
                <tr key={`${d.at}-${index}`} data-testid="deployment" data-decision={d.decision} data-path={d.path}>
                  <td>
                    <time dateTime={d.at} className="cc81-small">
                      {formatTime(d.at, format)}
                    </time>
                  </td>
                  <td data-testid="deployment-environment" data-label="Environment">
                    {d.environment}
                  </td>
                  <td data-label="Commit">
                    {d.sha ? (
                      <abbr title={d.sha} data-testid="deployment-sha" data-sha={d.sha}>
                        <code>{shortSha(d.sha)}</code>
                      </abbr>
                    ) : (
                      <span className="cc81-muted">No commit sent</span>
                    )}
                  </td>
                  <td data-label="Pipeline">{d.pipelineName}</td>
                  <td data-testid="deployment-deployer" data-label="Deployer">
                    <Deployer deployment={d} />
                  </td>
                  <td>
                    <Badge tone={verdict.tone} icon={verdict.icon} label={verdict.label} testId="deployment-decision" />
                    {(d.reasons.length > 0 || d.notices.length > 0) && (
                      <ul className="cc81-small cc81-reasons">
                        {d.reasons.map((r, i) => (
                          <li key={`r-${r.code}-${i}`} data-testid="deployment-reason" data-code={r.code}>
                            {formatTimesIn(r.message, format)}
                          </li>
                        ))}
                        {d.notices.map((n, i) => (
                          <li key={`n-${n.code}-${i}`} data-testid="deployment-notice" data-code={n.code}>
                            <span className="cc81-kind">Notice:</span> {formatTimesIn(n.message, format)}
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </Section>
  );
}

const PRINTABLE_TYPE = 'text/html;charset=utf-8';

function ExportSection({ view, format, deps }: { view: PanelView; format: TimeFormat; deps: PanelDeps }) {
  const downloadJson = () => {
    const now = new Date(deps.now());
    deps.download(exportFileName(view, 'json'), buildEvidenceJson(view, now, format.timeZone), 'application/json');
  };
  // A file, not a new tab: the Custom UI iframe may not open pop-ups (no `allow-popups`).
  const downloadPrintable = async () => {
    const exporter = view.viewer ? personLabel(view.viewer) : ((await deps.whoAmI?.()) ?? null);
    deps.download(exportFileName(view, 'html'), buildPrintableHtml(view, new Date(deps.now()), format, exporter), PRINTABLE_TYPE);
  };
  return (
    <Section title="Export" testId="section-export">
      <div className="cc81-actions">
        <button type="button" className="cc81-button" onClick={downloadJson}>
          Download evidence (JSON)
        </button>
        <button type="button" className="cc81-button" onClick={() => void downloadPrintable()}>
          Download printable page (HTML)
        </button>
      </div>
    </Section>
  );
}
