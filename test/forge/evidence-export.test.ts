import { runCli } from '../../cli/run-cli';
import { downloadEvidenceExport, LATEST_EXPORT_KEY, latestEvidenceExport, startEvidenceExport, type EvidenceExportDeps } from '../../src/forge/evidence-export';
import { createEvidenceExportWorker } from '../../src/forge/evidence-export-worker';
import type { LogFields } from '../../src/ports/logger';
import { createAdminResolver } from '../../src/forge/create-admin-resolver';
import type { JiraTransport } from '../../src/jira/transport';
import { DEMO_USERS } from '../../sandbox/demo/demo-users';
import { ExportStatusSchema, type ExportStatus } from '../../src/shared/export-contract';
import { RESOLVER_KEYS } from '../../src/shared/resolver-keys';
import type { AdminResult } from '../../src/shared/admin-contract';
import { memoryIo, NOW, startDemoSandbox, storedPolicy, tempDir, writeJson, type Sandbox } from '../cli/cli-fixture';

jest.setTimeout(60_000);

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startDemoSandbox();
});
afterAll(async () => sandbox.close());

const PAYLOAD = { from: '2026-01-01', to: '2026-12-31', jql: 'project = CHG', size: 5, seed: 42 };

/** A queue the test drains itself, and a budget of one step per slice (so the job spans many invocations). */
const harness = (transport: JiraTransport = sandbox.runtime.asApp()) => {
  const queued: { jobId: string; delay: number }[] = [];
  const logs: { event: string; fields: LogFields }[] = [];
  let steps = 0;
  const deps: EvidenceExportDeps = {
    transport,
    store: sandbox.runtime.store,
    clock: () => NOW,
    sleep: async () => undefined,
    queue: { push: async (event, delay) => void queued.push({ jobId: event.jobId, delay: delay ?? 0 }) },
    budgetMs: 1,
    elapsed: () => (steps++ % 2 === 0 ? 0 : 10),
    log: (event, fields) => logs.push({ event, fields }),
  };
  const worker = createEvidenceExportWorker(deps);
  const drain = async (max = 200) => {
    let slices = 0;
    while (queued.length && slices < max) {
      const next = queued.shift()!;
      await worker({ body: { jobId: next.jobId } });
      slices += 1;
    }
    return slices;
  };
  return { deps, queued, drain, logs };
};

const policy = () => sandbox.state.policy;

