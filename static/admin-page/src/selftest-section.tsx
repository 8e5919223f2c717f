// The control self-test: the last report per check, with the plain fix, and "Run self-test now".
import type { SelfTestReport } from '../../../src/shared/admin-contract';
import { Badge, Section } from '../../shared/ui-parts';
import { formatTime, type TimeFormat } from '../../shared/view-format';
import { CHECK_VERDICTS, selfTestSummary, type Busy } from './admin-model';

export function SelfTestSection({ report, stale = false, format, busy, readOnly, onRun }: { report: SelfTestReport | null; stale?: boolean; format: TimeFormat; busy: Busy; readOnly: boolean; onRun: () => void }) {
  const summary = report ? selfTestSummary(report) : null;
  return (
    <Section title="Control self-test" testId="section-selftest" busy={busy === 'selftest'}>
      {!report || !summary ? (
        <p className="cc81-muted" data-testid="selftest-none">
          No self-test has run yet. It runs daily; run it now to check the setup.
        </p>
      ) : (
        <>
          <p className={`cc81-banner cc81-tone-${summary.tone}`} data-testid="selftest-summary" data-ok={report.ok}>
            <span aria-hidden="true" className="cc81-icon">
              {summary.icon}
            </span>{' '}
            {summary.label}
          </p>
          {stale && (
            <p className="cc81-banner cc81-tone-warning" role="status" data-testid="selftest-stale">
              <Badge tone="warning" icon="!" label="Stale" /> This result is from before the rules were last installed: run the self-test again to check them.
            </p>
          )}
          <p className="cc81-small cc81-muted">
            Ran {formatTime(report.ranAt, format)} ({report.trigger === 'manual' ? 'on demand' : 'daily run'}), {report.restCalls} REST {report.restCalls === 1 ? 'call' : 'calls'}.
          </p>
          <ul className="cc81-list">
            {report.checks.map((check) => {
              const verdict = CHECK_VERDICTS[check.status];
              return (
                <li key={check.id} data-testid="selftest-check" data-check={check.id} data-status={check.status}>
                  <Badge tone={verdict.tone} icon={verdict.icon} label={verdict.label} /> <strong>{check.title}</strong>
                  {check.details.length > 0 && (
                    <ul className="cc81-small">
                      {check.details.map((line, i) => (
                        <li key={i}>{line}</li>
                      ))}
                    </ul>
                  )}
                  {check.fix && check.status !== 'pass' && (
                    <p className="cc81-small">
                      <strong>How to fix:</strong> {check.fix}
                    </p>
                  )}
                </li>
              );
            })}
          </ul>
        </>
      )}
      <div className="cc81-actions">
        <button type="button" className="cc81-button cc81-primary" onClick={onRun} disabled={readOnly || busy !== null} data-testid="run-selftest">
          {busy === 'selftest' ? 'Running…' : 'Run self-test now'}
        </button>
      </div>
    </Section>
  );
}
