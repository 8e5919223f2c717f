/**
 * `cc81 reconcile` end to end through the CLI entry, against the demo sandbox's export: a pipeline's
 * log (CSV) and the gate's records, each finding on its deployment; the exit codes; bad files named
 * by line; and `--deployments` on review, evidence and sample.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT } from '../../cli/cli-errors';
import { sealGateRecord, type GateRecordInput } from '../../src/deployments/gate-record';
import type { ReconcileReport } from '../../src/deployments/reconcile-report';
import { DEPLOYMENT_SAMPLE_METHOD } from '../../src/evidence/deployment-sample';
import { RECONCILED_HEADING } from '../../src/evidence/evidence-pack.builder';
import type { QuarterlyReview } from '../../src/evidence/review.builder';
import { DEMO_USERS } from '../../sandbox/demo/demo-users';
import { exportPages, NOW, PERIOD, run, Sandbox, startDemoFiles, tempDir, writeJson } from './cli-fixture';

jest.setTimeout(60_000);

let sandbox: Sandbox;
let dir: string;
let source: string[];
beforeAll(async () => {
  let policyFile: string;
  ({ sandbox, dir, policyFile } = await startDemoFiles());
  source = ['--export', writeJson(dir, 'export.json', await exportPages(sandbox)), '--policy', policyFile];
});
afterAll(async () => sandbox.close());

const ago = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000).toISOString();
const SHA = '0123456789abcdef0123456789abcdef01234567';

// Demo: CHG-1 is a compliant normal change, window 300..290 h ago, implemented 296 h ago; CHG-6 is in
// Assessment; CHG-12 was implemented 25 h ago inside its window 30..20 h ago and is not closed.
const LOG = [
  'time,environment,sha,actor,deployer_account_id,ref,pr_title,message',
  `${ago(296)},staging,${SHA},deploy-bot,,feature/CHG-1-tls,"Rotate certs, edge (CHG-1)",`, // line 2: clean
  `${ago(295)},production,${SHA.slice(0, 10)},deploy-bot,,main,,"merge, no key"`, // line 3: by SHA, clean
  `${ago(100)},production,abcdef12,deploy-bot,,CHG-6-kafka,,`, // line 4: before approval
  `${ago(10)},production,abcdef13,deploy-bot,,main,,"CHG-12 again"`, // line 5: outside the window
  `${ago(24)},production,abcdef14,ada,${DEMO_USERS.approver.accountId},main,,CHG-12`, // line 6: the approver deployed
  `${ago(5)},production,abcdef15,deploy-bot,,main,,"fixes CHG-999, chg-1"`, // line 7: no such ticket, no SHA match
].join('\r\n');

const reconcileJson = async (...extra: string[]) => {
  const log = writeJson(dir, 'deploys.csv', LOG);
  const { code, io } = await run(['reconcile', '--deployments', log, ...source, ...PERIOD, '--format', 'json', ...extra]);
  return { code, io, report: JSON.parse(io.stdoutText) as ReconcileReport };
};

describe('cc81 reconcile', () => {
  it.each([
    ['deploys.csv:2', 'key', ['CHG-1'], []],
    ['deploys.csv:3', 'sha', ['CHG-1'], []],
    ['deploys.csv:4', 'key', ['CHG-6'], ['DEPLOYED_BEFORE_APPROVAL']],
    ['deploys.csv:5', 'key', ['CHG-12'], ['DEPLOYED_OUTSIDE_WINDOW']],
    ['deploys.csv:6', 'key', ['CHG-12'], ['DEPLOYER_IS_APPROVER']],
    ['deploys.csv:7', 'none', [], ['DEPLOYMENT_WITHOUT_CHANGE']],
  ])('%s: matched by %s to %j with %j', async (id, match, changes, codes) => {
    const { report } = await reconcileJson();
    const d = report.deployments.find((x) => x.id === id)!;
    expect({ match: d.match, changes: d.changes, codes: d.findings.map((f) => f.code) }).toEqual({ match, changes, codes });
  });

  it('reports the implemented changes no deployment names as notices, the coverage, and exits 1 on exceptions', async () => {
    const { code, report, io } = await reconcileJson();
    expect(code).toBe(EXIT.findings);
    const never = report.changes.map((c) => c.key);
    expect(never).toContain('CHG-2');
    expect(never).not.toContain('CHG-1');
    expect(never).not.toContain('CHG-12');
    expect(report.changes.every((c) => c.findings.every((f) => f.code === 'CHANGE_NEVER_DEPLOYED' && f.severity === 'notice'))).toBe(true);
    expect(report.summary).toMatchObject({ deployments: 6, matchedByKey: 4, matchedBySha: 1, unmatched: 1, covered: 2, coverage: 0.3333, exceptions: 4 });
    expect(report.sources.deployments).toEqual([{ name: join(dir, 'deploys.csv'), kind: 'log', sha256: expect.stringMatching(/^[0-9a-f]{64}$/), count: 6 }]);
    expect(io.stderrText).not.toContain('error');
  });

  it('prints one line per finding and the summary as a table', async () => {
    const log = writeJson(dir, 'deploys.csv', LOG);
    const { code, io } = await run(['reconcile', '--deployments', log, ...source, ...PERIOD]);
    expect(code).toBe(EXIT.findings);
    const line = io.stdoutText.split('\n').find((l) => l.startsWith('deploys.csv:6'))!;
    expect(line).toMatch(/^deploys\.csv:6\s+\S+ \S+\s+production\s+abcdef1\s+ada\s+CHG-12\s+DEPLOYER_IS_APPROVER\s+exception\s+The deployer approved CHG-12/);
    expect(io.stdoutText).toContain('6 deployments in the period: 4 matched by key, 1 by commit SHA, 1 without a change');
    expect(io.stdoutText).toContain('Covered by an approved change: 2 of 6 (33.3%)');
  });

  it('exits 0 when every deployment is covered, and takes the period as a quarter', async () => {
    const clean = writeJson(dir, 'clean.json', [{ time: ago(296), environment: 'production', sha: SHA, actor: 'bot', change_key: 'CHG-1' }]);
    const { code, io } = await run(['reconcile', '--deployments', clean, ...source, '--from', '2026-01-01', '--to', '2026-12-31', '--format', 'json']);
    expect(code).toBe(EXIT.ok);
    expect((JSON.parse(io.stdoutText) as ReconcileReport).summary).toMatchObject({ deployments: 1, covered: 1, exceptions: 0 });
    const q3 = await run(['reconcile', '--deployments', clean, ...source, '--quarter', '2026Q3', '--format', 'json']);
    expect((JSON.parse(q3.io.stdoutText) as ReconcileReport).summary).toMatchObject({ deployments: 0, outsidePeriod: 1, coverage: null });
  });

  it('reads recorded gate calls, checks their hashes, and counts only the allowed calls', async () => {
    const record = (callId: string, decision: 'allow' | 'deny', changeKey: string | null, at: string): GateRecordInput => ({
      callId,
      at,
      environment: 'production',
      sha: SHA,
      deployer: 'gh-actions',
      deployerAccountId: null,
      pipelineId: '0123456789abcdef',
      pipelineName: 'web',
      issueId: changeKey ? '10001' : null,
      changeKey,
      namedKeys: changeKey ? [changeKey] : [],
      decision,
      path: decision === 'allow' ? 'approved' : 'refused',
      reasons: [],
      notices: [],
      startsPostHocClock: false,
    });
    const records = [sealGateRecord(record('a'.repeat(32), 'allow', 'CHG-1', ago(296))), sealGateRecord(record('b'.repeat(32), 'deny', 'CHG-6', ago(50))), sealGateRecord(record('c'.repeat(32), 'allow', null, ago(294)))];
    const dump = writeJson(dir, 'gate.json', records);
    const { code, io } = await run(['reconcile', '--from-gate', dump, ...source, ...PERIOD, '--format', 'json']);
    if (!io.stdoutText) throw new Error(`exit ${code}: ${io.stderrText}`);
    const report = JSON.parse(io.stdoutText) as ReconcileReport;
    expect(report.deployments.map((d) => [d.id, d.match, d.changes])).toEqual([
      ['a'.repeat(32), 'key', ['CHG-1']],
      ['c'.repeat(32), 'sha', ['CHG-1']],
    ]);
    expect(code).toBe(EXIT.ok);

    const altered = writeJson(dir, 'gate-altered.json', [{ ...records[0], deployer: 'someone else' }]);
    const bad = await run(['reconcile', '--from-gate', altered, ...source, ...PERIOD]);
    expect(bad.code).toBe(EXIT.input);
    expect(bad.io.stderrText).toContain('Gate record file');
    expect(bad.io.stderrText).toContain(`record 1 (call ${'a'.repeat(32)}): altered`);
  });

  it.each([
    [['reconcile', '--export', 'e.json', '--policy', 'p.json', ...PERIOD], 'Give the deployments'],
    [['reconcile', '--deployments', 'd.csv', '--export', 'e.json', '--policy', 'p.json', '--quarter', '2026Q1', '--from', '2026-01-01'], 'Give --quarter or --from and --to, not both'],
    [['reconcile', '--deployments', 'a/d.csv', '--deployments', 'b/d.csv', '--export', 'e.json', '--policy', 'p.json', ...PERIOD], 'have the same file name'],
    [['sample', '--deployments', 'd.csv', '--export', 'e.json', '--policy', 'p.json', ...PERIOD, '--size', '1', '--seed', '1'], 'go with --population deployments'],
  ])('usage error: %j', async (argv, message) => {
    const { code, io } = await run(argv);
    expect(code).toBe(EXIT.usage);
    expect(io.stderrText).toContain(message);
  });

  it('from a site, also reads the changes deployments name that the period JQL misses, and leaves out keys that are no issue', async () => {
    // The last 8 hours: CHG-1 (last updated days ago) is not in the period's JQL, but a deployment in the period names it.
    const lines = ['time,environment,sha,actor,ref', `${ago(2)},production,${SHA},deploy-bot,CHG-1 redeploy`, `${ago(1)},production,abcdef16,deploy-bot,CHG-99999 and CHG-1`];
    const log = writeJson(dir, 'site-deploys.csv', lines.join('\n'));
    const from = new Date(NOW.getTime() - 8 * 3_600_000).toISOString();
    const { io, code } = await run(['reconcile', '--deployments', log, '--site', sandbox.url, '--jql', 'project = CHG ORDER BY key', '--policy', source[3]!, '--from', from, '--to', NOW.toISOString(), '--format', 'json']);
    if (!io.stdoutText) throw new Error(`exit ${code}: ${io.stderrText}`);
    const report = JSON.parse(io.stdoutText) as ReconcileReport;
    expect(report.deployments.map((d) => [d.id, d.match, d.changes])).toEqual([
      ['site-deploys.csv:2', 'key', ['CHG-1']],
      ['site-deploys.csv:3', 'key', ['CHG-1']],
    ]);
    expect(report.deployments.flatMap((d) => d.findings.map((f) => f.code))).not.toContain('DEPLOYMENT_WITHOUT_CHANGE');
  });

  it('refuses a log with a bad row, naming the file and the line, before reading any ticket', async () => {
    const bad = writeJson(dir, 'bad.csv', `${LOG}\r\n${ago(3)},production,not-a-sha,bot,,,,\r\nyesterday,production,,bot,,,,`);
    const { code, io } = await run(['reconcile', '--deployments', bad, '--export', join(dir, 'missing-export.json'), '--policy', join(dir, 'missing-policy.json'), ...PERIOD]);
    expect(code).toBe(EXIT.input);
    expect(io.stderrText).toContain(`Deployment file ${bad}:`);
    expect(io.stderrText).toContain('line 8: sha: a commit SHA is 7 to 64 hex digits');
    expect(io.stderrText).toContain('line 9: time: use an ISO 8601 time with a zone');
    expect(io.stdoutText).toBe('');
  });
});

describe('deployments in the other commands', () => {
  it('review: a deployments block with the share covered by an approved change, and none without deployments', async () => {
    const log = writeJson(dir, 'deploys.csv', LOG);
    const withDeployments = await run(['review', '--deployments', log, ...source, '--quarter', '2026Q4', '--format', 'json']);
    expect(withDeployments.code).toBe(EXIT.ok);
    // In 2026Q4: lines 4 to 7 (lines 2 and 3 are in Q4 too: 296 h before 23 November).
    expect((JSON.parse(withDeployments.io.stdoutText) as QuarterlyReview).deployments).toEqual({
      count: 6,
      covered: 2,
      coverage: 0.3333,
      matchedByKey: 4,
      matchedBySha: 1,
      withoutChange: 1,
      exceptions: 4,
      byCode: expect.objectContaining({ DEPLOYMENT_WITHOUT_CHANGE: 1, DEPLOYER_IS_APPROVER: 1 }),
    });
    const table = await run(['review', '--deployments', log, ...source, '--quarter', '2026Q4']);
    expect(table.io.stdoutText).toContain('Deployments: 6; covered by an approved change 2 (33.3%)');
    const without = await run(['review', ...source, '--quarter', '2026Q4', '--format', 'json']);
    expect(JSON.parse(without.io.stdoutText)).not.toHaveProperty('deployments');
  });

  it('evidence: each sampled ticket page lists its deployments; reconcile.json and the index summary are written', async () => {
    const log = writeJson(dir, 'deploys.csv', LOG);
    const out = join(tempDir(), 'packs');
    const { code } = await run(['evidence', '--deployments', log, ...source, ...PERIOD, '--size', '100', '--seed', '1', '--out', out]);
    expect(code).toBe(EXIT.ok);
    const chg12 = JSON.parse(readFileSync(join(out, 'tickets', 'CHG-12.json'), 'utf8')) as { reconciledDeployments: { id: string; findings: { code: string }[] }[] };
    expect(chg12.reconciledDeployments.map((d) => [d.id, d.findings.map((f) => f.code)])).toEqual([
      ['deploys.csv:6', ['DEPLOYER_IS_APPROVER']],
      ['deploys.csv:5', ['DEPLOYED_OUTSIDE_WINDOW']],
    ]);
    const html = readFileSync(join(out, 'tickets', 'CHG-12.html'), 'utf8');
    expect(html).toContain(`<h2>${RECONCILED_HEADING}</h2>`);
    expect(html).toContain('DEPLOYER_IS_APPROVER');
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    expect(readFileSync(join(out, 'tickets', 'CHG-2.html'), 'utf8')).toContain('No deployment in the log names this change');
    expect(JSON.parse(readFileSync(join(out, 'index.json'), 'utf8'))).toHaveProperty('deployments.deployments', 6);
    expect(JSON.parse(readFileSync(join(out, 'reconcile.json'), 'utf8'))).toHaveProperty('format', 'cc81-reconcile');
  });

  it('evidence without deployments writes no deployment section', async () => {
    const out = join(tempDir(), 'packs');
    expect((await run(['evidence', ...source, ...PERIOD, '--size', '3', '--seed', '1', '--out', out])).code).toBe(EXIT.ok);
    const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8')) as { tickets: { key: string; json: string; html: string }[] };
    expect(index).not.toHaveProperty('deployments');
    for (const t of index.tickets) {
      expect(readFileSync(join(out, t.html), 'utf8')).not.toContain(RECONCILED_HEADING);
      expect(JSON.parse(readFileSync(join(out, t.json), 'utf8'))).not.toHaveProperty('reconciledDeployments');
    }
  });

  it('sample --population deployments: reproducible, with each sampled deployment reconciled', async () => {
    const log = writeJson(dir, 'deploys.csv', LOG);
    const argv = ['sample', '--population', 'deployments', '--deployments', log, ...source, ...PERIOD, '--size', '3', '--seed', '20260115'];
    const first = await run(argv);
    const second = await run(argv);
    expect(first.code).toBe(EXIT.ok);
    expect(second.io.stdoutText).toBe(first.io.stdoutText);
    const sample = JSON.parse(first.io.stdoutText) as { ids: string[]; method: string; population: { count: number; hash: { value: string } }; deployments: { id: string; changes: string[] }[] };
    expect(sample.method).toBe(DEPLOYMENT_SAMPLE_METHOD);
    expect(sample.population.count).toBe(6);
    expect(sample.ids).toHaveLength(3);
    expect(sample.deployments.map((d) => d.id)).toEqual(sample.ids);
  });
});
