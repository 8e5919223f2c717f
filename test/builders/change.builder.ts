import type { Change, ChangeFields, ChangeType, EvidenceRecord, Risk, State } from '../../src/domain';
import { at } from './clock';
import { PEOPLE } from './people.builder';

const user = (accountId: string) => ({ accountId, displayName: accountId, active: true });

/** Every CC8.1 field filled in, compliant for any edge: the window spans hours 10..14 after T0. */
export const completeFields = (type: ChangeType = 'normal', risk: Risk = 'medium'): ChangeFields => ({
  summary: 'Rotate TLS certificates on the edge proxies',
  justification: 'Certificates expire in 10 days',
  changeType: type,
  risk,
  requester: user(PEOPLE.requester),
  implementer: user(PEOPLE.implementer),
  approver: user(PEOPLE.approver),
  verifier: user(PEOPLE.verifier),
  cabReference: 'CAB-2026-03-02',
  targetSystems: ['edge-proxy', 'cdn'],
  windowStart: at(10),
  windowEnd: at(14),
  recurringWindow: null,
  testPlan: 'Staging rollout, synthetic checks',
  rollbackPlan: 'Redeploy previous certificate bundle',
  implementationEvidence: 'Deploy job #4411 output attached',
  verificationResult: 'passed',
  rollbackOutcome: null,
  standardTemplate: type === 'standard' ? 'STD-007 certificate rotation' : null,
  emergencyJustification: type === 'emergency' ? 'INC-991 certificate expired in production' : null,
  cancellationReason: null,
});

export interface ChangeSpec {
  key?: string;
  state?: State;
  type?: ChangeType;
  risk?: Risk;
  fields?: Partial<ChangeFields>;
  evidence?: EvidenceRecord[];
}

export const aChange = (spec: ChangeSpec = {}): Change => ({
  key: spec.key ?? 'CHG-1',
  state: spec.state ?? 'Draft',
  createdAt: at(0),
  fields: { ...completeFields(spec.type, spec.risk), ...spec.fields },
  evidence: spec.evidence ?? [],
});
