// Workflow setup: the dry-run diff per transition, stale rules, problems, install / refresh.
import type { WorkflowPlanView } from '../../../src/shared/admin-contract';
import { SETUP_PROBLEM_CODES } from '../../../src/setup/setup-problems';
import { Badge, Section } from '../../shared/ui-parts';
import { ACTION_VERDICTS, edgeLabel, edgeName, ruleLabel, staleTransitions, transitionPath, type Busy, type PlanReady } from './admin-model';

export function SetupSection({
  plan,
  notice,
  dirty,
  busy,
  readOnly,
  currentPolicyVersion,
  onApply,
  onRefresh,
  rejected = null,
}: {
  plan: WorkflowPlanView;
  notice: string | null;
  /** The last install Jira refused: its expression analyser rejected these rules (nothing was installed). */
  rejected?: { message: string; details: string[] } | null;
  dirty: boolean;
  busy: Busy;
  readOnly: boolean;
  currentPolicyVersion: number;
  onApply: (plan: PlanReady) => void;
  onRefresh: () => void;
}) {
  const ready = plan.state === 'ready' ? plan : null;
  const stale = ready ? staleTransitions(ready) : [];
  return (
    <Section title="Workflow setup" testId="section-setup" busy={busy === 'plan' || busy === 'apply'}>
      {notice && (
        <p className="cc81-banner cc81-tone-warning" role="alert" data-testid="plan-outdated">
          {notice}
        </p>
      )}
      {rejected && (
        <div className="cc81-banner cc81-tone-danger" role="alert" data-testid="rules-rejected">
          <p>
            <strong>Jira rejected compiled rules; nothing was installed.</strong> {rejected.message}
          </p>
          <ul>
            {rejected.details.map((line, i) => (
              <li key={i} data-testid="rules-rejected-line">
                {line}
              </li>
            ))}
          </ul>
        </div>
      )}
      {!ready && plan.state === 'unavailable' && plan.code === SETUP_PROBLEM_CODES.workflowShared ? (
        <div className="cc81-banner cc81-tone-danger" role="alert" data-testid="setup-unavailable" data-code={plan.code}>
          <p>
            <strong>This workflow is shared with other projects or issue types, so the setup will not change it.</strong>
          </p>
          <p>{plan.message}</p>
        </div>
      ) : !ready && plan.state === 'unavailable' ? (
        <p className="cc81-banner cc81-tone-neutral" data-testid="setup-unavailable" data-code={plan.code}>
          {plan.message}
        </p>
      ) : ready ? (
        <>
          <p data-testid="setup-summary">
            Workflow <strong>{ready.workflow.name}</strong> (version {ready.workflow.versionNumber}), rules compiled from policy v{ready.policyVersion}.{' '}
            {ready.upToDate ? 'Nothing to change.' : `${ready.changedTransitions} ${ready.changedTransitions === 1 ? 'transition changes' : 'transitions change'}.`}
          </p>
          {ready.upToDate ? (
            <p className="cc81-banner cc81-tone-ok" data-testid="setup-up-to-date">
              <span aria-hidden="true" className="cc81-icon">
                ✓
              </span>{' '}
              The workflow carries the app's current rules.
            </p>
          ) : null}
          {stale.length > 0 && (
            <p className="cc81-banner cc81-tone-warning" role="status" data-testid="stale-rules">
              <span aria-hidden="true" className="cc81-icon">
                !
              </span>{' '}
              The policy changed since these rules were installed: the rules on {stale.length === 1 ? '1 transition' : `${stale.length} transitions`} (
              {[...new Set(stale.map((t) => t.transitionName))].join(', ')}) are stale. “Install / refresh rules” replaces them.
            </p>
          )}
          {ready.policyVersion !== currentPolicyVersion && (
            <p className="cc81-banner cc81-tone-warning" data-testid="plan-policy-mismatch">
              This dry run was made for policy v{ready.policyVersion}; the saved policy is v{currentPolicyVersion}. Refresh the diff.
            </p>
          )}
          {ready.problems.length > 0 && (
            <div className="cc81-banner cc81-tone-danger" data-testid="setup-problems">
              <p>
                <strong>Problems the setup cannot fix by itself:</strong>
              </p>
              <ul>
                {ready.problems.map((p, i) => (
                  <li key={`${p.code}-${i}`} data-code={p.code}>
                    {p.message}
                    {p.transitionId && <span className="cc81-muted"> (transition {p.transitionId})</span>}
                  </li>
                ))}
              </ul>
            </div>
          )}
          <Diff plan={ready} />
        </>
      ) : null}
      {dirty && <p className="cc81-hint">You have unsaved policy changes: the diff is for the saved policy.</p>}
      <div className="cc81-actions">
        <button type="button" className="cc81-button cc81-primary" disabled={!ready || ready.upToDate || readOnly || busy !== null} onClick={() => ready && onApply(ready)} data-testid="apply-setup">
          {busy === 'apply' ? 'Installing…' : 'Install / refresh rules'}
        </button>
        <button type="button" className="cc81-button" disabled={readOnly || busy !== null} onClick={onRefresh} data-testid="refresh-plan">
          {busy === 'plan' ? 'Refreshing…' : 'Refresh diff'}
        </button>
      </div>
    </Section>
  );
}

