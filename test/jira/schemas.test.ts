import { BulkChangelogResponseSchema, ChangelogSchema, parseJiraTimestamp } from '../../src/jira/schemas';

describe('parseJiraTimestamp', () => {
  it.each([
    ['2026-03-15T23:10:00.000+0000', '2026-03-15T23:10:00.000Z'],
    ['2026-03-15T23:10:00.000+0100', '2026-03-15T22:10:00.000Z'],
    ['2026-03-15T23:10:00.000-0530', '2026-03-16T04:40:00.000Z'],
    ['2026-03-15T23:10:00+00:00', '2026-03-15T23:10:00.000Z'],
    ['2026-03-15T23:10:00.000Z', '2026-03-15T23:10:00.000Z'],
    ['2026-03-15T23:10:00', '2026-03-15T23:10:00.000Z'],
    ['2026-03-15', '2026-03-15T00:00:00.000Z'],
  ])('reads %s', (input, iso) => {
    expect(parseJiraTimestamp(input)?.toISOString()).toBe(iso);
  });

  it('reads epoch seconds (as in the OpenAPI example of bulkfetch) and epoch milliseconds', () => {
    expect(parseJiraTimestamp(1492070429)?.toISOString()).toBe('2017-04-13T08:00:29.000Z');
    expect(parseJiraTimestamp(1492070429000)?.toISOString()).toBe('2017-04-13T08:00:29.000Z');
  });

  it.each(['15/Mar/26 11:10 PM', '', 'yesterday', '2026-13-45T99:99:00.000+0000'])('rejects %j', (input) => {
    expect(parseJiraTimestamp(input)).toBeNull();
  });
});

describe('ChangelogSchema', () => {
  it('accepts null from/to/fromString/toString and a missing author', () => {
    const parsed = ChangelogSchema.parse({
      id: '10001',
      created: '2026-03-02T09:00:00.000+0000',
      items: [{ field: 'Target systems', fieldtype: 'custom', fieldId: 'customfield_10046', from: null, fromString: null, to: null, toString: 'cdn' }],
    });
    expect(parsed.author).toBeUndefined();
    expect(parsed.created.toISOString()).toBe('2026-03-02T09:00:00.000Z');
    expect(parsed.items[0]?.from).toBeNull();
  });

  it('does not mistake the inherited toString method for a missing toString value', () => {
    const parsed = ChangelogSchema.parse({ id: '10002', created: '2026-03-02T09:00:00.000+0000', items: [{ field: 'status', fieldId: 'status', from: '10000', to: '10001' }] });
    expect(parsed.items[0]).toEqual({ field: 'status', fieldId: 'status', from: '10000', to: '10001', toString: undefined });
  });

  it('refuses a history without a usable timestamp', () => {
    expect(ChangelogSchema.safeParse({ id: '1', created: 'soon', items: [] }).success).toBe(false);
  });
});

describe('BulkChangelogResponseSchema', () => {
  it('treats a missing nextPageToken as the last page and defaults missing lists', () => {
    const parsed = BulkChangelogResponseSchema.parse({ issueChangeLogs: [{ issueId: '10042' }] });
    expect(parsed.nextPageToken).toBeUndefined();
    expect(parsed.issueChangeLogs[0]?.changeHistories).toEqual([]);
  });
});
