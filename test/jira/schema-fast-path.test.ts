/**
 * The hand-written fast paths in schemas.ts against the zod schemas they stand in for: on generated
 * valid and malformed input, a fast path gives up (FALLBACK) exactly when the schema rejects, and
 * otherwise builds the schema's output: same keys in the same order, same values.
 */
import fc from 'fast-check';
import { z } from 'zod';
import { adfToText } from '../../src/jira/field-value';
import {
  AdfNodeSchema,
  ChangeItemSchema,
  ChangelogSchema,
  FALLBACK,
  fastChangeItem,
  fastChangelog,
  fastChangelogs,
  fastCoreFields,
  fastIssue,
  fastIssueTimes,
  fastJiraUser,
  fastLabels,
  fastOptionLabel,
  fastUserValue,
  isAdfNode,
  IssueCoreFieldsSchema,
  IssueSchema,
  IssueTimesSchema,
  JiraUserSchema,
  LabelsValueSchema,
  OptionValueSchema,
  UserValueSchema,
} from '../../src/jira/schemas';

/** A value with its key order made visible (toStrictEqual ignores the order of keys). */
const described = (value: unknown): unknown => {
  if (value instanceof Date) return { date: value.getTime() };
  if (Array.isArray(value)) return value.map(described);
  if (value !== null && typeof value === 'object') return Object.keys(value).map((key) => [key, described((value as Record<string, unknown>)[key])]);
  return value === undefined ? { undefined: true } : value;
};

/** The fast path agrees with the schema: FALLBACK exactly when it rejects, else the same output. */
const agrees = <T>(schema: z.ZodType<T>, fast: (input: unknown) => T | typeof FALLBACK, input: unknown) => {
  const expected = schema.safeParse(input);
  const actual = fast(input);
  if (!expected.success) {
    expect(actual).toBe(FALLBACK);
    return;
  }
  expect(actual).not.toBe(FALLBACK);
  expect(actual).toStrictEqual(expected.data);
  expect(described(actual)).toEqual(described(expected.data));
};

/** Sometimes absent, sometimes present but undefined, else one of `values`. */
const slot = (values: fc.Arbitrary<unknown>) => fc.oneof({ weight: 1, arbitrary: fc.constant(undefined) }, { weight: 6, arbitrary: values });
/** An object of optional properties: each key absent or present. */
const partial = (props: Record<string, fc.Arbitrary<unknown>>) => fc.record(props, { requiredKeys: [] });

const odd = fc.oneof(fc.integer(), fc.boolean(), fc.constant({}), fc.constant([]), fc.double());
const text = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('10000', '10001', 'status', 'customfield_10046', ''));
const nullishText = fc.oneof({ weight: 8, arbitrary: fc.oneof(text, fc.constant(null)) }, { weight: 1, arbitrary: odd });

const validTimestamp = fc.oneof(
  fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2090-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString().replace('Z', '+0000')),
  fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2090-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('2026-03-31T23:10:00.000+0100', '2026-02-29T10:00:00.000-0530', '2026-03-15T23:10:00+00:00', '2026-03-15', ' 2026-03-15T23:10:00.000Z '),
  fc.integer({ min: 0, max: 4_000_000_000_000 }),
);
const timestamp = fc.oneof(
  { weight: 6, arbitrary: validTimestamp },
  { weight: 1, arbitrary: fc.oneof(fc.constantFrom('15/Mar/26 11:10 PM', '', '2026-13-45T99:99:00.000+0000', null), fc.integer({ max: -1 }), fc.constant(Number.NaN), fc.string()) },
);

const user = partial({
  accountId: fc.oneof({ weight: 8, arbitrary: fc.oneof(fc.constantFrom('5b10a2844c20165700ede21g', 'unknown', '', null), fc.string({ minLength: 120, maxLength: 140 })) }, { weight: 1, arbitrary: odd }),
  displayName: nullishText,
  active: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(true, false, null) }, { weight: 1, arbitrary: odd }), // active: false is a deleted user
  accountType: nullishText,
  emailAddress: fc.string(),
});

