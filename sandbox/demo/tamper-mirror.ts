/**
 * What a user with Edit issues can do to the `cc81.evidence` mirror over REST (the demo's tampered
 * tickets): the property changes, the seal no longer matches, and the app's log stays as it was.
 */
import type { SandboxIssue } from '../state/sandbox-state';
import { EVIDENCE_PROPERTY_KEY } from '../../src/domain';
import { DEMO_USERS } from './demo-users';
import type { MirrorTamper } from './demo-tickets';

interface MirrorRecord {
  edge: string;
  from: string;
  to: string;
  accountId: string | null;
  at: string;
  executionId: string;
}

export const tamperMirror = (issue: SandboxIssue, tamper: MirrorTamper): void => {
  const mirror = structuredClone(issue.properties[EVIDENCE_PROPERTY_KEY]) as { records: MirrorRecord[] } | undefined;
  if (!mirror) throw new Error(`demo ticket ${issue.key} has no evidence mirror to tamper with`);
  const implemented = mirror.records.find((r) => r.to === 'Implemented' && r.from !== 'Implemented');
  switch (tamper) {
    case 'forge-post-hoc': {
      if (!implemented) throw new Error(`demo ticket ${issue.key} has no implementation record`);
      const at = new Date(Date.parse(implemented.at) + 10 * 3_600_000).toISOString();
      mirror.records.push({ edge: 'postHocApprove', from: 'Implemented', to: 'Implemented', accountId: DEMO_USERS.cab.accountId, at, executionId: `typed-by-hand-${issue.key}` });
      break;
    }
    case 'drop-implementation':
      mirror.records = mirror.records.filter((r) => r !== implemented);
      break;
    case 'rewrite-approver':
      for (const r of mirror.records) if (r.edge === 'approve') r.accountId = DEMO_USERS.approver.accountId;
      break;
  }
  issue.properties[EVIDENCE_PROPERTY_KEY] = mirror;
};
