import fc from 'fast-check';
import { compileSearch, JqlError, searchAll } from '../../../sandbox/jql';
import { optionId, restValue, SandboxState } from '../../../sandbox/state/sandbox-state';
import { addIssue, context, fieldId, hours, newState, PEOPLE } from './jql-fixture';

const keys = (state: SandboxState, jql: string, searcher = PEOPLE.rita) => searchAll(jql, context(state, searcher)).map((i) => i.key);
const errorsOf = (state: SandboxState, jql: string): string[] => {
  try {
    compileSearch(jql, context(state));
  } catch (error) {
    if (error instanceof JqlError) return error.messages;
    throw error;
  }
  throw new Error(`compiled: ${jql}`);
};

/** CHG-1 … CHG-5 with a spread of values. */
const site = () => {
  const state = newState();
  const changeType = fieldId(state, 'Change type');
  const implementer = fieldId(state, 'Implementer');
  const windowStart = fieldId(state, 'Maintenance window start');
  const opt = (value: string) => restValue(state, 'changeType', value);
  addIssue(state, { labels: ['infra', 'db'], created: hours(0), fields: { [changeType]: opt('normal'), [implementer]: restValue(state, 'implementer', PEOPLE.ivan.accountId) } });
  addIssue(state, { status: 'Implemented', labels: [], created: hours(1), fields: { [changeType]: opt('emergency'), [windowStart]: '2026-03-05T10:00:00.000+0000' }, moves: [['Implemented', PEOPLE.ivan, hours(5)]] });
  addIssue(state, { status: 'Closed', labels: ['infra'], created: hours(2), fields: { [changeType]: opt('standard') }, properties: { 'cc81.status': { state: 'Overdue', tags: ['a', 'b'] } }, moves: [['Assessment', PEOPLE.rita, hours(3)], ['Closed', PEOPLE.ivan, hours(30)]] });
  addIssue(state, { labels: ['db'], created: hours(3), reporter: PEOPLE.ivan });
  addIssue(state, { status: 'Approved', created: hours(4), fields: { [changeType]: opt('normal') }, moves: [['Implemented', PEOPLE.rita, hours(6)], ['Approved', PEOPLE.rita, hours(7)]] });
  return { state, changeType, implementer, windowStart };
};

