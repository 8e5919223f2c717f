// Issue 16, tickets from before the app: replay rebuilds each field's value at every step by
// walking back from today's, since the values an issue was created with are in no changelog.
// Property: for any edit sequence (nulls included, by active, deleted or missing authors), with its
// histories in any order and up to hundreds of them, the value at each moment is what the edits
// applied in time order give.
import fc from 'fast-check';
import { fieldsAt, rawFieldValue, sortHistory, type ChangeFields } from '../../src/domain';
import { mapChange } from '../../src/jira/map-change';
import { ChangelogSchema, IssueSchema } from '../../src/jira/schemas';
import { completeFields } from '../builders/change.builder';
import { at } from '../builders/clock';
import { aJiraChangelog, aSitePolicy, issueJson, type Author } from '../fakes/jira-json.builder';
import { seeded } from '../support/fc-seed';

const policy = aSitePolicy();

const arbRisk = fc.constantFrom<string | null>('low', 'medium', 'high', null);
const arbPerson = fc.constantFrom<string | null>('acc-a', 'acc-b', 'acc-c', null);
const arbSystems = fc.constantFrom<string | null>('api', 'api,db', 'db,edge', null);
const arbAuthor = fc.constantFrom<Author>('acc-requester', { deleted: 'acc-gone' }, null, 'corrupted');
const arbEdit = fc.oneof(
  fc.record({ field: fc.constant('risk' as const), to: arbRisk, by: arbAuthor }),
  fc.record({ field: fc.constant('implementer' as const), to: arbPerson, by: arbAuthor }),
  fc.record({ field: fc.constant('targetSystems' as const), to: arbSystems, by: arbAuthor }),
);
type Edit = { field: 'risk' | 'implementer' | 'targetSystems'; to: string | null; by: Author };

const domainOf = (field: Edit['field'], raw: string | null): ChangeFields[Edit['field']] => {
  if (raw === null) return null;
  if (field === 'implementer') return { accountId: raw };
  if (field === 'targetSystems') return raw.split(',');
  return raw as ChangeFields['risk'];
};

describe('replay walks back from today\'s values (property)', () => {
  it('gives, at every moment, the value the edits in time order give, whatever order the histories come in', () => {
    fc.assert(
      fc.property(
        fc.record({ risk: arbRisk, implementer: arbPerson, targetSystems: arbSystems }),
        fc.array(arbEdit, { maxLength: 300 }),
        fc.integer({ min: 0, max: 1_000 }),
        (created, edits, shuffleSeed) => {
          // Forward: the value after each edit (a no-op edit is not recorded, as in Jira).
          const value: Record<Edit['field'], string | null> = { ...created };
          const builder = aJiraChangelog();
          const timeline: { hour: number; snapshot: Record<Edit['field'], string | null> }[] = [];
          edits.forEach((edit: Edit, i) => {
            const from = value[edit.field];
            if (from === edit.to) return;
            const hour = 1 + i * 0.01;
            builder.edit(edit.field, from, edit.to, edit.by, hour);
            value[edit.field] = edit.to;
            timeline.push({ hour, snapshot: { ...value } });
          });
          const today = { ...completeFields(), risk: domainOf('risk', value.risk), implementer: domainOf('implementer', value.implementer), targetSystems: domainOf('targetSystems', value.targetSystems) } as ChangeFields;
          // Shuffled histories (a deterministic permutation).
          const histories = builder.build();
          const order = histories.map((h, i) => ({ h, k: (i * 7919 + shuffleSeed) % 1_009 })).sort((a, b) => a.k - b.k).map((x) => x.h);
          const mapped = mapChange({ issue: IssueSchema.parse(issueJson({ state: 'Draft', fields: today, created: at(0) })), histories: order.map((h) => ChangelogSchema.parse(h)) }, policy);
          const sorted = sortHistory(mapped.history);
          const expectAt = (hour: number, expected: Record<Edit['field'], string | null>) => {
            const then = fieldsAt(mapped.change.fields, sorted, at(hour));
            for (const field of ['risk', 'implementer', 'targetSystems'] as const) expect(rawFieldValue(then, field)).toBe(expected[field] === null ? null : expected[field]!.split(',').sort().join(','));
          };
          expectAt(0.5, created);
          for (const { hour, snapshot } of timeline) expectAt(hour, snapshot);
        },
      ),
      seeded({ numRuns: 60 }),
    );
  });
});