const ownToString = (item: Record<string, unknown>, value: unknown) => Object.defineProperty({ ...item }, 'toString', { value, enumerable: true, writable: true, configurable: true });
const item = fc
  .tuple(
    partial({ field: nullishText, fieldId: nullishText, fieldtype: nullishText, from: nullishText, fromString: nullishText, to: nullishText, extra: fc.string() }),
    fc.option(nullishText, { nil: undefined }),
    fc.boolean(),
  )
  .map(([props, toString, hasToString]) => (hasToString ? ownToString(props, toString) : props));
const anyItem = fc.oneof({ weight: 12, arbitrary: item }, { weight: 1, arbitrary: odd }, { weight: 1, arbitrary: fc.constantFrom(null, 'status') });

const history = partial({
  id: fc.oneof({ weight: 12, arbitrary: fc.string({ maxLength: 6 }) }, { weight: 1, arbitrary: odd }),
  author: fc.oneof({ weight: 6, arbitrary: user }, { weight: 2, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: slot(odd) }),
  created: timestamp,
  items: fc.oneof({ weight: 12, arbitrary: fc.array(anyItem, { maxLength: 4 }) }, { weight: 1, arbitrary: odd }),
  self: fc.string(),
});

/** Histories the schema accepts, as an export carries them. */
const validHistory = fc.record(
  {
    id: fc.string({ maxLength: 6 }),
    author: fc.oneof(fc.constant(null), fc.record({ accountId: fc.constantFrom('5b10a2844c20165700ede21g', 'unknown'), displayName: fc.string(), active: fc.boolean(), emailAddress: fc.string() })),
    created: validTimestamp,
    items: fc.array(
      fc.record({ field: fc.string(), fieldtype: fc.constantFrom('jira', 'custom'), fieldId: fc.constantFrom('status', 'customfield_10046'), from: fc.option(fc.string()), fromString: fc.option(fc.string()), to: fc.option(fc.string()), toString: fc.option(fc.string()) }, { requiredKeys: ['field'] }),
      { maxLength: 3 },
    ),
  },
  { requiredKeys: ['id', 'created', 'items'] },
);

const RUNS = { numRuns: 400 };

