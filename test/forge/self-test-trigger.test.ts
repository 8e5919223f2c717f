import { SELF_TEST_KEY } from '../../src/forge/create-admin-resolver';
import type { LogFields } from '../../src/ports/logger';
import { POLICY_KEY } from '../../src/policy/policy-store';
import { createSelfTestTrigger } from '../../src/forge/self-test-trigger';
import { SelfTestReportSchema } from '../../src/shared/admin-contract';
import { at } from '../builders/clock';
import { aMappedPolicy } from '../builders/mapped-policy.builder';
import { FakeJiraConfig } from '../fakes/fake-jira-config';
import { MemoryStore } from '../fakes/fake-jira';

const SCOPE = { projectId: '10000', projectKey: 'CHG', issueTypeId: '10005', issueTypeName: 'Change' };

const setup = (stored: unknown) => {
  const policy = aMappedPolicy({ scope: SCOPE });
  const jira = new FakeJiraConfig(policy);
  const store = new MemoryStore();
  store.values.set(POLICY_KEY, stored);
  const logs: { event: string; fields: LogFields }[] = [];
  const trigger = createSelfTestTrigger({ transport: jira.transportAs(null), store, clock: () => at(24), log: (event, fields) => logs.push({ event, fields }) });
  return { jira, store, logs, trigger, policy };
};

describe('self-test trigger', () => {
  it('runs daily as the app, stores the report for the admin page and logs counts only', async () => {
    const policy = aMappedPolicy({ scope: SCOPE });
    const { trigger, store, logs, jira } = setup({ version: 3, policy: JSON.parse(JSON.stringify(policy)), updatedBy: 'a', updatedAt: at(0).toISOString() });
    expect(await trigger({}, {})).toEqual({ statusCode: 204 });
    const report = SelfTestReportSchema.parse(store.values.get(SELF_TEST_KEY));
    expect(report).toEqual(expect.objectContaining({ trigger: 'scheduled', ranAt: at(24).toISOString(), ok: false, restCalls: jira.requests.length }));
    expect(report.checks.find((c) => c.id === 'rules-current')!.status).toBe('fail');
    expect(logs).toEqual([{ event: 'cc81-self-test', fields: expect.objectContaining({ outcome: 'findings', restCalls: 7 }) }]);
  });

  it('verifies the evidence logs; when app storage refuses the listing, that check fails and the report is still stored', async () => {
    const policy = aMappedPolicy({ scope: SCOPE });
    const { trigger, store } = setup({ version: 3, policy: JSON.parse(JSON.stringify(policy)), updatedBy: 'a', updatedAt: at(0).toISOString() });
    await trigger({}, {});
    expect(SelfTestReportSchema.parse(store.values.get(SELF_TEST_KEY)).checks.find((c) => c.id === 'evidence-log')).toMatchObject({ status: 'pass', details: ['0 issue logs verified.', '0 evidence mirrors compared with the logs.', expect.stringMatching(/No evidence key yet/)] });
    store.listPage = async () => Promise.reject(Object.assign(new Error('KVS down'), { name: 'KvsUnavailable' }));
    await trigger({}, {});
    expect(SelfTestReportSchema.parse(store.values.get(SELF_TEST_KEY)).checks.find((c) => c.id === 'evidence-log')).toMatchObject({ status: 'fail', details: [expect.stringContaining('(KvsUnavailable)')] });
  });

  it('never throws: when the store fails it logs the error name and keeps the last report', async () => {
    const { trigger, store, logs } = setup(undefined);
    store.values.set(SELF_TEST_KEY, { previous: true });
    store.set = async () => {
      throw new Error('KVS down');
    };
    expect(await trigger()).toEqual({ statusCode: 204 });
    expect(store.values.get(SELF_TEST_KEY)).toEqual({ previous: true });
    expect(logs.at(-1)!.fields).toEqual(expect.objectContaining({ outcome: 'error', errorName: 'Error' }));
  });

  it('reports a corrupted policy as a failed check rather than crashing', async () => {
    const { trigger, store } = setup({ version: 2, policy: { windowEnforcement: 'sometimes' }, updatedBy: null, updatedAt: null });
    await trigger();
    const report = SelfTestReportSchema.parse(store.values.get(SELF_TEST_KEY));
    expect(report.checks.find((c) => c.id === 'policy-readable')).toEqual(expect.objectContaining({ status: 'fail', details: [expect.stringMatching(/^windowEnforcement: /)] }));
  });
});
