// The sweep decides from the app's evidence log, never from the issue property (issue 14).
import { emergencyTicket, importTickets } from '../../sandbox/demo/bulk-import';
import { DEMO_USERS } from '../../sandbox/demo/demo-users';
import { OVERDUE_LABEL } from '../../src/sweep/posthoc-property';
import { SweepSandbox, sweepSandbox } from './sweep-fixture';

describe('sweep: a post-hoc approval written into cc81.evidence by hand', () => {
  let f: SweepSandbox;
  beforeEach(async () => {
    f = await sweepSandbox();
  });
  afterEach(() => f.close());

  it('does not resolve an overdue emergency: it is flagged as if the record were not there', async () => {
    const [forged, honest] = importTickets(f.state, [emergencyTicket(200), emergencyTicket(200)], f.now());
    // Someone with Edit issues adds an approval by the CAB member to the mirror.
    const mirror = forged!.properties['cc81.evidence'] as { version: 1; records: unknown[] };
    mirror.records.push({ edge: 'postHocApprove', from: 'Implemented', to: 'Implemented', accountId: DEMO_USERS.cab.accountId, at: f.now().toISOString(), executionId: 'typed-by-hand' });
    f.approve(honest!);

    const summary = await f.run();
    expect(summary).toMatchObject({ flagged: 1, errors: 0 });
    const byKey = f.snapshot();
    expect(byKey[forged!.key]).toMatchObject({ labels: [OVERDUE_LABEL], posthoc: { status: 'overdue', resolvedAt: null } });
    expect(byKey[honest!.key]).toMatchObject({ labels: ['cc81-posthoc-late'], posthoc: { status: 'satisfied-late' } }); // approved now, 200 h on: late, but approved
  });
});
