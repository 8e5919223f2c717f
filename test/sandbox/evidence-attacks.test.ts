/**
 * Issue 14's attack table (and issue 15's, at the end): a hostile but ordinary user (Edit issues, no admin) works over REST on the
 * sandbox with the app running. Each attack is blocked, or it goes through and the panel, the sweep
 * and `cc81 audit` (with the app's evidence key) report it. Nothing passes silently.
 */
import { runCli } from '../../cli/run-cli';
import { DEMO_USERS, DemoRole } from '../../sandbox/demo/demo-users';
import { startSandbox } from '../../sandbox/start-sandbox';
import { adf, sandboxClient, userRef } from './sandbox-client';
import { readEvidenceWithNote } from '../../src/evidence-log/evidence-log';
import { exportPublicKey, signingKeyOf } from '../../src/evidence-log/mirror-seal';
import type { AuditReport } from '../../src/evidence/audit-report.builder';
import type { PanelView } from '../../src/shared/panel-contract';
import { compliancePanelView } from './panel-view';
import { SELF_TEST_KEY } from '../../src/forge/create-admin-resolver';
import { SelfTestReportSchema } from '../../src/shared/admin-contract';
import { OVERDUE_LABEL, TAMPERED_LABEL } from '../../src/sweep/posthoc-property';
import { memoryIo, tempDir, writeJson } from '../cli/cli-fixture';

jest.setTimeout(60_000);

const START = new Date('2026-11-23T12:00:00.000Z');
const DAY = 24 * 3_600_000;
type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
let sandbox: Sandbox;
// Each reading moves one second on; `later` jumps ahead.
let tick = START.getTime();
const later = (ms: number) => void (tick += ms);

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, clock: () => new Date((tick += 1_000)), triggerIntervalMs: 0, eventsIntervalMs: 0, routerLog: () => undefined });
});
afterAll(async () => sandbox.close());

const client = sandboxClient(() => sandbox.url, () => sandbox.state);
const { call, fieldId } = client;
const user = userRef;
const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');

const move = async (as: DemoRole, key: string, name: string, fields: Record<string, unknown> = {}) => {
  const res = await client.move(as, key, name, fields);
  return { status: res.status, message: ((res.body?.errorMessages as string[] | undefined) ?? []).join(' ') };
};

const createChange = (type: 'Normal' | 'Emergency') => client.createChange(type, 'Medium', `Attack on a ${type} change`);
const idOf = (key: string) => sandbox.state.issues.find((i) => i.key === key)!.id;
const evidenceField = () => ({ [fieldId('Implementation evidence')]: adf('Deploy job #9001') });
const window = () => ({ [fieldId('Maintenance window start')]: iso(tick - 3_600_000), [fieldId('Maintenance window end')]: iso(tick + 4 * 3_600_000) });

const emergencyImplemented = async () => {
  const key = await createChange('Emergency');
  expect((await move('implementer', key, 'Emergency implement', evidenceField())).status).toBe(204);
  return key;
};
const normalClosedPath = async (upTo: 'Implemented' | 'Closed') => {
  const key = await createChange('Normal');
  expect((await move('requester', key, 'Submit for assessment')).status).toBe(204);
  expect((await move('approver', key, 'Approve')).status).toBe(204);
  expect((await move('requester', key, 'Schedule', window())).status).toBe(204);
  expect((await move('implementer', key, 'Mark implemented', evidenceField())).status).toBe(204);
  if (upTo === 'Closed') expect((await move('verifier', key, 'Verify and close', { [fieldId('Verification result')]: { value: 'Passed' } })).status).toBe(204);
  return key;
};

const mirrorOf = async (key: string) => (await call('implementer', 'GET', `/rest/api/3/issue/${key}/properties/cc81.evidence`)).body!.value as { records: Record<string, unknown>[] };
const writeMirror = (key: string, value: unknown) => call('implementer', 'PUT', `/rest/api/3/issue/${key}/properties/cc81.evidence`, value);

