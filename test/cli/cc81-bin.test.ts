/** The `cc81` bin as a user runs it: a separate node process through bin/cc81.js, which runs the compiled CLI (cli/dist, `npm run build:cli`). */
import { spawn, spawnSync } from 'node:child_process';
import { createServer, type AddressInfo, type Socket } from 'node:net';
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

describe('bin/cc81.js when interrupted', () => {
  it('exits 130 on Ctrl-C (SIGINT) and says nothing was written', async () => {
    // A "site" that accepts connections and never answers, so the run is still reading when interrupted.
    const sockets: Socket[] = [];
    const server = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const dir = tempDir();
    const policy = writeJson(dir, 'policy.json', { statuses: { Draft: '1', Assessment: '2', Approved: '3', Scheduled: '4', Implemented: '5', Closed: '6' }, fields: FULL_FIELDS });
    try {
      const child = spawn(process.execPath, [BIN, 'population', '--site', `http://127.0.0.1:${port}`, '--jql', 'project = CHG', '--policy', policy, '--from', '2026-01-01', '--to', '2026-03-31'], {
        env: { ...process.env, JIRA_EMAIL: 'a@example.com', JIRA_API_TOKEN: 'x' },
      });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += String(d)));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      while (sockets.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      expect(stderr).toContain('interrupted; nothing was written');
    } finally {
      sockets.forEach((s) => s.destroy());
      server.close();
    }
  });
});

const FULL_FIELDS = Object.fromEntries(
  ['summary', 'justification', 'changeType', 'risk', 'requester', 'implementer', 'approver', 'verifier', 'cabReference', 'targetSystems', 'windowStart', 'windowEnd', 'recurringWindow', 'testPlan', 'rollbackPlan', 'implementationEvidence', 'verificationResult', 'rollbackOutcome', 'standardTemplate', 'emergencyJustification', 'cancellationReason'].map((key, i) => [key, `customfield_${10_100 + i}`]),
);
