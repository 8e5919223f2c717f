export { panelResolver } from './forge/panel-resolver';
export { adminResolver } from './forge/admin-resolver';
export { postHocSweep } from './forge/posthoc-sweep';
export { historyGate } from './forge/history-gate';
export { evidenceRecorder } from './forge/evidence-recorder';
export { ruleConfigResolver } from './forge/rule-config-resolver';
export { postHocSweepContinuation } from './forge/posthoc-sweep-continuation';
export { selfTestTrigger } from './forge/self-test-trigger';