describe('JQL evaluation: the subset the app emits', () => {
  it('project, issue type and key, by key, id or name; default order key DESC', () => {
    const { state } = site();
    expect(keys(state, 'project = CHG')).toEqual(['CHG-5', 'CHG-4', 'CHG-3', 'CHG-2', 'CHG-1']);
    expect(keys(state, 'project = 10000 AND issuetype = Change')).toHaveLength(5);
    expect(keys(state, 'project = "change management" and type = 10005')).toHaveLength(5);
    expect(keys(state, 'key = CHG-2')).toEqual(['CHG-2']);
    expect(keys(state, 'issuekey in (chg-1, 10003) order by key')).toEqual(['CHG-1', 'CHG-3']);
    expect(keys(state, 'key != CHG-2 ORDER BY key ASC')).toEqual(['CHG-1', 'CHG-3', 'CHG-4', 'CHG-5']);
  });

  it('status by name (any case) or id, with =, !=, IN and NOT IN', () => {
    const { state } = site();
    const implemented = state.statuses.find((s) => s.name === 'Implemented')!.id;
    expect(keys(state, 'status = implemented')).toEqual(['CHG-2']);
    expect(keys(state, `status = ${implemented}`)).toEqual(['CHG-2']);
    expect(keys(state, 'status in (Draft, "Closed") order by key')).toEqual(['CHG-1', 'CHG-3', 'CHG-4']);
    expect(keys(state, 'status not in (Draft, Closed) order by key')).toEqual(['CHG-2', 'CHG-5']);
    expect(keys(state, 'status != Draft order by key')).toEqual(['CHG-2', 'CHG-3', 'CHG-5']);
  });

  it('labels: any value matches; != and NOT IN never match issues without labels', () => {
    const { state } = site();
    expect(keys(state, 'labels = infra order by key')).toEqual(['CHG-1', 'CHG-3']);
    expect(keys(state, 'labels in (db, nothing) order by key')).toEqual(['CHG-1', 'CHG-4']);
    expect(keys(state, 'labels != infra')).toEqual(['CHG-4']);
    expect(keys(state, 'labels not in (infra)')).toEqual(['CHG-4']);
    expect(keys(state, 'labels is empty order by key')).toEqual(['CHG-2', 'CHG-5']);
    expect(keys(state, 'labels = EMPTY order by key')).toEqual(['CHG-2', 'CHG-5']);
    expect(keys(state, 'labels in (EMPTY, db) order by key')).toEqual(['CHG-1', 'CHG-2', 'CHG-4', 'CHG-5']);
    expect(keys(state, 'labels is not empty order by key')).toEqual(['CHG-1', 'CHG-3', 'CHG-4']);
  });

  it('option custom fields by label (any case) or option id, as cf[N], customfield_N or name', () => {
    const { state, changeType } = site();
    const cf = `cf[${changeType.replace('customfield_', '')}]`;
    expect(keys(state, `${cf} = Normal order by key`)).toEqual(['CHG-1', 'CHG-5']);
    expect(keys(state, `${changeType} = "emergency"`)).toEqual(['CHG-2']);
    expect(keys(state, `"Change type" = ${optionId('changeType', 'standard')}`)).toEqual(['CHG-3']);
    expect(keys(state, `${cf} != Normal order by key`)).toEqual(['CHG-2', 'CHG-3']);
    expect(keys(state, `${cf} not in (Normal, Standard)`)).toEqual(['CHG-2']);
    expect(keys(state, `${cf} is EMPTY`)).toEqual(['CHG-4']);
  });

  it('user fields by account id and currentUser()', () => {
    const { state, implementer } = site();
    expect(keys(state, `${implementer} = acc-ivan`)).toEqual(['CHG-1']);
    expect(keys(state, `${implementer} = currentUser()`, PEOPLE.ivan)).toEqual(['CHG-1']);
    expect(keys(state, 'reporter = currentUser()', PEOPLE.ivan)).toEqual(['CHG-4']);
    expect(keys(state, `${implementer} is empty`)).toHaveLength(4);
    expect(keys(state, 'reporter != acc-rita')).toEqual(['CHG-4']);
  });

  it('dates: created and updated against dates, date-times and periods; custom date-times too', () => {
    const { state, windowStart } = site();
    expect(keys(state, 'created >= "2026-03-02 10:00" order by key')).toEqual(['CHG-3', 'CHG-4', 'CHG-5']);
    expect(keys(state, 'created < "2026/03/02 09:00"')).toEqual(['CHG-1']);
    expect(keys(state, 'created <= "2026-03-02 09:00" order by created')).toEqual(['CHG-1', 'CHG-2']);
    expect(keys(state, 'created > "2026-03-02"')).toHaveLength(5); // a date alone is midnight
    expect(keys(state, 'created < "2026-03-02"')).toEqual([]);
    expect(keys(state, 'created = "2026-03-02 08:00"')).toEqual(['CHG-1']);
    expect(keys(state, 'updated >= -70h order by key', PEOPLE.rita)).toEqual(['CHG-3']); // now = hours(100)
    expect(keys(state, 'updated < now() and updated > "-4d" order by key')).toEqual(['CHG-2', 'CHG-3', 'CHG-5']); // after hours(4)
    expect(keys(state, `${windowStart} > "2026-03-05 09:59"`)).toEqual(['CHG-2']);
    expect(keys(state, `${windowStart} is not empty`)).toEqual(['CHG-2']);
  });

  it('reads date values in the searcher’s time zone', () => {
    const { state } = site();
    // 2026-03-02 04:00 in New York (UTC-5) is 09:00 UTC.
    expect(keys(state, 'created <= "2026-03-02 04:00"', PEOPLE.nora)).toEqual(['CHG-2', 'CHG-1']);
    expect(keys(state, 'created <= "2026-03-02 04:00"', PEOPLE.rita)).toEqual([]);
  });

  it('status CHANGED with TO, FROM, BY, BEFORE and AFTER', () => {
    const { state } = site();
    expect(keys(state, 'status CHANGED TO Implemented order by key')).toEqual(['CHG-2', 'CHG-5']);
    expect(keys(state, 'status changed to "Implemented" before "2026-03-02 13:30"')).toEqual(['CHG-2']);
    expect(keys(state, 'status changed to Implemented after "2026-03-02 13:30"')).toEqual(['CHG-5']);
    expect(keys(state, 'status changed from Assessment to Closed by acc-ivan')).toEqual(['CHG-3']);
    expect(keys(state, 'status changed from Assessment to Closed by acc-rita')).toEqual([]);
    expect(keys(state, 'status changed by currentUser() order by key', PEOPLE.rita)).toEqual(['CHG-3', 'CHG-5']);
    expect(keys(state, 'status changed order by key')).toEqual(['CHG-2', 'CHG-3', 'CHG-5']);
    expect(keys(state, 'NOT status changed order by key')).toEqual(['CHG-1', 'CHG-4']);
  });

  it('issue properties, by path, any element of an array', () => {
    const { state } = site();
    expect(keys(state, 'issue.property[cc81.status].state = overdue')).toEqual(['CHG-3']);
    expect(keys(state, 'issue.property[cc81.status].tags = b')).toEqual(['CHG-3']);
    expect(keys(state, 'issue.property[cc81.status].state is empty')).toHaveLength(4);
    expect(keys(state, 'issue.property[cc81.status].state != x')).toEqual(['CHG-3']);
  });

  it('the app\'s entity-property search aliases (manifest jira:entityProperty), as Jira knows them once the app is installed', () => {
    const { state } = site();
    state.issues[0]!.properties['cc81.posthoc'] = { version: 1, status: 'overdue', dueAt: '2026-03-04T10:00:00.000Z', flaggedAt: null, resolvedAt: null };
    state.issues[1]!.properties['cc81.posthoc'] = { version: 1, status: 'satisfied-on-time', dueAt: '2026-03-09T10:00:00.000Z', flaggedAt: null, resolvedAt: '2026-03-06T10:00:00.000Z' };
    expect(keys(state, 'cc81PosthocStatus = overdue')).toEqual(['CHG-1']);
    expect(keys(state, 'cc81posthocstatus != overdue order by key')).toEqual(['CHG-2']);
    expect(keys(state, 'cc81PosthocDue < "2026-03-05"')).toEqual(['CHG-1']);
    expect(keys(state, 'cc81PosthocResolved is empty')).toHaveLength(4);
    expect(errorsOf(state, 'cc81PosthocNope = x')).toEqual([expect.stringMatching(/cc81PosthocNope/)]);
  });

  it('AND, OR, NOT and parentheses; ORDER BY created, updated, several terms', () => {
    const { state } = site();
    expect(keys(state, '(status = Draft OR status = Closed) AND labels = infra order by created desc')).toEqual(['CHG-3', 'CHG-1']);
    expect(keys(state, 'project = CHG AND NOT labels = infra order by created')).toEqual(['CHG-2', 'CHG-4', 'CHG-5']);
    expect(keys(state, 'project = CHG order by updated desc, key asc')).toEqual(['CHG-3', 'CHG-5', 'CHG-2', 'CHG-4', 'CHG-1']);
  });
});