/** What the compliance lead's panel shows. */
const panelView = (key: string): Promise<PanelView> => compliancePanelView(sandbox, key, () => new Date(tick));
/** What the compliance lead's panel reports (finding codes). */
const panelCodes = async (key: string): Promise<string[]> => (await panelView(key)).findings.map((f) => f.code);

/** What `cc81 audit --evidence-key` reports for one ticket. */
const auditCodes = async (key: string): Promise<string[]> => {
  const dir = tempDir();
  const policyFile = writeJson(dir, 'policy.json', { version: 1, policy: sandbox.state.policy, updatedBy: null, updatedAt: START.toISOString() });
  const io = memoryIo(undefined, { now: () => new Date(tick) });
  const evidenceKey = exportPublicKey(signingKeyOf(sandbox.state.appSigningKey).publicKey);
  const code = await runCli(['audit', '--site', sandbox.url, '--jql', `key = ${key}`, '--policy', policyFile, '--from', '2026-01-01', '--to', '2027-12-31', '--evidence-key', evidenceKey, '--format', 'json'], io);
  expect(code).toBe(0);
  const report = JSON.parse(io.stdoutText) as AuditReport;
  return report.tickets.find((t) => t.key === key)!.findings.map((f) => f.code);
};

const sweep = () => sandbox.runtime.runScheduledTrigger('posthoc-sweep');
const labelsOf = (key: string) => (sandbox.state.issues.find((i) => i.key === key)!.fields.labels as string[]) ?? [];

