/**
 * Issue 19's deployment gate in the sandbox, as a pipeline calls it: over HTTP at the web
 * trigger's URL, signed with a pipeline token the admin page created. Every allow and deny
 * reason, what is recorded (the app's log, the ticket's comment, the panel), the post-hoc clock an
 * emergency deployment starts, and the cost of a call (invocations and REST calls).
 */
import { randomBytes } from 'node:crypto';
import { DEMO_USERS, DemoRole } from '../../sandbox/demo/demo-users';
import { startSandbox } from '../../sandbox/start-sandbox';
import { readGateRecords } from '../../src/deployments/gate-record';
import { GateAnswerSchema, signedGateHeaders } from '../../src/deployments/gate-signature';
import { createPipeline } from '../../src/deployments/pipelines';
import { DEPLOYMENT_GATE_MODULE_KEY } from '../../src/forge/deployment-gate';
import { listOpenPostHoc } from '../../src/sweep/posthoc-index';
import { OVERDUE_LABEL } from '../../src/sweep/posthoc-property';
import { adf, sandboxClient } from './sandbox-client';
import { compliancePanelView } from './panel-view';
import { runCli } from '../../cli/run-cli';
import { memoryIo, storedPolicy, tempDir, writeJson } from '../cli/cli-fixture';
import { createEvidenceExportWorker } from '../../src/forge/evidence-export-worker';
import { downloadEvidenceExport, latestEvidenceExport, startEvidenceExport } from '../../src/forge/evidence-export';
import type { ReconcileReport } from '../../src/deployments/reconcile-report';

jest.setTimeout(60_000);

const START = new Date('2026-11-23T12:00:00.000Z');
const HOUR = 3_600_000;
type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
let sandbox: Sandbox;
let tick = START.getTime();
const now = () => new Date(tick);
let token = '';

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, clock: () => new Date((tick += 1_000)), triggerIntervalMs: 0, eventsIntervalMs: 0, routerLog: () => undefined });
  token = (await createPipeline(sandbox.runtime.store, { name: 'payments-deploy', by: { accountId: DEMO_USERS.admin.accountId, displayName: 'Adam Admin' }, now: now() })).token;
});
afterAll(async () => sandbox.close());

const client = sandboxClient(() => sandbox.url, () => sandbox.state);
const { fieldId } = client;
const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');
const idOf = (key: string) => sandbox.state.issues.find((i) => i.key === key)!.id;
const nonce = () => randomBytes(12).toString('hex');

const move = async (as: DemoRole, key: string, name: string, fields: Record<string, unknown> = {}) => {
  const res = await client.move(as, key, name, fields);
  expect(res.status).toBe(204);
};
const windowAround = (fromMs: number, toMs: number) => ({ [fieldId('Maintenance window start')]: iso(tick + fromMs), [fieldId('Maintenance window end')]: iso(tick + toMs) });

/** A normal change taken to `upTo` by the right people; its key. */
const normalChange = async (upTo: 'Assessment' | 'Approved' | 'Scheduled' | 'Closed', window = windowAround(-HOUR, 4 * HOUR)) => {
  const key = await client.createChange('Normal', 'Medium', 'Deploy the payments service');
  await move('requester', key, 'Submit for assessment');
  if (upTo === 'Assessment') return key;
  await move('approver', key, 'Approve');
  if (upTo === 'Approved') return key;
  await move('requester', key, 'Schedule', window);
  if (upTo === 'Scheduled') return key;
  await move('implementer', key, 'Mark implemented', { [fieldId('Implementation evidence')]: adf('Deploy job #1') });
  await move('verifier', key, 'Verify and close', { [fieldId('Verification result')]: { value: 'Passed' } });
  return key;
};

const gateUrl = () => `${sandbox.url}/x1/${DEPLOYMENT_GATE_MODULE_KEY}`;