describe('JQL errors (answered 400 by the search)', () => {
  it.each([
    ['nosuch = x', "Field 'nosuch' does not exist or you do not have permission to view it."],
    ['cf[99999] = x', "Field 'cf[99999]' does not exist or you do not have permission to view it."],
    ['status = Nowhere', "The value 'Nowhere' does not exist for the field 'status'."],
    ['project = OPS', "The value 'OPS' does not exist for the field 'project'."],
    ['issuetype = Bug', "The value 'Bug' does not exist for the field 'issuetype'."],
    ['key = CHG-999', "An issue with key 'CHG-999' does not exist for field 'key'."],
    ['key = nonsense', "The issue key 'nonsense' for field 'key' is invalid."],
    ['reporter = acc-nobody', "The value 'acc-nobody' does not exist for the field 'reporter'."],
    ['"Change type" = Weekly', "The option 'Weekly' for field 'Change type' does not exist."],
    ['status > Draft', "The operator '>' is not supported by the 'status' field."],
    ['labels ~ x', "The operator '~' is not supported by the 'labels' field."],
    ['summary = x', "The operator '=' is not supported by the 'summary' field."],
    ['summary ~ x', "Error in the JQL Query: The operator '~' is outside the sandbox's JQL subset."],
    ['created > tomorrow', "Date value 'tomorrow' for field 'created' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'."],
    ['created > "2026-02-30"', "Date value '2026-02-30' for field 'created' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'."],
    ['labels changed', "Error in the JQL Query: CHANGED on the field 'labels' is outside the sandbox's JQL subset."],
    ['status changed on "2026-03-01"', "Error in the JQL Query: The predicate 'ON' of CHANGED is outside the sandbox's JQL subset."],
    ['status changed to Nowhere', "The value 'Nowhere' does not exist for the field 'status'."],
    ['status changed by acc-nobody', "The user 'acc-nobody' does not exist and cannot be used in the 'by' predicate."],
    ['labels = startOfDay()', "Error in the JQL Query: The function 'startOfDay()' on the field 'labels' is outside the sandbox's JQL subset."],
    ['project = CHG order by summary', "Error in the JQL Query: ORDER BY summary is outside the sandbox's JQL subset."],
    ['order by key', 'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.'],
    ['', 'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.'],
  ])('%j → %s', (jql, message) => {
    const { state } = site();
    expect(errorsOf(state, jql)).toEqual([message]);
  });

  it('lists every problem at once, as Jira does', () => {
    const { state } = site();
    expect(errorsOf(state, 'foo = 1 AND status = Nowhere OR bar = 2')).toEqual([
      "Field 'foo' does not exist or you do not have permission to view it.",
      "The value 'Nowhere' does not exist for the field 'status'.",
      "Field 'bar' does not exist or you do not have permission to view it.",
    ]);
  });
});

