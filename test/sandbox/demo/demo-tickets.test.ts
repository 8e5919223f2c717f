import { FINDING_CODES, auditChange } from '../../../src/domain';
import { ChangelogSchema, IssueSchema } from '../../../src/jira/schemas';
import { mapChange } from '../../../src/jira/map-change';
import { DEMO_TICKETS } from '../../../sandbox/demo/demo-tickets';
import { demoUsers } from '../../../sandbox/demo/demo-users';
import { seedDemo } from '../../../sandbox/demo/seed-demo';
import { createSandboxState } from '../../../sandbox/state/sandbox-state';
import { createMemoryKvs } from '../../../sandbox/forge-runtime/memory-kvs';
import { seedEvidenceLog } from '../../../sandbox/forge-runtime/seed-evidence-log';
import { logEvidence, readEvidenceWithNote } from '../../../src/evidence-log/evidence-log';
import { compareEvidence } from '../../../src/evidence-log/evidence-integrity';
import { checkSeal, signingKeyOf } from '../../../src/evidence-log/mirror-seal';

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
    expect(FINDING_CODES.filter((c) => !covered.has(c))).toEqual(['WINDOW_INVALID', 'ACTOR_UNKNOWN', 'SOD_RELAXATION_USED']);
    expect(state.issues).toHaveLength(DEMO_TICKETS.length);
  });

  // Read back as the app reads a real site: the REST mapper, the evidence from the app's log, the mirror compared with it.
  const store = createMemoryKvs();
  const logged = seedEvidenceLog(store, state.appEvidence);
  it.each(DEMO_TICKETS.map((t, i) => ({ summary: t.summary, expected: [...t.expected].sort(), index: i })))(
    '$summary → $expected',
    async ({ index, expected }) => {
      await logged;
      const issue = state.issues[index]!;
      const reading = await readEvidenceWithNote(store, issue.id);
      const mapped = mapChange(
        {
          issue: IssueSchema.parse({ id: issue.id, key: issue.key, fields: issue.fields, properties: issue.properties }),
          histories: issue.changelog.map((h) => ChangelogSchema.parse(h)),
          evidence: logEvidence(reading),
        },
        state.policy,
      );
      const change = { ...mapped.change, integrity: compareEvidence(reading, issue.properties['cc81.evidence'], NOW, reading.note) };
      const codes = [...new Set(auditChange(change, mapped.history, state.policy, NOW).map((f) => f.code))].sort();
      expect(codes).toEqual(expected);
    },
  );

  it('seals every untampered mirror with the app\'s key; the tampered ones fail the check', () => {
    const publicKey = signingKeyOf(state.appSigningKey).publicKey;
    DEMO_TICKETS.forEach((ticket, index) => {
      const issue = state.issues[index]!;
      if (issue.properties['cc81.evidence'] === undefined) return;
      expect({ key: issue.key, sealed: checkSeal(issue.properties['cc81.evidence'], issue.id, publicKey).sealed }).toEqual({ key: issue.key, sealed: !ticket.tamper });
    });
  });

  it('keeps post-hoc approvals only in the evidence property, as Jira would', () => {
    const late = state.issues[DEMO_TICKETS.findIndex((t) => t.expected.includes('EMERGENCY_POSTHOC_LATE'))]!;
    const loopItems = late.changelog.flatMap((h) => h.items).filter((i) => i.fieldId === 'status' && i.from === i.to);
    expect(loopItems).toEqual([]);
    expect(late.properties['cc81.evidence']).toMatchObject({ records: expect.arrayContaining([expect.objectContaining({ edge: 'postHocApprove' })]) });
  });
});
