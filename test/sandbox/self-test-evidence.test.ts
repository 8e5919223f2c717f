// The daily self-test on the demo site: every chain verifies, and the mirrors users edited are named (issue 14).
import { DEMO_TICKETS } from '../../sandbox/demo/demo-tickets';
import { startSandbox } from '../../sandbox/start-sandbox';
import { SELF_TEST_KEY } from '../../src/forge/create-admin-resolver';
import { SelfTestReportSchema } from '../../src/shared/admin-contract';

jest.setTimeout(30_000);

it('the self-test verifies every demo chain and names exactly the tampered tickets', async () => {
  const sandbox = await startSandbox({ port: 0, clock: () => new Date('2026-11-23T12:00:00.000Z'), triggerIntervalMs: 0, eventsIntervalMs: 0, routerLog: () => undefined });
  try {
    const invocation = await sandbox.runtime.runScheduledTrigger('self-test');
    expect(invocation).toMatchObject({ errorName: null });
    const report = SelfTestReportSchema.parse(await sandbox.runtime.store.get(SELF_TEST_KEY));
    const check = report.checks.find((c) => c.id === 'evidence-log')!;
    const withLog = new Set(sandbox.state.appEvidence.map((e) => e.issueId)).size;
    expect(check.status).toBe('fail');
    expect(check.details.slice(0, 2)).toEqual([`${withLog} issue logs verified.`, `${withLog} evidence mirrors compared with the logs.`]);
    const named = check.details.flatMap((d) => /^Issue id (\d+):/.exec(d)?.[1] ?? []).sort();
    const tampered = DEMO_TICKETS.flatMap((t, i) => (t.tamper ? [sandbox.state.issues[i]!.id] : [])).sort();
    expect(named).toEqual(tampered);
    expect(check.fix).toMatch(/edited the evidence shown on these issues/);
  } finally {
    await sandbox.close();
  }
});