describe('in-app evidence export', () => {
  let done: ExportStatus;

  it('builds the population, sample and packs over several queued slices, and records the same population as the CLI', async () => {
    const h = harness();
    const started = await startEvidenceExport(h.deps, { policy: policy(), payload: PAYLOAD, accountId: DEMO_USERS.admin.accountId });
    expect(ExportStatusSchema.parse(started)).toEqual(expect.objectContaining({ state: 'running', phase: 'population', createdBy: DEMO_USERS.admin.accountId, files: [] }));
    // One step per slice: the population page (the demo site fits one), the sample, then the packs.
    expect(await h.drain()).toBe(3);
    done = (await latestEvidenceExport(sandbox.runtime.store))!;
    expect(done).toEqual(expect.objectContaining({ state: 'done', phase: 'done', error: null }));
    expect(done.progress.packsDone).toBe(5);

    const dir = tempDir();
    const policyFile = writeJson(dir, 'policy.json', storedPolicy(sandbox));
    const io = memoryIo();
    const code = await runCli(['population', '--site', sandbox.url, '--policy', policyFile, '--jql', 'project = CHG', '--from', PAYLOAD.from, '--to', PAYLOAD.to], io);
    expect(code).toBe(0);
    const cli = JSON.parse(io.stdoutText) as { count: number; hash: { value: string }; items: { key: string }[] };
    expect(done.population).toEqual({ count: cli.count, hash: cli.hash.value });
    const population = JSON.parse((await downloadEvidenceExport(sandbox.runtime.store, done.jobId, 'population.json', NOW)).content) as typeof cli;
    expect(population.items.map((i) => i.key)).toEqual(cli.items.map((i) => i.key));
  });

  it('offers the index, the records and one pack per sampled ticket, and nothing else', async () => {
    const names = done.files.map((f) => f.name);
    expect(names.slice(0, 5)).toEqual(['index.html', 'index.json', 'population.json', 'sample.json', 'audit-summary.json']);
    expect(names.filter((n) => n.startsWith('tickets/'))).toHaveLength(10);
    const index = await downloadEvidenceExport(sandbox.runtime.store, done.jobId, 'index.html', NOW);
    expect(index).toEqual(expect.objectContaining({ contentType: 'text/html', content: expect.stringContaining(done.population!.hash) }));
    const sample = JSON.parse((await downloadEvidenceExport(sandbox.runtime.store, done.jobId, 'sample.json', NOW)).content) as { keys: string[]; seed: number };
    expect(sample.seed).toBe(42);
    const pack = await downloadEvidenceExport(sandbox.runtime.store, done.jobId, names.find((n) => n.endsWith('.json') && n.startsWith('tickets/'))!, NOW);
    expect(JSON.parse(pack.content)).toEqual(expect.objectContaining({ format: 'cc81-evidence-pack', population: { hash: done.population!.hash, count: done.population!.count } }));
    await expect(downloadEvidenceExport(sandbox.runtime.store, done.jobId, 'cc81:policy', NOW)).rejects.toThrow(/no file cc81:policy/);
  });

  it('draws the same sample for the same seed, as the CLI does', async () => {
    const dir = tempDir();
    const io = memoryIo();
    await runCli(['sample', '--site', sandbox.url, '--policy', writeJson(dir, 'p.json', storedPolicy(sandbox)), '--jql', 'project = CHG', '--from', PAYLOAD.from, '--to', PAYLOAD.to, '--size', '5', '--seed', '42'], io);
    const cli = JSON.parse(io.stdoutText) as { keys: string[] };
    const ours = JSON.parse((await downloadEvidenceExport(sandbox.runtime.store, done.jobId, 'sample.json', NOW)).content) as { keys: string[] };
    expect(ours.keys).toEqual(cli.keys);
  });

  it('waits out a 429 through the queue delay, then marks the job failed after repeated errors, with what to do', async () => {
    let failures = 0;
    const flaky: JiraTransport = async (request) => {
      if (request.path.endsWith('/search/jql') && failures < 10) {
        failures += 1;
        return failures === 1 ? { status: 429, header: (n) => (n.toLowerCase() === 'retry-after' ? '7' : null), json: async () => ({}) } : { status: 500, header: () => null, json: async () => ({}) };
      }
      return sandbox.runtime.asApp()(request);
    };
    const h = harness(flaky);
    await startEvidenceExport(h.deps, { policy: policy(), payload: PAYLOAD, accountId: DEMO_USERS.admin.accountId });
    h.queued.shift();
    await createEvidenceExportWorker(h.deps)({ body: { jobId: (await latestEvidenceExport(sandbox.runtime.store))!.jobId } });
    expect(h.queued).toEqual([expect.objectContaining({ delay: 7 })]);
    await h.drain();
    const failed = (await latestEvidenceExport(sandbox.runtime.store))!;
    expect(failed).toEqual(expect.objectContaining({ state: 'failed', files: [], error: expect.stringMatching(/stopped after 3 failed attempts: Jira answered 500 .*Start it again/) }));
    expect(JSON.stringify(h.logs)).not.toMatch(/Change Management|summary/);
  });

  it('ignores a malformed or stale event', async () => {
    const h = harness();
    await createEvidenceExportWorker(h.deps)({ body: { jobId: '../../etc' } });
    await createEvidenceExportWorker(h.deps)({ body: { jobId: 'x-not-the-latest' } });
    expect(h.queued).toEqual([]);
    expect(h.logs.map((l) => l.fields.event)).toEqual(['malformed', 'slice-skipped']);
  });

  it('is reached through the admin resolver: admins and the exporters group only, one job at a time, field errors for bad settings', async () => {
    const h = harness();
    const resolverFor = (accountId: string) =>
      createAdminResolver({ userTransport: sandbox.runtime.asUser(accountId), appTransport: sandbox.runtime.asApp(), store: sandbox.runtime.store, clock: () => NOW, exportQueue: h.deps.queue, log: () => undefined });
    const call = async <T>(accountId: string, key: string, payload: unknown = {}) =>
      (await resolverFor(accountId)({ call: { functionKey: key, payload }, context: {} }, { principal: { accountId } })) as AdminResult<T>;
    const K = RESOLVER_KEYS.admin;
    // Jira admins, and the demo policy's exporters group (the compliance lead is in "compliance"); nobody else.
    expect(await call(DEMO_USERS.requester.accountId, K.getEvidenceExport)).toEqual({ ok: false, error: expect.objectContaining({ code: 'FORBIDDEN' }) });
    expect(await call(DEMO_USERS.compliance.accountId, K.getEvidenceExport)).toEqual({ ok: true, data: { job: expect.anything() } });
    expect(await call(DEMO_USERS.compliance.accountId, K.savePolicy, {})).toEqual({ ok: false, error: expect.objectContaining({ code: 'FORBIDDEN' }) });
    const bad = await call(DEMO_USERS.admin.accountId, K.startEvidenceExport, { ...PAYLOAD, to: '2025-01-01', size: 0 });
    expect(bad).toEqual({ ok: false, error: expect.objectContaining({ code: 'INVALID_PAYLOAD', fieldErrors: expect.arrayContaining([expect.objectContaining({ path: 'size' })]) }) });
    const started = await call<ExportStatus>(DEMO_USERS.admin.accountId, K.startEvidenceExport, { from: '2026-01-01', to: '2026-12-31', size: 3, seed: 7 });
    if (!started.ok) throw new Error(started.error.message);
    expect(started.data.spec.jql).toBe('project = "CHG" AND issuetype = "Change"');
    expect(await call(DEMO_USERS.admin.accountId, K.startEvidenceExport, PAYLOAD)).toEqual({ ok: false, error: expect.objectContaining({ code: 'EXPORT_RUNNING' }) });
    await h.drain();
    const status = await call<{ job: ExportStatus }>(DEMO_USERS.admin.accountId, K.getEvidenceExport);
    if (!status.ok) throw new Error(status.error.message);
    expect(status.data.job).toEqual(expect.objectContaining({ jobId: started.data.jobId, state: 'done' }));
    const file = await call<{ name: string; content: string }>(DEMO_USERS.admin.accountId, K.downloadEvidenceExport, { jobId: started.data.jobId, file: 'index.json' });
    if (!file.ok) throw new Error(file.error.message);
    expect(JSON.parse(file.data.content)).toEqual(expect.objectContaining({ format: 'cc81-evidence-index' }));
    expect(await sandbox.runtime.store.get(LATEST_EXPORT_KEY)).toEqual(expect.objectContaining({ jobId: started.data.jobId, error: null }));
  });
});