describe('attacks over REST by ordinary users (issue 14)', () => {
  it('a post-hoc approval written into cc81.evidence, then Close: Close is blocked; panel and audit report the tampering', async () => {
    const key = await emergencyImplemented();
    const mirror = await mirrorOf(key);
    const forged = { edge: 'postHocApprove', from: 'Implemented', to: 'Implemented', accountId: DEMO_USERS.cab.accountId, at: new Date(tick).toISOString(), executionId: 'typed-by-hand' };
    expect((await writeMirror(key, { ...mirror, records: [...mirror.records, forged] })).status).toBe(200);
    const close = await move('verifier', key, 'Verify and close', { [fieldId('Verification result')]: { value: 'Passed' } });
    expect(close.status).toBe(400);
    expect(close.message).toMatch(/post-hoc approval/);
    expect(await panelCodes(key)).toContain('EVIDENCE_TAMPERED');
    expect(await auditCodes(key)).toContain('EVIDENCE_TAMPERED');
  });

  it('the implementation record wiped from the mirror, then the implementer closes: blocked; the deletion stays reported after the next step rewrites the mirror', async () => {
    const key = await normalClosedPath('Implemented');
    expect((await call('implementer', 'DELETE', `/rest/api/3/issue/${key}/properties/cc81.evidence`)).status).toBe(204);
    const selfVerify = await move('implementer', key, 'Verify and close', { [fieldId('Verification result')]: { value: 'Passed' } });
    expect(selfVerify.status === 'hidden' || selfVerify.status === 400).toBe(true);
    later(10 * 60_000); // past the grace period for a mirror write on its way
    expect(await panelCodes(key)).toContain('EVIDENCE_TAMPERED');
    // The verifier closes: the recorder rewrites the mirror whole, and notes what it found first.
    expect((await move('verifier', key, 'Verify and close', { [fieldId('Verification result')]: { value: 'Passed' } })).status).toBe(204);
    expect((await mirrorOf(key)).records.map((r) => r.edge)).toEqual(['approve', 'implement', 'close']);
    expect(await panelCodes(key)).toContain('EVIDENCE_TAMPERED');
  });

  it('an overdue emergency marked resolved in cc81.posthoc, reclassified as Normal and stripped of its label: the sweep flags it and labels it again; the audit reports it', async () => {
    const key = await emergencyImplemented();
    expect((await call('implementer', 'PUT', `/rest/api/3/issue/${key}/properties/cc81.posthoc`, { version: 1, status: 'satisfied-on-time', resolvedAt: new Date(tick).toISOString() })).status).toBe(201);
    later(30 * DAY);
    await sweep();
    expect(labelsOf(key)).toContain(OVERDUE_LABEL);
    expect((await call('implementer', 'PUT', `/rest/api/3/issue/${key}`, { fields: { [fieldId('Change type')]: { value: 'Normal' } }, update: { labels: [{ remove: OVERDUE_LABEL }] } })).status).toBe(204);
    expect(labelsOf(key)).not.toContain(OVERDUE_LABEL);
    later(3_600_000);
    await sweep();
    expect(labelsOf(key)).toContain(OVERDUE_LABEL);
    expect(await panelCodes(key)).toContain('EMERGENCY_POSTHOC_MISSING');
    expect(await auditCodes(key)).toContain('EMERGENCY_POSTHOC_MISSING');
  });

  it('an approver rewritten in the mirror: the sweep labels it tampered once, the panel and audit report it', async () => {
    const key = await emergencyImplemented();
    expect((await move('approver', key, 'Post-hoc approve')).status).toBe(204);
    const mirror = await mirrorOf(key);
    expect((await writeMirror(key, { ...mirror, records: mirror.records.map((r) => (r.edge === 'postHocApprove' ? { ...r, accountId: DEMO_USERS.cab.accountId } : r)) })).status).toBe(200);
    await sweep();
    expect(labelsOf(key)).toContain(TAMPERED_LABEL);
    const comments = sandbox.state.issues.find((i) => i.key === key)!.comments.length;
    later(3_600_000);
    await sweep();
    expect(sandbox.state.issues.find((i) => i.key === key)!.comments).toHaveLength(comments);
    expect(await panelCodes(key)).toContain('EVIDENCE_TAMPERED');
    expect(await auditCodes(key)).toContain('EVIDENCE_TAMPERED');
  });

  it('an approval reused across a send-back: the approved path is gone until someone approves again', async () => {
    const key = await createChange('Normal');
    expect((await move('requester', key, 'Submit for assessment')).status).toBe(204);
    expect((await move('approver', key, 'Approve')).status).toBe(204);
    expect((await move('requester', key, 'Re-assess')).status).toBe(204);
    expect((await move('requester', key, 'Schedule', window())).status).toBe('hidden');
    expect((await move('implementer', key, 'Mark implemented', evidenceField())).status).toBe('hidden');
  });

  it('a material field edited on the Implement screen: blocked, saying why', async () => {
    const key = await createChange('Normal');
    await move('requester', key, 'Submit for assessment');
    await move('approver', key, 'Approve');
    await move('requester', key, 'Schedule', window());
    const implement = await move('implementer', key, 'Mark implemented', { ...evidenceField(), [fieldId('Rollback plan')]: adf('none') });
    expect(implement).toEqual({ status: 400, message: expect.stringMatching(/Rollback plan changed after approval/) });
    expect(labelsOf(key)).toEqual([]);
  });

  it('the implementer field swapped just before approving, to approve one\'s own change: the implementation is blocked either way', async () => {
    const key = await createChange('Normal');
    await move('requester', key, 'Submit for assessment');
    // The approver, who means to implement it, names someone else as implementer, then approves.
    expect((await call('approver', 'PUT', `/rest/api/3/issue/${key}`, { fields: { [fieldId('Implementer')]: user('implementer') } })).status).toBe(204);
    expect((await move('approver', key, 'Approve')).status).toBe(204);
    await move('requester', key, 'Schedule', window());
    // Implementing as someone other than the named implementer is not offered …
    expect(await move('approver', key, 'Mark implemented', evidenceField())).toEqual({ status: 'hidden', message: '' });
    // … and naming oneself after the approval voids it.
    expect((await call('approver', 'PUT', `/rest/api/3/issue/${key}`, { fields: { [fieldId('Implementer')]: user('approver') } })).status).toBe(204);
    const named = await move('approver', key, 'Mark implemented', evidenceField());
    expect(named.status).toBe(400);
    expect(named.message).toMatch(/approval on record was given by the implementer.*Implementer changed after approval/);
    expect(await panelCodes(key)).not.toContain('EVIDENCE_TAMPERED');
  });

  it('the implementer naming herself approver, to approve her own change: Approve is refused', async () => {
    const key = await createChange('Normal');
    await move('requester', key, 'Submit for assessment');
    expect((await call('implementer', 'PUT', `/rest/api/3/issue/${key}`, { fields: { [fieldId('Approver')]: user('implementer') } })).status).toBe(204);
    const own = await move('implementer', key, 'Approve');
    expect(own).toEqual({ status: 'hidden', message: '' });
    expect(sandbox.state.issues.find((i) => i.key === key)!.fields.status).toMatchObject({ name: 'Assessment' });
  });

  it('a deactivated user cannot act at all', async () => {
    const res = await call('former', 'GET', '/rest/api/3/myself');
    expect(res.status).toBe(401);
  });
});

