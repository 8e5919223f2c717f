// The policy history: every saved version with who, when and what changed.
import type { AdminState } from '../../../src/shared/admin-contract';
import { Section } from '../../shared/ui-parts';
import { formatTime, type TimeFormat } from '../../shared/view-format';
import { pathLabel } from './admin-model';

export function HistorySection({ admin, format }: { admin: AdminState; format: TimeFormat }) {
  return (
    <Section title="Policy history" testId="section-history">
      {admin.history.length === 0 ? (
        <p className="cc81-muted" data-testid="history-empty">
          {admin.policy.state === 'default' ? 'No saved versions yet: the first save starts the history.' : 'No versions are recorded for this policy yet: the next save starts the history.'}
        </p>
      ) : (
        <table className="cc81-table">
          <caption className="cc81-visually-hidden">Saved policy versions, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Changed by</th>
              <th scope="col">When</th>
              <th scope="col">What changed</th>
            </tr>
          </thead>
          <tbody>
            {admin.history.map((rev) => (
              <tr key={rev.version} data-testid="history-row">
                <th scope="row">v{rev.version}</th>
                <td>{rev.updatedBy ? (rev.updatedBy.displayName ?? rev.updatedBy.accountId) : <span className="cc81-muted">Unknown</span>}</td>
                <td>
                  <time dateTime={rev.updatedAt}>{formatTime(rev.updatedAt, format)}</time>
                </td>
                <td>
                  {rev.changes.length === 0 ? <span className="cc81-muted">Nothing</span> : [...new Set(rev.changes.map(pathLabel))].join(', ')}
                  {rev.reason && <span className="cc81-block cc81-small">Reason: {rev.reason}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}
