import { FINDING_CODES, auditChange } from '../../../src/domain';
import { ChangelogSchema, IssueSchema } from '../../../src/jira/schemas';
import { mapChange } from '../../../src/jira/map-change';
import { DEMO_TICKETS } from '../../../sandbox/demo/demo-tickets';
import { demoUsers } from '../../../sandbox/demo/demo-users';
import { seedDemo } from '../../../sandbox/demo/seed-demo';
import { createSandboxState } from '../../../sandbox/state/sandbox-state';

const NOW = new Date('2026-11-23T12:00:00.000Z');

const seeded = () => {
  const state = createSandboxState(demoUsers());
  seedDemo(state, NOW);
  return state;
};

describe('sandbox demo data', () => {
  const state = seeded();

  it('has about 30 tickets in every state and on every path', () => {
    expect(state.issues.length).toBeGreaterThanOrEqual(28);
    const statuses = new Set(state.issues.map((i) => (i.fields.status as { name: string }).name));
    expect([...statuses].sort()).toEqual(['Approved', 'Assessment', 'Closed', 'Draft', 'Implemented', 'Scheduled']);
    expect(new Set(DEMO_TICKETS.map((t) => t.type))).toEqual(new Set(['normal', 'standard', 'emergency']));
  });

  it('covers every finding code of the design, except the notice-only relaxation', () => {
    const covered = new Set(DEMO_TICKETS.flatMap((t) => t.expected));
    expect(FINDING_CODES.filter((c) => !covered.has(c))).toEqual(['WINDOW_INVALID', 'ACTOR_UNKNOWN', 'EVIDENCE_TAMPERED', 'SOD_RELAXATION_USED']);
    expect(state.issues).toHaveLength(DEMO_TICKETS.length);
  });

  // Read back through the app's own REST mapper, as the audit and the panel will read a real site.
  it.each(DEMO_TICKETS.map((t, i) => ({ summary: t.summary, expected: [...t.expected].sort(), index: i })))(
    '$summary → $expected',
    ({ index, expected }) => {
      const issue = state.issues[index]!;
      const mapped = mapChange(
        {
          issue: IssueSchema.parse({ id: issue.id, key: issue.key, fields: issue.fields, properties: issue.properties }),
          histories: issue.changelog.map((h) => ChangelogSchema.parse(h)),
        },
        state.policy,
      );
      const codes = [...new Set(auditChange(mapped.change, mapped.history, state.policy, NOW).map((f) => f.code))].sort();
      expect(codes).toEqual(expected);
    },
  );

  it('keeps post-hoc approvals only in the evidence property, as Jira would', () => {
    const late = state.issues[DEMO_TICKETS.findIndex((t) => t.expected.includes('EMERGENCY_POSTHOC_LATE'))]!;
    const loopItems = late.changelog.flatMap((h) => h.items).filter((i) => i.fieldId === 'status' && i.from === i.to);
    expect(loopItems).toEqual([]);
    expect(late.properties['cc81.evidence']).toMatchObject({ records: expect.arrayContaining([expect.objectContaining({ edge: 'postHocApprove' })]) });
  });
});