describe('JQL evaluation properties', () => {
  const { state } = site();
  const labels = ['infra', 'db', 'x'];
  const statuses = ['Draft', 'Implemented', 'Closed', 'Approved'];
  const atom = fc.oneof(
    fc.constantFrom(...labels).map((l) => `labels = ${l}`),
    fc.constantFrom(...statuses).map((s) => `status = ${s}`),
    fc.constantFrom('labels is empty', 'status changed', 'created >= "2026-03-02 10:00"', 'key = CHG-3'),
  );
  const set = (jql: string) => new Set(keys(state, jql));

  it('AND is intersection, OR is union, NOT is complement', () => {
    fc.assert(
      fc.property(atom, atom, (a, b) => {
        const [sa, sb] = [set(a), set(b)];
        expect(set(`(${a}) AND (${b})`)).toEqual(new Set([...sa].filter((k) => sb.has(k))));
        expect(set(`(${a}) OR (${b})`)).toEqual(new Set([...sa, ...sb]));
        expect(set(`project = CHG AND NOT (${a})`)).toEqual(new Set(state.issues.map((i) => i.key).filter((k) => !sa.has(k))));
      }),
    );
  });

  it('IN and NOT IN split the issues whose field has a value', () => {
    fc.assert(
      fc.property(fc.subarray(labels, { minLength: 1 }), (list) => {
        const inList = set(`labels in (${list.join(', ')})`);
        const notIn = set(`labels not in (${list.join(', ')})`);
        const withLabels = set('labels is not empty');
        expect([...inList].filter((k) => notIn.has(k))).toEqual([]);
        expect(new Set([...inList, ...notIn])).toEqual(withLabels);
      }),
    );
  });
});
