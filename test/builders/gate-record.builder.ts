import type { GateRecordInput } from '../../src/deployments/gate-record';

/** One gate call's record before it is sealed: an allowed production deployment of CHG-1 (issue 10001). */
export const aGateRecordInput = (over: Partial<GateRecordInput> = {}): GateRecordInput => ({
  callId: 'a'.repeat(32),
  at: '2026-12-01T10:00:00.000Z',
  environment: 'production',
  sha: 'abcdef1',
  deployer: 'ci',
  deployerAccountId: null,
  pipelineId: '0123456789abcdef',
  pipelineName: 'api',
  issueId: '10001',
  changeKey: 'CHG-1',
  namedKeys: ['CHG-1'],
  decision: 'allow',
  path: 'approved',
  reasons: [],
  notices: [],
  startsPostHocClock: false,
  ...over,
});
