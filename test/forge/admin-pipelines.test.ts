import { createAdminResolver } from '../../src/forge/create-admin-resolver';
import { PIPELINE_PREFIX } from '../../src/deployments/pipelines';
import { parsePipelineToken, hashSecret } from '../../src/deployments/gate-signature';
import { PipelineSecretResultSchema, PipelinesStateSchema, type AdminResult } from '../../src/shared/admin-contract';
import { RESOLVER_KEYS } from '../../src/shared/resolver-keys';
import type { LogFields } from '../../src/ports/logger';
import { at } from '../builders/clock';
import { aMappedPolicy } from '../builders/mapped-policy.builder';
import { FakeJiraConfig } from '../fakes/fake-jira-config';
import { MemoryStore } from '../fakes/fake-jira';

const K = RESOLVER_KEYS.admin;
const GATE_URL = 'https://abc.hello.atlassian-dev.net/x1/gate-token';

const setup = (gateUrl: () => Promise<string> = async () => GATE_URL) => {
  const jira = new FakeJiraConfig(aMappedPolicy({ scope: { projectId: '10000', projectKey: 'CHG', issueTypeId: '10005', issueTypeName: 'Change' } }));
  const store = new MemoryStore();
  const logs: LogFields[] = [];
  let invoker = 'admin-1';
  const handler = createAdminResolver({
    userTransport: (request) => jira.transportAs(invoker)(request),
    appTransport: jira.transportAs(null),
    store,
    clock: () => at(5),
    log: (_event, fields) => logs.push(fields),
    gateUrl,
  });
  const call = <T>(key: string, payload: unknown = {}, accountId = 'admin-1', license?: unknown) => {
    invoker = accountId;
    return handler({ call: { functionKey: key, payload }, context: {} }, { principal: { accountId }, ...(license === undefined ? {} : { license }) }) as Promise<AdminResult<T>>;
  };
  return { store, call, logs, jira };
};
const ok = <T>(r: AdminResult<T>): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.data;
};

describe('the admin page\'s pipelines (deployment gate)', () => {
  it('creates a pipeline: the token once, only its hash kept, the gate URL shown, the secret never logged', async () => {
    const { call, store, logs } = setup();
    const created = PipelineSecretResultSchema.parse(ok(await call(K.createPipeline, { name: 'payments deploy' })));
    const parsed = parsePipelineToken(created.token)!;
    expect(created.pipeline).toEqual({ id: parsed.pipelineId, name: 'payments deploy', createdAt: at(5).toISOString(), createdBy: { accountId: 'admin-1', displayName: 'Name of admin-1' }, secretSetAt: at(5).toISOString(), secretHint: parsed.secret.slice(0, 4), lastUsedAt: null });
    expect(created.state).toEqual({ pipelines: [created.pipeline], gateUrl: GATE_URL });
    const stored = JSON.stringify([...store.values]);
    expect(stored).not.toContain(parsed.secret);
    expect(stored).toContain(hashSecret(parsed.secret));
    const listed = JSON.stringify(ok(await call(K.listPipelines)));
    expect(listed).not.toContain(parsed.secret);
    expect(listed).not.toContain(hashSecret(parsed.secret));
    expect(JSON.stringify(logs)).not.toContain(parsed.secret);
  });

  it('rotates (a new token, the old hash gone) and revokes', async () => {
    const { call, store } = setup();
    const created = PipelineSecretResultSchema.parse(ok(await call(K.createPipeline, { name: 'api' })));
    const rotated = PipelineSecretResultSchema.parse(ok(await call(K.rotatePipelineSecret, { pipelineId: created.pipeline.id })));
    expect(rotated.token).not.toBe(created.token);
    expect(JSON.stringify([...store.values])).not.toContain(hashSecret(parsePipelineToken(created.token)!.secret));
    const after = PipelinesStateSchema.parse(ok(await call(K.revokePipeline, { pipelineId: created.pipeline.id })));
    expect(after.pipelines).toEqual([]);
    expect(await call(K.rotatePipelineSecret, { pipelineId: created.pipeline.id })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD', message: expect.stringMatching(/no longer exists/) } });
    expect([...store.values.keys()].filter((k) => k.startsWith(PIPELINE_PREFIX))).toHaveLength(1); // kept, revoked: past gate calls keep its name
  });

  it.each([
    ['an empty name', K.createPipeline, { name: '  ' }, 'name'],
    ['a name too long', K.createPipeline, { name: 'x'.repeat(81) }, 'name'],
    ['a pipeline id that is not one', K.rotatePipelineSecret, { pipelineId: '../../etc' }, 'pipelineId'],
    ['no payload', K.revokePipeline, null, 'pipelineId'],
  ])('refuses %s with the field to fix', async (_name, key, payload, path) => {
    const { call } = setup();
    const result = await call(key, payload);
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD', fieldErrors: [expect.objectContaining({ path })] } });
  });

  it('refuses a second pipeline of the same name', async () => {
    const { call } = setup();
    ok(await call(K.createPipeline, { name: 'API' }));
    expect(await call(K.createPipeline, { name: 'api' })).toMatchObject({ ok: false, error: { fieldErrors: [{ path: 'name', message: expect.any(String) }] } });
  });

  it('an unlicensed site may list and revoke, not create or rotate', async () => {
    const { call } = setup();
    const created = PipelineSecretResultSchema.parse(ok(await call(K.createPipeline, { name: 'api' })));
    const unlicensed = { isActive: false };
    expect(await call(K.createPipeline, { name: 'other' }, 'admin-1', unlicensed)).toMatchObject({ ok: false, error: { code: 'UNLICENSED' } });
    expect(await call(K.rotatePipelineSecret, { pipelineId: created.pipeline.id }, 'admin-1', unlicensed)).toMatchObject({ ok: false, error: { code: 'UNLICENSED' } });
    expect(ok(await call(K.revokePipeline, { pipelineId: created.pipeline.id }, 'admin-1', unlicensed))).toEqual({ pipelines: [], gateUrl: GATE_URL });
  });

  it('shows no gate URL when the platform cannot give one', async () => {
    const { call } = setup(async () => {
      throw new Error('no installation context');
    });
    expect(ok(await call(K.listPipelines))).toEqual({ pipelines: [], gateUrl: null });
  });
});