describe('changelog fast paths agree with the schemas', () => {
  it('JiraUserSchema: users, deleted users, corrupted and over-long account ids, malformed values', () => {
    fc.assert(fc.property(fc.oneof(user, odd, fc.constant(null)), (input) => agrees(JiraUserSchema, fastJiraUser, input)), RUNS);
  });

  it('ChangeItemSchema: nulls in from/to/fromString/toString, an own or inherited toString, malformed values', () => {
    fc.assert(fc.property(anyItem, (input) => agrees(ChangeItemSchema, fastChangeItem, input)), RUNS);
  });

  it('ChangelogSchema: generated valid and malformed histories', () => {
    fc.assert(fc.property(fc.oneof(history, odd, fc.constant(null)), (input) => agrees(ChangelogSchema, fastChangelog, input)), { numRuns: 1000 });
  });

  it('ChangelogSchema: valid histories take the fast path', () => {
    fc.assert(
      fc.property(validHistory, (input) => {
        expect(fastChangelog(input)).not.toBe(FALLBACK);
        agrees(ChangelogSchema, fastChangelog, input);
      }),
      RUNS,
    );
  });

  it('z.array(ChangelogSchema): unordered histories keep their order, one bad history rejects the lot', () => {
    fc.assert(
      fc.property(fc.array(validHistory, { maxLength: 6 }), fc.array(history, { maxLength: 2 }), fc.nat(), (valid, rest, seed) => {
        const shuffled = [...valid, ...rest].sort((a, b) => ((JSON.stringify(a).length * 31 + seed) % 7) - ((JSON.stringify(b).length * 31 + seed) % 7));
        agrees(z.array(ChangelogSchema), fastChangelogs, shuffled);
      }),
      RUNS,
    );
  });

  it('IssueSchema: fields and properties records, nulls, symbol keys, __proto__ keys, malformed values', () => {
    const record = fc.oneof(
      { weight: 6, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string(), fc.constant(null), fc.integer())) },
      { weight: 1, arbitrary: fc.constant(JSON.parse('{"__proto__": 1, "status": {"id": "1"}}') as unknown) },
      { weight: 1, arbitrary: fc.constant({ [Symbol('s')]: 1, a: 2 }) },
      { weight: 1, arbitrary: fc.constant(Object.assign(Object.create(null) as object, { a: 1 })) },
      { weight: 1, arbitrary: fc.constant(new Date(0)) },
      { weight: 1, arbitrary: odd },
    );
    const issue = partial({ id: fc.oneof(fc.string(), odd), key: fc.oneof(fc.string(), odd), fields: record, properties: fc.oneof(record, fc.constant(null)), expand: fc.string() });
    fc.assert(fc.property(fc.oneof({ weight: 8, arbitrary: issue }, { weight: 1, arbitrary: odd }), (input) => agrees(IssueSchema, fastIssue, input)), { numRuns: 1000 });
  });

  it('IssueCoreFieldsSchema and IssueTimesSchema: status, created and updated', () => {
    const statusId = fc.oneof({ weight: 8, arbitrary: fc.constantFrom('10000', '10005') }, { weight: 1, arbitrary: odd });
    const status = fc.oneof({ weight: 8, arbitrary: partial({ id: statusId, name: nullishText, statusCategory: fc.constant({ id: 3 }) }) }, { weight: 1, arbitrary: fc.oneof(odd, fc.constant(null)) });
    const fields = partial({ status, created: timestamp, updated: timestamp, summary: fc.string() });
    fc.assert(
      fc.property(fc.oneof({ weight: 8, arbitrary: fields }, { weight: 1, arbitrary: fc.oneof(odd, fc.constant(null)) }), (input) => {
        agrees(IssueCoreFieldsSchema, fastCoreFields, input);
        agrees(IssueTimesSchema, fastIssueTimes, input);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('field value fast paths agree with the schemas', () => {
  const adf: fc.Arbitrary<unknown> = fc.letrec<{ node: unknown }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      partial({
        type: fc.oneof({ weight: 10, arbitrary: fc.constantFrom('doc', 'paragraph', 'text', 'mention', 'emoji', 'hardBreak', 'bulletList') }, { weight: 1, arbitrary: odd }),
        text: fc.oneof({ weight: 10, arbitrary: fc.string() }, { weight: 1, arbitrary: fc.oneof(odd, fc.constant(null)) }),
        attrs: fc.oneof(
          { weight: 10, arbitrary: partial({ text: fc.string(), shortName: fc.string(), url: fc.oneof(fc.string(), fc.integer()) }) },
          { weight: 1, arbitrary: fc.oneof(odd, fc.constant(null)) },
        ),
        content: fc.oneof({ weight: 10, arbitrary: fc.array(tie('node'), { maxLength: 3 }) }, { weight: 1, arbitrary: fc.oneof(odd, fc.constant(null)) }),
        version: fc.integer(),
      }),
      odd,
    ),
  })).node;

  it('AdfNodeSchema: accepted exactly when the schema accepts, with the same text', () => {
    fc.assert(
      fc.property(adf, (input) => {
        const expected = AdfNodeSchema.safeParse(input);
        expect(isAdfNode(input)).toBe(expected.success);
        if (expected.success && isAdfNode(input)) expect(adfToText(input)).toBe(adfToText(expected.data));
      }),
      { numRuns: 1000 },
    );
  });

  it('UserValueSchema, OptionValueSchema and LabelsValueSchema', () => {
    const userValue = partial({ accountId: fc.oneof(fc.constantFrom('', 'abc'), odd, fc.constant(null)), displayName: nullishText, active: fc.oneof(fc.boolean(), fc.constant(null), odd), emailAddress: fc.string() });
    fc.assert(fc.property(fc.oneof(userValue, odd, fc.constant(null)), (input) => agrees(UserValueSchema, fastUserValue, input)), RUNS);
    const option = partial({ value: fc.oneof(fc.string(), odd, fc.constant(null)), id: nullishText, self: fc.string() });
    fc.assert(
      fc.property(fc.oneof(option, odd, fc.string(), fc.constant(null)), (input) => {
        const expected = OptionValueSchema.safeParse(input);
        const actual = fastOptionLabel(input);
        expect(actual).toBe(expected.success ? expected.data.value : FALLBACK);
      }),
      RUNS,
    );
    const holed = Object.assign(new Array<string>(2), { 1: 'a' }); // index 0 is a hole
    const labels = fc.oneof(fc.array(fc.string()), fc.array(fc.oneof(fc.string(), odd, fc.constant(null))), odd, fc.constant(holed));
    fc.assert(fc.property(labels, (input) => agrees(LabelsValueSchema, fastLabels, input)), RUNS);
  });
});
