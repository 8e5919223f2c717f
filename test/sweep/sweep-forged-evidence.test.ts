// The sweep decides from the app's evidence log, never from the issue property (issue 14).
import { emergencyTicket, importTickets } from '../../sandbox/demo/bulk-import';
import { DEMO_USERS } from '../../sandbox/demo/demo-users';
import { OVERDUE_LABEL, TAMPERED_LABEL } from '../../src/sweep/posthoc-property';
import { SweepSandbox, sweepSandbox } from './sweep-fixture';
import { readTamperNote } from '../../src/evidence-log/tamper-note';

describe('sweep: a post-hoc approval written into cc81.evidence by hand', () => {
  let f: SweepSandbox;
  beforeEach(async () => {
    f = await sweepSandbox();
  });
  afterEach(() => f.close());

  it('does not resolve an overdue emergency: it is flagged as if the record were not there, and reported as tampered', async () => {
    const [forged, honest] = importTickets(f.state, [emergencyTicket(200), emergencyTicket(200)], f.now());
    // Someone with Edit issues adds an approval by the CAB member to the mirror.
    const mirror = forged!.properties['cc81.evidence'] as { version: 1; records: unknown[] };
    mirror.records.push({ edge: 'postHocApprove', from: 'Implemented', to: 'Implemented', accountId: DEMO_USERS.cab.accountId, at: f.now().toISOString(), executionId: 'typed-by-hand' });
    f.approve(honest!);

    const summary = await f.run();
    expect(summary).toMatchObject({ flagged: 1, tampered: 1, errors: 0 });
    const byKey = f.snapshot();
    expect(byKey[forged!.key]).toMatchObject({ labels: [TAMPERED_LABEL, OVERDUE_LABEL], comments: 2, posthoc: { status: 'overdue', resolvedAt: null, tamperDifferences: 1 } });
    const tamperComment = JSON.stringify(forged!.comments[0]);
    expect(tamperComment).toContain(`by ${DEMO_USERS.cab.accountId} at ${f.now().toISOString()} is on the issue but not in the app's log`);
    expect(byKey[honest!.key]).toMatchObject({ labels: ['cc81-posthoc-late'], posthoc: { status: 'satisfied-late' } }); // approved now, 200 h on: late, but approved
  });
});

describe('sweep: tampering reported once, and remembered', () => {
  let f: SweepSandbox;
  beforeEach(async () => {
    f = await sweepSandbox();
  });
  afterEach(() => f.close());

  it('comments once per new difference; a mirror put back as it was stays reported', async () => {
    const [issue] = importTickets(f.state, [emergencyTicket(10, 5)], f.now());
    const mirror = issue!.properties['cc81.evidence'] as { version: 1; records: unknown[] };
    const original = structuredClone(mirror);
    mirror.records.pop(); // the post-hoc approval, removed by hand

    expect(await f.run()).toMatchObject({ tampered: 1, resolved: 1 });
    expect(await f.run()).toMatchObject({ tampered: 0 });
    expect(issue!.comments).toHaveLength(1);

    issue!.properties['cc81.evidence'] = original;
    expect(await f.run()).toMatchObject({ tampered: 0 });
    expect(issue!.fields.labels).toEqual([TAMPERED_LABEL]);
    const note = await readTamperNote(f.sandbox.runtime.store, issue!.id);
    expect(note.noted.map((n) => [n.seenBy, n.difference])).toEqual([['sweep', expect.stringMatching(/^the step Implemented → Implemented by .* is in the app's log but was removed from the issue$/)]]);

    (issue!.properties['cc81.evidence'] as { records: Array<{ accountId: string }> }).records[0]!.accountId = DEMO_USERS.cab.accountId;
    expect(await f.run()).toMatchObject({ tampered: 1 });
    expect(issue!.comments).toHaveLength(2);
  });
});
