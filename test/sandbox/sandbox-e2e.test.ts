/**
 * The whole sandbox (`startSandbox`, as `npm start` runs it) driven over HTTP like an external
 * client: demo data, the app's compiled conditions and validators, the history gate and the
 * evidence recorder, all through the real REST router on an ephemeral port.
 */
import { startSandbox } from '../../sandbox/start-sandbox';
import { adf, sandboxClient, userRef } from './sandbox-client';

jest.setTimeout(30_000);

const NOW = new Date('2026-11-23T12:00:00.000Z');
type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
let sandbox: Sandbox;

// Time moves one second per reading, so every step happens after the one before it.
let tick = NOW.getTime();
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, clock: () => new Date((tick += 1_000)) });
});
afterAll(async () => sandbox.close());

const client = sandboxClient(() => sandbox.url, () => sandbox.state);
const { call, transitions, move, fieldId } = client;
const user = userRef;
const at = (hours: number) => new Date(NOW.getTime() + hours * 3_600_000).toISOString().replace('Z', '+0000');

const statusOf = async (key: string) => ((await call('compliance', 'GET', `/rest/api/3/issue/${key}?fields=status`)).body!.fields as { status: { name: string } }).status.name;

const createChange = (type: 'Normal' | 'Standard' | 'Emergency', risk: 'Low' | 'Medium' | 'High') => client.createChange(type, risk, `E2E ${type} change`);

const window = () => ({ [fieldId('Maintenance window start')]: at(-1), [fieldId('Maintenance window end')]: at(4) });
const evidence = () => ({ [fieldId('Implementation evidence')]: adf('Deploy job #9001') });
const verified = () => ({ [fieldId('Verification result')]: { value: 'Passed' } });

describe('the sandbox, end to end over HTTP', () => {
  it('answers the README curl in Jira shape, and refuses unknown users', async () => {
    const res = await call('approver', 'POST', '/rest/api/3/search/jql', { jql: 'project = CHG' });
    expect(res.status).toBe(200);
    expect((res.body!.issues as unknown[]).length).toBeGreaterThanOrEqual(30);
    expect(res.body).not.toHaveProperty('total');
    expect((await call(null, 'GET', '/rest/api/3/myself')).status).toBe(401);
  });

  it('hides Approve from the implementer but shows it to the approver', async () => {
    const key = await createChange('Normal', 'Medium');
    expect((await move('requester', key, 'Submit for assessment')).status).toBe(204);
    expect((await transitions('implementer', key)).map((t) => t.name)).not.toContain('Approve');
    expect((await transitions('approver', key)).map((t) => t.name)).toContain('Approve');
  });

  it('blocks an approver who is also the implementer, with a message saying who must approve', async () => {
    const key = await createChange('Normal', 'Medium');
    await move('requester', key, 'Submit for assessment');
    // Even with the condition bypassed by posting the transition id directly, the validator refuses.
    const approveId = (await transitions('approver', key)).find((t) => t.name === 'Approve')!.id;
    const res = await call('approver', 'POST', `/rest/api/3/issue/${key}/transitions`, {
      transition: { id: approveId },
      fields: { [fieldId('Implementer')]: user('approver') },
    });
    expect(res.status).toBe(400);
    expect((res.body!.errorMessages as string[]).join(' ')).toMatch(/implementer may not Approve: someone else must approve/);
    expect(await statusOf(key)).toBe('Assessment');
  });

  it('takes a normal change through the whole lifecycle with the right people, and records the evidence', async () => {
    const key = await createChange('Normal', 'Medium');
    expect((await move('requester', key, 'Submit for assessment')).status).toBe(204);
    expect((await move('approver', key, 'Approve')).status).toBe(204);
    expect((await move('requester', key, 'Schedule', window())).status).toBe(204);
    expect((await move('implementer', key, 'Mark implemented', evidence())).status).toBe(204);
    expect((await move('verifier', key, 'Verify and close', verified())).status).toBe(204);
    expect(await statusOf(key)).toBe('Closed');
    const prop = await call('compliance', 'GET', `/rest/api/3/issue/${key}/properties/cc81.evidence`);
    expect((prop.body!.value as { records: { edge: string }[] }).records.map((r) => r.edge)).toEqual(['approve', 'implement', 'close']);
  });

  it('takes a standard change through its template shortcut', async () => {
    const key = await createChange('Standard', 'Low');
    expect((await move('requester', key, 'Schedule standard change', window())).status).toBe(204);
    expect((await move('implementer', key, 'Mark implemented', evidence())).status).toBe(204);
    expect((await move('verifier', key, 'Verify and close', verified())).status).toBe(204);
    expect(await statusOf(key)).toBe('Closed');
  });

  it('takes an emergency change through implement, post-hoc approval and close', async () => {
    const key = await createChange('Emergency', 'High');
    expect((await move('implementer', key, 'Emergency implement', evidence())).status).toBe(204);
    const early = await move('verifier', key, 'Verify and close', verified());
    expect(early.status).toBe(400);
    expect((early.body!.errorMessages as string[]).join(' ')).toMatch(/post-hoc approval/);
    expect(await move('implementer', key, 'Post-hoc approve')).toEqual({ status: 'hidden', body: null });
    expect((await move('approver', key, 'Post-hoc approve')).status).toBe(204);
    expect((await move('verifier', key, 'Verify and close', verified())).status).toBe(204);
    expect(await statusOf(key)).toBe('Closed');
  });

  it('blocks implementation when a material field changed after approval (history gate)', async () => {
    const key = await createChange('Normal', 'Medium');
    await move('requester', key, 'Submit for assessment');
    await move('approver', key, 'Approve');
    await move('requester', key, 'Schedule', window());
    expect((await call('requester', 'PUT', `/rest/api/3/issue/${key}`, { fields: { [fieldId('Rollback plan')]: adf('Hope') } })).status).toBe(204);
    const res = await move('implementer', key, 'Mark implemented', evidence());
    expect(res.status).toBe(400);
    expect((res.body!.errorMessages as string[]).join(' ')).toMatch(/Rollback plan changed after approval/);
  });

  it('pages JQL results so every issue comes back exactly once', async () => {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const res = await call('compliance', 'POST', '/rest/api/3/search/jql', { jql: 'project = CHG ORDER BY key ASC', maxResults: 7, fields: ['summary'], nextPageToken: token });
      expect(res.status).toBe(200);
      keys.push(...(res.body!.issues as { key: string }[]).map((i) => i.key));
      token = res.body!.nextPageToken as string | undefined;
    } while (token);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toHaveLength(sandbox.state.issues.length);
  });
});
