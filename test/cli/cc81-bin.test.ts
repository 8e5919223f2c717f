/** The `cc81` bin as a user runs it: a separate node process through bin/cc81.js (no build step). */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { tempDir, writeJson } from './cli-fixture';

jest.setTimeout(60_000);

const BIN = join(__dirname, '..', '..', 'bin', 'cc81.js');
const cc81 = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, JIRA_EMAIL: '', JIRA_API_TOKEN: '' } });

describe('bin/cc81.js', () => {
  it('prints the help and exits 0', () => {
    const result = cc81(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: cc81 <command>');
    expect(result.stderr).toBe('');
  });

  it('exits 3 with the message for a truncated export file, with nothing on stdout', () => {
    const dir = tempDir();
    const file = writeJson(dir, 'cut.json', '[{"issues": [{"id": "1", "key": "CHG-1", "fie');
    const policy = writeJson(dir, 'policy.json', { statuses: { Draft: '1', Assessment: '2', Approved: '3', Scheduled: '4', Implemented: '5', Closed: '6' }, fields: FULL_FIELDS });
    const result = cc81(['audit', '--export', file, '--policy', policy, '--from', '2026-01-01', '--to', '2026-03-31']);
    expect(result.stderr).toContain('cut.json: not valid JSON');
    expect(result.status).toBe(3);
    expect(result.stdout).toBe('');
  });
});

const FULL_FIELDS = Object.fromEntries(
  ['summary', 'justification', 'changeType', 'risk', 'requester', 'implementer', 'approver', 'verifier', 'cabReference', 'targetSystems', 'windowStart', 'windowEnd', 'recurringWindow', 'testPlan', 'rollbackPlan', 'implementationEvidence', 'verificationResult', 'rollbackOutcome', 'standardTemplate', 'emergencyJustification', 'cancellationReason'].map((key, i) => [key, `customfield_${10_100 + i}`]),
);