/** One signed call; `headers` override or drop (undefined) the signed ones. */
const callGate = async (body: Record<string, unknown>, options: { token?: string; headers?: Record<string, string | undefined>; rawBody?: string; method?: string; at?: Date } = {}) => {
  const text = JSON.stringify(body);
  const signed = signedGateHeaders(options.token ?? token, text, options.at ?? now(), nonce());
  const headers = Object.fromEntries(Object.entries({ ...signed, ...options.headers }).filter((e): e is [string, string] => e[1] !== undefined));
  const res = await fetch(gateUrl(), { method: options.method ?? 'POST', headers, ...(options.method === 'GET' ? {} : { body: options.rawBody ?? text }) });
  const raw = await res.text();
  return { status: res.status, raw, json: JSON.parse(raw) as Record<string, unknown>, retryAfter: res.headers.get('retry-after') };
};
const deploy = (changeKey: string | undefined, extra: Record<string, unknown> = {}) =>
  callGate({ ...(changeKey ? { changeKey } : {}), environment: 'production', sha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678', deployer: 'github-actions', ...extra });
const codesOf = (json: Record<string, unknown>) => {
  const answer = GateAnswerSchema.parse(json);
  return [...answer.reasons.map((r) => r.code), ...answer.changes.flatMap((c) => c.reasons.map((r) => r.code))];
};

describe('allow', () => {
  it('lets an approved, scheduled change out inside its window, records it and comments on the ticket, in 1 invocation and 2 REST calls', async () => {
    const key = await normalChange('Scheduled');
    sandbox.runtime.resetStats();
    const res = await deploy(key);
    expect(res.status).toBe(200);
    const answer = GateAnswerSchema.parse(res.json);
    expect(answer).toMatchObject({ decision: 'allow', changes: [{ key, decision: 'allow', path: 'approved', reasons: [] }] });
    expect(sandbox.runtime.stats()['deployment-gate']).toEqual({ invocations: 1, restCalls: 2, failures: 0 });

    const { records, altered } = await readGateRecords(sandbox.runtime.store, idOf(key));
    expect(altered).toEqual([]);
    expect(records).toEqual([expect.objectContaining({ changeKey: key, decision: 'allow', environment: 'production', sha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678', deployer: 'github-actions', pipelineName: 'payments-deploy', callId: answer.callId })]);
    const comments = sandbox.state.issues.find((i) => i.key === key)!.comments;
    expect(JSON.stringify(comments.at(-1)!.body)).toContain('CC8.1 deployment gate: allowed');

    const view = await compliancePanelView(sandbox, key, now);
    expect(view.deployments).toEqual([expect.objectContaining({ decision: 'allow', environment: 'production', pipelineName: 'payments-deploy', deployer: 'github-actions' })]);
  });

  it('finds the change key in the branch, PR title or commit message when the call names none', async () => {
    const key = await normalChange('Scheduled');
    for (const texts of [{ branch: `feature/${key}-retry-payments` }, { prTitle: `[${key}] Retry payments` }, { commitMessage: `Retry UTF-8 payments\n\nRefs ${key}` }]) {
      const res = await deploy(undefined, texts);
      expect({ texts, status: res.status, changes: GateAnswerSchema.parse(res.json).changes.map((c) => c.key) }).toEqual({ texts, status: 200, changes: [key] });
    }
  });

  it('lets an approved change out before it is scheduled only inside a window (none set: denied under a blocking policy)', async () => {
    const key = await normalChange('Approved');
    const res = await deploy(key);
    expect(res.status).toBe(403);
    expect(codesOf(res.json)).toEqual(['OUTSIDE_WINDOW']);
  });
});

describe('deny', () => {
  it.each([
    ['in Assessment (not approved)', async () => normalChange('Assessment'), ['NOT_APPROVED']],
    ['closed', async () => normalChange('Closed'), ['CHANGE_CLOSED']],
    ['scheduled, but the window is tomorrow', async () => normalChange('Scheduled', windowAround(24 * HOUR, 26 * HOUR)), ['OUTSIDE_WINDOW']],
  ])('a change %s', async (_name, make, codes) => {
    const key = await make();
    const res = await deploy(key);
    expect(res.status).toBe(403);
    expect(GateAnswerSchema.parse(res.json).decision).toBe('deny');
    expect(codesOf(res.json)).toEqual(codes);
    const { records } = await readGateRecords(sandbox.runtime.store, idOf(key));
    expect(records.map((r) => r.decision)).toEqual(['deny']);
  });

  it('a change whose target systems were edited after approval', async () => {
    const key = await normalChange('Scheduled');
    expect((await client.call('requester', 'PUT', `/rest/api/3/issue/${key}`, { fields: { [fieldId('Target systems')]: ['prod-eu-1', 'prod-us-1'] } })).status).toBe(204);
    const res = await deploy(key);
    expect(res.status).toBe(403);
    expect(codesOf(res.json)).toEqual(['CHANGED_AFTER_APPROVAL']);
  });

  it('a deployer who approved the change (by account id)', async () => {
    const key = await normalChange('Scheduled');
    const res = await deploy(key, { deployer: 'Ada Approver', deployerAccountId: DEMO_USERS.approver.accountId });
    expect(res.status).toBe(403);
    expect(codesOf(res.json)).toEqual(['DEPLOYER_IS_APPROVER']);
    expect((await deploy(key, { deployer: 'Ivan', deployerAccountId: DEMO_USERS.implementer.accountId })).status).toBe(200);
    expect((await deploy(key, { deployer: 'carl-from-ci', deployerAccountId: DEMO_USERS.cab.accountId })).status).toBe(200);
    expect((await deploy(key, { deployer: 'someone-from-ci', deployerAccountId: 'acc-not-in-jira' })).status).toBe(200);
    // The panel names the deployers by their Jira account (a CAB member the ticket does not name is looked up); an id Jira has no
    // user for reads as Jira names a deleted account.
    const view = await compliancePanelView(sandbox, key, now);
    expect(view.deployments.map((d) => [d.deployer, d.deployerPerson?.displayName ?? null])).toEqual([
      ['someone-from-ci', 'Former user'],
      ['carl-from-ci', 'Carl CAB'],
      ['Ivan', 'Ivan Implementer'],
      ['Ada Approver', 'Ada Approver'],
    ]);
  });

  it('a call that names no change, or a key that is no change ticket, is a detached deployment (recorded, denied)', async () => {
    const none = await deploy(undefined, { branch: 'main', commitMessage: 'hotfix without a ticket' });
    expect(none.status).toBe(403);
    expect(codesOf(none.json)).toEqual(['DEPLOYMENT_WITHOUT_CHANGE']);
    const missing = await deploy('CHG-99999');
    expect(missing.status).toBe(403);
    expect(codesOf(missing.json)).toEqual(['DEPLOYMENT_WITHOUT_CHANGE']);
    const detached = (await sandbox.runtime.store.listByPrefix('cc81:deploy:none:')).length;
    expect(detached).toBeGreaterThanOrEqual(2);
  });

  it('a release naming two changes goes out only if both may', async () => {
    const ok = await normalChange('Scheduled');
    const notYet = await normalChange('Assessment');
    const res = await deploy(undefined, { prTitle: `${ok} and ${notYet}` });
    expect(res.status).toBe(403);
    expect(GateAnswerSchema.parse(res.json).changes.map((c) => [c.key, c.decision])).toEqual([
      [ok, 'allow'],
      [notYet, 'deny'],
    ]);
  });
});

describe('emergency path', () => {
  it('lets an unapproved emergency out, starts the post-hoc clock once, and the panel shows it owed', async () => {
    const key = await client.createChange('Emergency', 'High', 'Hotfix the payments outage');
    const first = await deploy(key);
    expect(first.status).toBe(200);
    expect(GateAnswerSchema.parse(first.json).changes[0]).toMatchObject({ decision: 'allow', path: 'emergency', notices: [expect.objectContaining({ code: 'EMERGENCY_POSTHOC_MISSING' })] });
    const second = await deploy(key, { environment: 'production-us' });
    expect(second.status).toBe(200);
    const { records } = await readGateRecords(sandbox.runtime.store, idOf(key));
    expect(records.map((r) => r.startsPostHocClock)).toEqual([true, false]);
    expect(await listOpenPostHoc(sandbox.runtime.store)).toContain(idOf(key));

    const view = await compliancePanelView(sandbox, key, now);
    expect(view.clock).toMatchObject({ status: 'pending', implementedAt: records[0]!.at });
    expect(Date.parse(view.clock.dueAt!) - Date.parse(records[0]!.at)).toBe(72 * HOUR);

    // 73 hours on, with no approval, the hourly sweep flags it overdue (the open-obligation index the gate opened).
    tick += 73 * HOUR;
    await sandbox.runtime.runScheduledTrigger('posthoc-sweep');
    const issue = sandbox.state.issues.find((i) => i.key === key)!;
    expect(issue.fields.labels).toContain(OVERDUE_LABEL);
  });
});

describe('who may call', () => {
  const good = { changeKey: 'CHG-1', environment: 'production', sha: 'abcdef1', deployer: 'ci' };

  it.each([
    ['no token', { authorization: undefined }, 'UNAUTHENTICATED'],
    ['a wrong secret', { authorization: `Bearer cc81p_${'0'.repeat(16)}_${'1'.repeat(64)}` }, 'UNAUTHENTICATED'],
    ['no signature', { 'x-cc81-signature': undefined }, 'UNSIGNED'],
    ['a bad signature', { 'x-cc81-signature': `sha256=${'0'.repeat(64)}` }, 'BAD_SIGNATURE'],
  ])('refuses %s with 401', async (_name, headers, code) => {
    const res = await callGate(good, { headers });
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ error: { code, message: expect.any(String) } });
  });

  it('refuses a body changed after signing, a stale call and a replayed one', async () => {
    const text = JSON.stringify(good);
    const signed = signedGateHeaders(token, text, now(), nonce());
    const tampered = await fetch(gateUrl(), { method: 'POST', headers: signed, body: text.replace('production', 'staging') });
    expect(tampered.status).toBe(401);
    const stale = await callGate(good, { at: new Date(tick - 10 * 60_000) });
    expect([stale.status, (stale.json.error as { code: string }).code]).toEqual([401, 'STALE_TIMESTAMP']);
    const first = await fetch(gateUrl(), { method: 'POST', headers: signed, body: text });
    expect(first.status).toBe(403); // CHG-1 is a closed demo ticket: judged (CHANGE_CLOSED), not refused
    const replay = await fetch(gateUrl(), { method: 'POST', headers: signed, body: text });
    expect(replay.status).toBe(401);
    expect(JSON.parse(await replay.text())).toMatchObject({ error: { code: 'REPLAYED' } });
  });

  it('answers 405 to GET and 400 to a malformed body, without judging anything', async () => {
    expect((await callGate(good, { method: 'GET' })).status).toBe(405);
    const notJson = await callGate(good, { rawBody: '{not json' });
    expect(notJson.status).toBe(401); // the signature covers the exact bytes: a different body is refused first
    const badSha = await callGate({ ...good, sha: 'not-a-sha' });
    expect([badSha.status, (badSha.json.error as { code: string }).code]).toEqual([400, 'INVALID_REQUEST']);
    expect((badSha.json.error as { message: string }).message).toContain('sha');
  });

  it('never answers with the token or its secret, and never logs them', async () => {
    const lines: string[] = [];
    const spy = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' ')));
    try {
      const key = await normalChange('Scheduled');
      const res = await deploy(key);
      const refused = await callGate(good, { headers: { 'x-cc81-signature': `sha256=${'f'.repeat(64)}` } });
      const secret = token.split('_')[2]!;
      for (const text of [res.raw, refused.raw, ...lines]) expect(text).not.toContain(secret);
      expect(lines.some((l) => l.includes('cc81-deployment-gate'))).toBe(true);
    } finally {
      spy.mockRestore();
    }
  });
});

describe("the auditor's path from production", () => {
  it('the in-app export gives the gate calls of the period, and cc81 reconcile --from-gate lands each deployment on its change or an exception', async () => {
    const approved = await normalChange('Scheduled');
    expect((await deploy(approved, { environment: 'staging' })).status).toBe(200);
    const emergency = await client.createChange('Emergency', 'High', 'Hotfix for reconciliation');
    expect((await deploy(emergency)).status).toBe(200);

    // The admin page's export, run to completion through its queue.
    const queued: string[] = [];
    const deps = {
      transport: sandbox.runtime.asApp(),
      store: sandbox.runtime.store,
      gateRecords: (issueId: string) => readGateRecords(sandbox.runtime.store, issueId),
      clock: now,
      sleep: async () => undefined,
      queue: { push: async (e: { jobId: string }) => void queued.push(e.jobId) },
    };
    // A sample as large as the population: every ticket gets its pack.
    const started = await startEvidenceExport(deps, { policy: sandbox.state.policy, payload: { from: '2026-01-01', to: '2026-12-31', jql: 'project = CHG', size: 500, seed: 7 }, accountId: DEMO_USERS.admin.accountId });
    const worker = createEvidenceExportWorker(deps);
    for (let i = 0; queued.length && i < 50; i += 1) await worker({ body: { jobId: queued.shift()! } });
    const done = (await latestEvidenceExport(sandbox.runtime.store))!;
    expect(done.state).toBe('done');
    expect(done.files.map((f) => f.name)).toContain('gate-calls.json');
    const calls = JSON.parse((await downloadEvidenceExport(sandbox.runtime.store, started.jobId, 'gate-calls.json', now())).content) as { records: { changeKey: string | null; decision: string }[]; altered: string[] };
    expect(calls.altered).toEqual([]);
    expect(calls.records.filter((r) => r.changeKey === approved).map((r) => r.decision)).toEqual(['allow']);
    const pack = JSON.parse((await downloadEvidenceExport(sandbox.runtime.store, started.jobId, `tickets/${approved}.json`, now())).content) as { deployments: { environment: string; decision: string }[] };
    expect(pack.deployments).toEqual([expect.objectContaining({ environment: 'staging', decision: 'allow' })]);

    const dir = tempDir();
    const gateFile = writeJson(dir, 'gate-calls.json', calls);
    const policyFile = writeJson(dir, 'policy.json', storedPolicy(sandbox));
    const io = memoryIo();
    const code = await runCli(['reconcile', '--from-gate', gateFile, '--site', sandbox.url, '--policy', policyFile, '--jql', 'project = CHG', '--from', '2026-01-01', '--to', '2026-12-31', '--format', 'json'], io);
    if (!io.stdoutText) throw new Error(`cc81 reconcile exited ${code}: ${io.stderrText}`);
    const report = JSON.parse(io.stdoutText) as ReconcileReport;
    const byChange = (key: string) => report.deployments.filter((d) => d.changes.includes(key));
    expect(byChange(approved)).toEqual([expect.objectContaining({ match: 'key', covered: true, findings: [], environment: 'staging' })]);
    // An emergency let out before approval is covered by the post-hoc obligation, not an exception here.
    expect(byChange(emergency)).toEqual([expect.objectContaining({ match: 'key', findings: [] })]);
    expect(report.deployments.every((d) => d.changes.length > 0 || d.findings.some((f) => f.code === 'DEPLOYMENT_WITHOUT_CHANGE'))).toBe(true);
  });
});
