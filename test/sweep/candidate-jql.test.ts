import { NotConfiguredError } from '../../src/shared/app-error';
import { candidateJql, jqlField } from '../../src/sweep/candidate-jql';
import { aMappedPolicy } from '../builders/mapped-policy.builder';

/** Field ids are validated by the policy schema; `jqlField` still quotes defensively (no JQL injection through an id). */
describe('jqlField', () => {
  it.each([
    { fieldId: 'customfield_10040', jql: 'cf[10040]' },
    { fieldId: 'priority', jql: '"priority"' },
    { fieldId: 'say "when"', jql: '"say \\"when\\""' },
    { fieldId: 'back\\slash', jql: '"back\\\\slash"' },
    { fieldId: 'both\\"', jql: '"both\\\\\\""' },
  ])('references $fieldId as $jql', ({ fieldId, jql }) => {
    expect(jqlField(fieldId)).toBe(jql);
  });
});

describe('candidateJql', () => {
  const mapped = aMappedPolicy();
  const without = <T extends object>(record: T, key: keyof T): T => Object.fromEntries(Object.entries(record).filter(([k]) => k !== key)) as T;
  it.each([
    { name: 'the Change type field', unmapped: { ...mapped, fields: without(mapped.fields, 'changeType') } },
    { name: 'the Implemented status', unmapped: { ...mapped, statuses: without(mapped.statuses, 'Implemented') } },
    { name: 'the Draft status', unmapped: { ...mapped, statuses: without(mapped.statuses, 'Draft') } },
    { name: 'the Assessment status', unmapped: { ...mapped, statuses: without(mapped.statuses, 'Assessment') } },
  ])('is not configured without $name, and says what to map and where', ({ unmapped }) => {
    let error: unknown = null;
    try {
      candidateJql(unmapped);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NotConfiguredError);
    expect((error as NotConfiguredError).message).toMatch(/Change type field and the Draft, Assessment and Implemented statuses/);
    expect((error as NotConfiguredError).whatToDo).toMatch(/admin page/);
  });
});

describe('candidateJql: how the change was implemented, never what its type is now', () => {
  const policy = { ...aMappedPolicy(), statuses: { ...aMappedPolicy().statuses, Draft: '1', Assessment: '2', Implemented: '5' } };

  it('asks for the emergency shortcuts (Draft or Assessment straight to Implemented) in the last 30 days', () => {
    expect(candidateJql(policy)).toBe(
      '(status CHANGED FROM "1" TO "5" AFTER "-30d" OR status CHANGED FROM "2" TO "5" AFTER "-30d")',
    );
  });

  it('names neither the change type field nor any issue property', () => {
    const jql = candidateJql(policy);
    expect(jql).not.toContain(jqlField(policy.fields.changeType!));
    expect(jql).not.toMatch(/cc81|posthoc|evidence/i);
  });
});