export function Diff({ plan }: { plan: PlanReady }) {
  if (plan.transitions.length === 0) return <p className="cc81-muted">The workflow has no transitions to set up.</p>;
  const changing = plan.transitions.filter((t) => t.changes.some((c) => c.action !== 'keep'));
  const unchanged = plan.transitions.filter((t) => !changing.includes(t));
  return (
    <>
      {changing.length > 0 && <TransitionList transitions={changing} label="Dry run: transitions that change" />}
      {unchanged.length > 0 && (
        <details className="cc81-unchanged" data-testid="diff-unchanged">
          <summary>
            {unchanged.length === 1 ? '1 transition keeps its rules' : `${unchanged.length} transitions keep their rules`} (show)
          </summary>
          <TransitionList transitions={unchanged} label="Dry run: transitions that keep their rules" />
        </details>
      )}
    </>
  );
}

export function TransitionList({ transitions, label }: { transitions: PlanReady['transitions']; label: string }) {
  return (
    <ol className="cc81-list cc81-diff" aria-label={label}>
      {transitions.map((t) => {
        const changing = t.changes.some((c) => c.action !== 'keep');
        return (
          <li key={t.transitionId} data-testid="diff-transition" data-transition-id={t.transitionId} data-changing={changing}>
            <h3>
              {t.transitionName} <span className="cc81-muted cc81-small">{transitionPath(t)}</span>
            </h3>
            {t.edges.length > 0 && !(t.edges.length === 1 && edgeName(t.edges[0]!) === t.transitionName) && (
              <p className="cc81-small cc81-muted">Lifecycle steps: {t.edges.map(edgeLabel).join('; ')}</p>
            )}
            {t.changes.length === 0 ? (
              <p className="cc81-small cc81-muted">No app rules.</p>
            ) : (
              <ul>
                {t.changes.map((c, i) => {
                  const verdict = ACTION_VERDICTS[c.action];
                  return (
                    <li key={`${c.slot}-${c.part}-${i}`} data-testid="diff-change" data-action={c.action} data-slot={c.slot}>
                      <Badge tone={verdict.tone} icon={verdict.icon} label={verdict.label} /> {ruleLabel(c)}
                      {c.checks.length > 0 && <span className="cc81-small">: {c.checks.join(', ')}</span>}
                      {c.reason && <span className="cc81-block cc81-small cc81-muted">{c.reason}</span>}
                    </li>
                  );
                })}
              </ul>
            )}
          </li>
        );
      })}
    </ol>
  );
}