describe('attacks from the edit screen (issue 15)', () => {
  it('the approver naming herself verifier, to verify her own approval: Close is not offered to her; the verifier may', async () => {
    const key = await normalClosedPath('Implemented');
    expect((await call('approver', 'PUT', `/rest/api/3/issue/${key}`, { fields: { [fieldId('Verifier')]: user('approver') } })).status).toBe(204);
    const closeFields = { [fieldId('Verification result')]: { value: 'Passed' } };
    expect(await move('approver', key, 'Verify and close', closeFields)).toEqual({ status: 'hidden', message: '' });
    expect((await call('requester', 'PUT', `/rest/api/3/issue/${key}`, { fields: { [fieldId('Verifier')]: user('verifier') } })).status).toBe(204);
    expect((await move('verifier', key, 'Verify and close', closeFields)).status).toBe(204);
  });

  it('the post-hoc approver verifying the emergency she approved: Close is not offered to her', async () => {
    const key = await emergencyImplemented();
    expect((await move('approver', key, 'Post-hoc approve')).status).toBe(204);
    expect((await call('approver', 'PUT', `/rest/api/3/issue/${key}`, { fields: { [fieldId('Verifier')]: user('approver') } })).status).toBe(204);
    expect(await move('approver', key, 'Verify and close', { [fieldId('Verification result')]: { value: 'Passed' } })).toEqual({ status: 'hidden', message: '' });
  });

  it('the requester naming herself approver, then approving: refused by the history gate, saying why', async () => {
    const key = await createChange('Normal');
    await move('requester', key, 'Submit for assessment');
    expect((await call('requester', 'PUT', `/rest/api/3/issue/${key}`, { fields: { [fieldId('Approver')]: user('requester') } })).status).toBe(204);
    const approve = await move('requester', key, 'Approve');
    expect(approve).toEqual({ status: 400, message: expect.stringMatching(/You named yourself approver: someone else must name the approver/) });
    // Re-typing the same name changes nothing (Jira records no edit); someone else naming her does.
    expect((await call('compliance', 'PUT', `/rest/api/3/issue/${key}`, { fields: { [fieldId('Approver')]: user('requester') } })).status).toBe(204);
    expect((await move('requester', key, 'Approve')).status).toBe(400);
    expect((await call('compliance', 'PUT', `/rest/api/3/issue/${key}`, { fields: { [fieldId('Approver')]: null } })).status).toBe(204);
    expect((await call('compliance', 'PUT', `/rest/api/3/issue/${key}`, { fields: { [fieldId('Approver')]: user('requester') } })).status).toBe(204);
    // Replacing the approver after Submit resets readiness: a new Submit first.
    expect(await move('requester', key, 'Approve')).toEqual({ status: 400, message: expect.stringMatching(/The approver was changed after the change was submitted .*send it back to Draft and submit it again/) });
    expect((await move('requester', key, 'Send back')).status).toBe(204);
    expect((await move('requester', key, 'Submit for assessment')).status).toBe(204);
    expect((await move('requester', key, 'Approve')).status).toBe(204);
  });

  it('the approver replaced after Submit by the requester, to have a friend approve: refused until the change is submitted again; the panel says why', async () => {
    const key = await createChange('Normal');
    expect((await move('requester', key, 'Submit for assessment')).status).toBe(204);
    expect((await call('requester', 'PUT', `/rest/api/3/issue/${key}`, { fields: { [fieldId('Approver')]: user('compliance') } })).status).toBe(204);
    expect((await move('compliance', key, 'Approve')).status).toBe(400);
    const readiness = (await panelView(key)).readiness.find((r) => r.edge === 'approve');
    expect(readiness?.reasons.join(' ')).toMatch(/The approver was changed after the change was submitted/);
    expect((await move('requester', key, 'Send back')).status).toBe(204);
    expect((await move('requester', key, 'Submit for assessment')).status).toBe(204);
    expect((await panelView(key)).readiness.find((r) => r.edge === 'approve')?.reasons.join(' ') ?? '').not.toMatch(/changed after the change was submitted/);
    expect((await move('compliance', key, 'Approve')).status).toBe(204);
  });

  it('the requester filing the change with herself as approver: the creator named her, so Approve is refused', async () => {
    const key = await client.createChange('Normal', 'Medium', 'Filed with herself as approver', { [fieldId('Approver')]: user('requester') });
    await move('requester', key, 'Submit for assessment');
    expect((await move('requester', key, 'Approve')).message).toMatch(/You named yourself approver/);
  });

  it('a compliance lead naming herself verifier, then closing: refused; the panel and the audit would report it', async () => {
    const key = await normalClosedPath('Implemented');
    expect((await call('compliance', 'PUT', `/rest/api/3/issue/${key}`, { fields: { [fieldId('Verifier')]: user('compliance') } })).status).toBe(204);
    const close = await move('compliance', key, 'Verify and close', { [fieldId('Verification result')]: { value: 'Passed' } });
    expect(close).toEqual({ status: 400, message: expect.stringMatching(/You named yourself verifier/) });
  });

  it('scope creep after the standard shortcut (risk High, production databases, rollback "none"): Mark implemented is refused, saying why', async () => {
    const key = await client.createChange('Standard', 'Low', 'Rotate API keys (standard)');
    expect((await move('requester', key, 'Schedule standard change', window())).status).toBe(204);
    const widened = await call('implementer', 'PUT', `/rest/api/3/issue/${key}`, {
      fields: { [fieldId('Risk rating')]: { value: 'High' }, [fieldId('Target systems')]: ['prod-db-1', 'prod-db-2'], [fieldId('Rollback plan')]: adf('none') },
    });
    expect(widened.status).toBe(204);
    const implement = await move('implementer', key, 'Mark implemented', evidenceField());
    expect(implement.status).toBe(400);
    for (const why of [/risk is now high, above what the standard template pre-approves/, /Target systems changed after the standard pre-approval/, /Rollback plan changed after the standard pre-approval/]) {
      expect(implement.message).toMatch(why);
    }
    expect(sandbox.state.issues.find((i) => i.key === key)!.fields.status).toMatchObject({ name: 'Scheduled' });
  });

  it('an emergency shortcut by a change typed Emergency for the purpose, then typed Normal again: the obligation stays; the sweep, the panel and the audit report it', async () => {
    const key = await createChange('Normal');
    const typed = (value: string) => call('implementer', 'PUT', `/rest/api/3/issue/${key}`, { fields: { [fieldId('Change type')]: { value } } });
    expect((await call('implementer', 'PUT', `/rest/api/3/issue/${key}`, { fields: { [fieldId('Emergency justification')]: 'INC-5150' } })).status).toBe(204);
    expect((await typed('Emergency')).status).toBe(204);
    expect((await move('implementer', key, 'Emergency implement', evidenceField())).status).toBe(204);
    expect((await typed('Normal')).status).toBe(204);
    later(73 * 3_600_000);
    await sweep();
    expect(labelsOf(key)).toContain(OVERDUE_LABEL);
    for (const codes of [await panelCodes(key), await auditCodes(key)]) {
      expect(codes).toEqual(expect.arrayContaining(['EMERGENCY_POSTHOC_MISSING', 'RECLASSIFIED_AFTER_IMPLEMENTATION']));
    }
  });

  it('the evidence recorder failing (app storage answers 500) on a post-hoc approval: nothing opens; the panel and the self-test show the step waiting; the retry records it with its time', async () => {
    const key = await emergencyImplemented();
    const id = idOf(key);
    sandbox.runtime.setStoreFault((operation, storeKey) => (operation === 'setIfAbsent' && storeKey.startsWith(`cc81:log:${id}:`) ? new Error('KVS answered 500') : null));
    const approvedAt = new Date(tick + 1_000).toISOString();
    // A post function cannot block: the transition goes through, and the approval is in no log yet.
    expect((await move('approver', key, 'Post-hoc approve')).status).toBe(204);
    const close = { [fieldId('Verification result')]: { value: 'Passed' } };
    expect((await move('verifier', key, 'Verify and close', close)).status).not.toBe(204);
    expect((await panelView(key)).unrecorded).toEqual([{ step: 'Post-hoc approve', at: expect.any(String), state: 'retrying', attempts: 1 }]);
    await sandbox.runtime.runScheduledTrigger('self-test');
    const waiting = SelfTestReportSchema.parse(await sandbox.runtime.store.get(SELF_TEST_KEY)).checks.find((c) => c.id === 'evidence-recording')!;
    expect(waiting).toMatchObject({ status: 'warn', details: [expect.stringContaining(`"Post-hoc approve" on ${key} (issue id ${id})`)] });

    sandbox.runtime.setStoreFault(null);
    later(2 * 60_000);
    expect(await sandbox.runtime.events.drain()).toMatchObject({ delivered: 1, retried: 0 });
    const records = (await readEvidenceWithNote(sandbox.runtime.store, id)).records;
    expect(records.map((r) => [r.edge, r.accountId])).toEqual([
      ['emergencyImplementFromDraft', DEMO_USERS.implementer.accountId],
      ['postHocApprove', DEMO_USERS.approver.accountId],
    ]);
    expect(Date.parse(records[1]!.at) - Date.parse(approvedAt)).toBeLessThan(5_000);
    expect((await panelView(key)).unrecorded).toEqual([]);
    expect((await move('verifier', key, 'Verify and close', close)).status).toBe(204);
  });

  it('the evidence recorder failing on Mark implemented: the implementer still cannot verify her own change (the changelog names her)', async () => {
    const fresh = await createChange('Normal');
    expect((await move('requester', fresh, 'Submit for assessment')).status).toBe(204);
    expect((await move('approver', fresh, 'Approve')).status).toBe(204);
    expect((await move('requester', fresh, 'Schedule', window())).status).toBe(204);
    sandbox.runtime.setStoreFault((operation, storeKey) => (operation === 'setIfAbsent' && storeKey.startsWith(`cc81:log:${idOf(fresh)}:`) ? new Error('KVS answered 429') : null));
    expect((await move('implementer', fresh, 'Mark implemented', evidenceField())).status).toBe(204);
    sandbox.runtime.setStoreFault(null);
    expect((await call('implementer', 'PUT', `/rest/api/3/issue/${fresh}`, { fields: { [fieldId('Verifier')]: user('implementer') } })).status).toBe(204);
    expect((await move('implementer', fresh, 'Verify and close', { [fieldId('Verification result')]: { value: 'Passed' } })).status).not.toBe(204);
  });

  it('"every Tuesday 02:00–04:00 UTC" used to implement on a Saturday: refused, naming the next window; an unreadable rule is refused at Schedule; the panel lists the next occurrences', async () => {
    const TUESDAYS = 'DTSTART:20260106T020000Z RRULE:FREQ=WEEKLY;BYDAY=TU DURATION:PT2H';
    const rw = fieldId('Recurring window');
    /** Moves the clock to the next `weekday` (0 = Sunday) at `minutes` past midnight UTC. */
    const toNext = (weekday: number, minutes: number) => {
      const now = new Date(tick);
      const target = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) + minutes * 60_000);
      while (target.getTime() <= tick || target.getUTCDay() !== weekday) target.setUTCDate(target.getUTCDate() + 1);
      later(target.getTime() - tick);
    };
    const key = await createChange('Normal');
    expect((await move('requester', key, 'Submit for assessment')).status).toBe(204);
    expect((await move('approver', key, 'Approve')).status).toBe(204);
    expect(await move('requester', key, 'Schedule', { [rw]: 'Every Tuesday 02:00-04:00 UTC' })).toEqual({ status: 400, message: expect.stringMatching(/^The recurring window cannot be read: "Every" is not part of a recurring window/) });
    expect((await move('requester', key, 'Schedule', { [rw]: TUESDAYS })).status).toBe(204);

    toNext(6, 12 * 60);
    const saturday = await move('implementer', key, 'Mark implemented', evidenceField());
    expect(saturday).toEqual({ status: 400, message: expect.stringMatching(/^This is outside the recurring maintenance window \(every week on Tuesday, from 02:00 for 2 h \(UTC\)\)\. The next one is \d{4}-\d\d-\d\dT02:00:00\.000Z to \d{4}-\d\d-\d\dT04:00:00\.000Z\./) });
    const panel = (await panelView(key)).recurringWindow!;
    expect(panel).toMatchObject({ text: TUESDAYS, problem: null, description: 'every week on Tuesday, from 02:00 for 2 h (UTC)' });
    expect(panel.next.map((o) => [new Date(o.start).getUTCDay(), o.start.slice(11), o.end.slice(11)])).toEqual(Array(3).fill([2, '02:00:00.000Z', '04:00:00.000Z']));

    toNext(2, 3 * 60);
    expect((await move('implementer', key, 'Mark implemented', evidenceField())).status).toBe(204);
    expect(await panelCodes(key)).not.toContain('OUTSIDE_WINDOW');
  });

  it('the evidence mirror padded to its 32 KB limit before a post-hoc approval: the approval is still logged and counts; the padding is reported', async () => {
    const key = await emergencyImplemented();
    later(10 * 60_000); // past the grace period in which a mirror may still lack a record
    const padding = 'x'.repeat(32_768 - JSON.stringify({ version: 1, records: [], note: '' }).length);
    expect((await writeMirror(key, { version: 1, records: [], note: padding })).status).toBe(200);
    expect((await move('approver', key, 'Post-hoc approve')).status).toBe(204);
    expect((await readEvidenceWithNote(sandbox.runtime.store, idOf(key))).records.map((r) => r.edge)).toEqual(['emergencyImplementFromDraft', 'postHocApprove']);
    expect((await mirrorOf(key)).records.map((r) => r.edge)).toEqual(['emergencyImplementFromDraft', 'postHocApprove']);
    expect((await move('verifier', key, 'Verify and close', { [fieldId('Verification result')]: { value: 'Passed' } })).status).toBe(204);
    expect(await panelCodes(key)).toContain('EVIDENCE_TAMPERED');
  });
});
