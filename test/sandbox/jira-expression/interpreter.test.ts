import {
  ExpressionSubsetError,
  JiraEvaluationError,
  evaluateJiraExpression,
  runJiraExpression,
  syntaxTreeLeaves,
  validatorOutcome,
  type JiraEvaluationErrorCode,
} from '../../../sandbox/jira-expression/interpreter';
import {
  JiraDate,
  JiraMap,
  JiraRichText,
  JiraUser,
  adfDocument,
  adfPlainText,
  buildIssue,
  jiraDate,
  jiraOption,
  jiraRichText,
  jiraUser,
  parseJiraTimestamp,
  restDateTime,
} from '../../../sandbox/jira-expression/object-model';

const NOW = '2026-03-15T12:00:00.000Z';
const alice = jiraUser('acc-alice', { displayName: 'Alice', groups: ['cab', 'jira-users'] });
const bob = jiraUser('acc-bob', { displayName: 'Bob' });

function context(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    __now: NOW,
    user: alice,
    issue: buildIssue({
      key: 'CHG-7',
      summary: '  Upgrade DB  ',
      description: 'Line one\nLine two',
      reporter: bob,
      labels: ['emergency', 'db'],
      customFields: {
        customfield_10001: 'Rollback: restore snapshot', // single-line text
        customfield_10002: jiraRichText('Step 1\nStep 2'), // textarea → ADF Map
        customfield_10003: jiraOption('Yes', 10100), // select → {self, value, id}
        customfield_10004: bob, // user picker → REST user Map
        customfield_10005: ['cab-approved', 'low-risk'], // labels
        customfield_10006: jiraDate('2026-03-16T09:30:00.000Z'), // date-time → REST string
        customfield_10007: '2026-03-20', // date picker → String
        customfield_10008: [alice, bob], // multi-user picker
      },
      properties: {
        'com.example.cc81.approval': { approver: 'acc-bob', at: '2026-03-14T10:00:00.000+0000', steps: ['a', 'b'] },
        flag: true,
      },
    }),
    config: { edge: 'approve', approvers: ['acc-bob'] },
    ...extra,
  };
}

const evaluate = (source: string, extra?: Record<string, unknown>) => evaluateJiraExpression(source, context(extra));

function expectEvaluationError(source: string, code: JiraEvaluationErrorCode, pattern?: RegExp): void {
  let thrown: unknown;
  try {
    evaluate(source);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(JiraEvaluationError);
  expect((thrown as JiraEvaluationError).code).toBe(code);
  if (pattern) expect((thrown as Error).message).toMatch(pattern);
}

describe('allowed constructs', () => {
  it.each<[string, string, unknown]>([
    ['string literal (single quotes)', "'abc'", 'abc'],
    ['string literal (double quotes)', '"abc"', 'abc'],
    ['number literal', '42', 42],
    ['decimal literal', '1.5', 1.5],
    ['true', 'true', true],
    ['false', 'false', false],
    ['null', 'null', null],
    ['context identifier', 'user.accountId', 'acc-alice'],
    ['let declaration', 'let a = 1; a', 1],
    ['several lets, later uses earlier', "let a = 'x'; let b = a + 'y'; b", 'xy'],
    ['trailing semicolon', 'true;', true],
    ['member access', 'issue.summary', '  Upgrade DB  '],
    ['optional member access on a value', 'issue.reporter?.accountId', 'acc-bob'],
    ['element access with string literal', "issue['summary']", '  Upgrade DB  '],
    ['optional element access', "issue.reporter?.['accountId']", 'acc-bob'],
    ['array literal', "['a', 1, null]", ['a', 1, null]],
    ['empty array literal', '[]', []],
    ['parentheses', '(1 + 2)', 3],
    ['unary !', '!false', true],
    ['&&', 'true && false', false],
    ['||', 'false || true', true],
    ['==', "'a' == 'a'", true],
    ['!=', '1 != 2', true],
    ['<', '1 < 2', true],
    ['<=', '2 <= 2', true],
    ['>', '3 > 2', true],
    ['>=', '1 >= 2', false],
    ['+ numbers', '1 + 2', 3],
    ['+ strings', "'a' + 'b'", 'ab'],
    ['+ string and number', "'n=' + 3", 'n=3'],
    ['ternary', "true ? 'y' : 'n'", 'y'],
    ['nested ternary', "false ? 1 : true ? 2 : 3", 2],
    ['arrow function in some', "['a', 'b'].some(x => x == 'b')", true],
    ['parenthesised arrow parameter', "['a', 'b'].every((x) => x != 'c')", true],
    ['new Date() is __now', 'new Date() == new Date()', true],
    ['new Date(string)', "new Date('2026-03-15T12:00:00.000+0000') == new Date()", true],
    ['List.includes', "['a', 'b'].includes('b')", true],
    ['List.includes null', "['a'].includes(null)", false],
    ['List.some', '[1, 2].some(x => x > 1)', true],
    ['List.every', '[1, 2].every(x => x > 1)', false],
    ['List.filter', '[1, 2, 3].filter(x => x >= 2)', [2, 3]],
    ['List.map', "['a', 'b'].map(x => x + '!')", ['a!', 'b!']],
    ['List.join', "['a', 'b'].join(', ')", 'a, b'],
    ['List.join default separator', "['a', 'b'].join()", 'a,b'],
    ['List.length', '[1, 2, 3].length', 3],
    ['String.trim', 'issue.summary.trim()', 'Upgrade DB'],
    ['String.includes', "issue.summary.includes('DB')", true],
    ['String.toLowerCase', "'AbC'.toLowerCase()", 'abc'],
    ['String.length', "'abcd'.length", 4],
    ['Date.getTime', 'new Date().getTime()', Date.parse(NOW)],
    ['RichText.plainText (system description)', 'issue.description.plainText', 'Line one\nLine two'],
    ['new RichText(adf).plainText (textarea custom field)', 'new RichText(issue.customfield_10002).plainText', 'Step 1\nStep 2'],
    ['closure over let in arrow', "let g = 'cab'; user.groups.some(x => x == g)", true],
    ['arrow parameter shadows nothing outside', "[1].map(x => x).length == 1 && ['q'].every(x => x == 'q')", true],
    ['config map member', "config.edge == 'approve'", true],
    ['config list includes', 'config.approvers.includes(issue.reporter.accountId)', true],
    ['comment is ignored', '/* note */ true', true],
  ])('%s: %s', (_label, source, expected) => {
    expect(evaluate(source)).toEqual(expected);
  });

  it('returns a Date for new Date()', () => {
    const value = evaluate('new Date()');
    expect(value).toBeInstanceOf(JiraDate);
    expect((value as JiraDate).epochMillis).toBe(Date.parse(NOW));
  });
});

describe('forbidden constructs throw ExpressionSubsetError with node kind and position', () => {
  it.each<[string, string, string]>([
    ['function declaration', 'function f() { return true; } true', 'FunctionDeclaration'],
    ['function expression', '[1].some(function (x) { return true; })', 'FunctionExpression'],
    ['var', 'var a = 1; a', 'VariableStatement'],
    ['const', 'const a = 1; a', 'VariableStatement'],
    ['let without initializer', 'let a; true', 'VariableDeclaration'],
    ['two declarations in one let', 'let a = 1, b = 2; a', 'VariableStatement'],
    ['destructuring let', 'let {a} = config; a', 'ObjectBindingPattern'],
    ['redeclared let', 'let a = 1; let a = 2; a', 'Identifier'],
    ['let shadowing a context variable', 'let issue = 1; issue', 'Identifier'],
    ['let after the final expression', 'true; let a = 1;', 'ExpressionStatement'],
    ['empty program', '', 'SourceFile'],
    ['assignment', 'config = 1', 'EqualsToken'],
    ['assignment without let (Jira allows it, compiler does not emit it)', 'a = 1; a', 'ExpressionStatement'],
    ['compound assignment', 'let a = 1; a += 1', 'PlusEqualsToken'],
    ['this', 'this', 'ThisKeyword'],
    ['for loop', 'for (;;) {} true', 'ForStatement'],
    ['while loop', 'while (false) {} true', 'WhileStatement'],
    ['if statement', 'if (true) { true } else { false }', 'IfStatement'],
    ['return statement', 'return true', 'ReturnStatement'],
    ['block statement', '{ true }', 'Block'],
    ['regex literal', '[/a/]', 'RegularExpressionLiteral'],
    ['regex method', "/a/.test('a')", 'Identifier'],
    ['template literal', '`abc`', 'NoSubstitutionTemplateLiteral'],
    ['template literal with substitution', '`a${1}`', 'TemplateExpression'],
    ['spread in array', '[...config.approvers]', 'SpreadElement'],
    ['spread in call', "config.approvers.includes(...['x'])", 'SpreadElement'],
    ['array hole', '[1, , 2]', 'OmittedExpression'],
    ['object literal', '({ a: 1 })', 'ObjectLiteralExpression'],
    ['unknown identifier', 'undefined', 'Identifier'],
    ['unknown identifier in untaken branch', 'true ? true : nope', 'Identifier'],
    ['unknown identifier Math', 'Math.max(1, 2)', 'Identifier'],
    ['unknown method', "'a'.startsWith('a')", 'Identifier'],
    ['non-whitelisted list method', '[1].reduce(x => x)', 'Identifier'],
    ['non-whitelisted method in untaken branch', "false ? 'a'.toUpperCase() : 'b'", 'Identifier'],
    ['call of a plain identifier', 'let f = x => x; f(1)', 'Identifier'],
    ['call via element access', "'a'['trim']()", 'ElementAccessExpression'],
    ['optional call', "'a'.trim?.()", 'CallExpression'],
    ['computed access with identifier', 'let k = "summary"; issue[k]', 'Identifier'],
    ['computed access with number', '[1, 2][0]', 'NumericLiteral'],
    ['computed access with expression', "issue['sum' + 'mary']", 'BinaryExpression'],
    ['computed access with template', 'issue[`summary`]', 'NoSubstitutionTemplateLiteral'],
    ['strict equality ===', '1 === 1', 'EqualsEqualsEqualsToken'],
    ['strict inequality !==', '1 !== 2', 'ExclamationEqualsEqualsToken'],
    ['nullish coalescing', 'null ?? 1', 'QuestionQuestionToken'],
    ['minus', '2 - 1', 'MinusToken'],
    ['multiplication', '2 * 1', 'AsteriskToken'],
    ['unary minus', '-1', 'PrefixUnaryExpression'],
    ['typeof', 'typeof issue', 'TypeOfExpression'],
    ['in operator', "'a' in config", 'InKeyword'],
    ['comma operator', '(1, 2)', 'CommaToken'],
    ['arrow with two parameters', '[1].some((a, b) => true)', 'ArrowFunction'],
    ['arrow with no parameters', '[1].some(() => true)', 'ArrowFunction'],
    ['arrow with block body', '[1].some(x => { return true; })', 'Block'],
    ['arrow with default parameter', '[1].some((x = 1) => true)', 'Parameter'],
    ['arrow with rest parameter', '[1].some((...x) => true)', 'Parameter'],
    ['async arrow', '[1].some(async x => true)', 'ArrowFunction'],
    ['new Date without parentheses', 'new Date', 'NewExpression'],
    ['new Date with two arguments', 'new Date(1, 2)', 'NewExpression'],
    ['new of another constructor', "new User('x')", 'Identifier'],
    ['new Map', 'new Map()', 'Identifier'],
    ['bigint', '1n', 'BigIntLiteral'],
    ['void', 'void 0', 'VoidExpression'],
    ['postfix increment', 'let a = 1; a++', 'PostfixUnaryExpression'],
    ['class', 'class A {} true', 'ClassDeclaration'],
    ['syntax error', 'issue.', 'SyntaxError'],
  ])('%s: %s', (_label, source, kind) => {
    let thrown: unknown;
    try {
      evaluate(source);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ExpressionSubsetError);
    expect((thrown as ExpressionSubsetError).kind).toBe(kind);
  });

  it('reports the 1-based line and column of the offending node', () => {
    expect(() => evaluate("let a = 1;\nlet b = `x`;\nb")).toThrow(
      expect.objectContaining({ kind: 'NoSubstitutionTemplateLiteral', position: { line: 2, column: 9, offset: 19 } }),
    );
  });
});

describe('null handling', () => {
  it.each<[string, string]>([
    ['member of null', 'issue.assignee.accountId'],
    ['member of a missing custom field', 'issue.customfield_99999.value'],
    ['element access on null', "issue.assignee['accountId']"],
    ['method call on null', "issue.properties['nope'].trim()"],
    ['chain continues after a non-optional null', "issue.properties?.['nope'].approver"],
    ['parenthesised optional chain does not short-circuit the outer access', '(issue.assignee?.accountId).length'],
  ])('%s throws like Jira: %s', (_label, source) => {
    expectEvaluationError(source, 'NULL_MEMBER');
  });

  it('uses Jira\'s message for member access on null', () => {
    expectEvaluationError('issue.assignee.accountId', 'NULL_MEMBER', /Type null does not have any properties at 1:1/);
  });

  it.each<[string, string, unknown]>([
    ['optional member on null', 'issue.assignee?.accountId', null],
    ['optional element access on null', "issue.assignee?.['accountId']", null],
    ['optional chain short-circuits the rest of the chain', 'issue.assignee?.displayName.length', null],
    ['optional method call on null', 'issue.assignee?.displayName.trim()', null],
    ['optional chain on a missing custom field', 'issue.customfield_99999?.value', null],
    ['missing custom field reads as null', 'issue.customfield_99999', null],
    ['null == null', 'null == null', true],
    ['null != null', 'null != null', false],
    ['value == null', "'a' == null", false],
    ['null != value', "null != 'a'", true],
    ['missing entity property is null', "issue.properties['nope']", null],
    ['missing key of an open Map (config) is null', 'config.nope', null],
  ])('%s: %s', (_label, source, expected) => {
    expect(evaluate(source)).toEqual(expected);
  });

  it('an empty description is null', () => {
    expect(evaluateJiraExpression('issue.description', { issue: buildIssue() })).toBeNull();
  });
});

describe('typed members', () => {
  it.each<[string, string]>([
    ['.plainText on a String', 'issue.summary.plainText'],
    ['.plainText on a textarea custom field (an ADF Map, not RichText)', 'issue.customfield_10002.plainText'],
    ['.value on a User', 'issue.reporter.value'],
    ['.groups on a user-picker custom field (a REST Map, not a User)', 'issue.customfield_10004.groups'],
    ['.name on an option', 'issue.customfield_10003.name'],
    ['.trim on RichText (not a method) ', 'issue.description.summary'],
    ['unknown Issue member', 'issue.status'],
    ['.length on a Number', '(1).length'],
    ['.length on a REST Map', 'issue.customfield_10003.length'],
    ['member of a Boolean', 'true.x'],
    ['member of a Date', 'new Date().time'],
  ])('%s throws: %s', (_label, source) => {
    expectEvaluationError(source, 'UNKNOWN_MEMBER');
  });

  it.each<[string, string]>([
    ['trim on a List', "['a'].trim()"],
    ['includes on RichText', "issue.description.includes('x')"],
    ['some on a String', "'abc'.some(x => true)"],
    ['getTime on a String (date-time custom field is a String)', 'issue.customfield_10006.getTime()'],
    ['join on a Map', 'config.join()'],
    ['toLowerCase on a Number', '(1).toLowerCase()'],
  ])('%s throws: %s', (_label, source) => {
    expectEvaluationError(source, 'UNKNOWN_METHOD');
  });

  it.each<[string, string, JiraEvaluationErrorCode]>([
    ['String == Number', "'1' == 1", 'TYPE'],
    ['User == User', 'user == issue.reporter', 'TYPE'],
    ['Map == String (option compared without .value)', "issue.customfield_10003 == 'Yes'", 'TYPE'],
    ['< on Strings', "'a' < 'b'", 'TYPE'],
    ['Date < String (date-time custom field not wrapped)', 'new Date() < issue.customfield_10006', 'TYPE'],
    ['Date < null', 'new Date() < null', 'TYPE'],
    ['+ with null', "'a' + null", 'TYPE'],
    ['+ with a List', "'a' + []", 'TYPE'],
    ['List.includes with a mismatched type', "['1'].includes(1)", 'TYPE'],
    ['List.join of Maps', "[config].join(',')", 'TYPE'],
    ['List.some without a function', "['a'].some('a')", 'BAD_ARGUMENT'],
    ['String.includes with a Number', "'a1'.includes(1)", 'BAD_ARGUMENT'],
    ['String.trim with an argument', "'a'.trim('x')", 'BAD_ARGUMENT'],
    ['new Date of a malformed String', "new Date('15/03/2026')", 'BAD_ARGUMENT'],
    ['new Date of a date-only String', "new Date('2026-03-20')", 'BAD_ARGUMENT'],
    ['new Date of null', 'new Date(issue.customfield_99999)', 'BAD_ARGUMENT'],
    ['new RichText of a String', 'new RichText(issue.summary)', 'BAD_ARGUMENT'],
    ['function used as data', 'let f = x => x; [f]', 'TYPE'],
  ])('%s fails: %s', (_label, source, code) => {
    expectEvaluationError(source, code);
  });
});

describe('booleans', () => {
  it.each<[string, string]>([
    ['! on a User', '!issue.reporter'],
    ['! on null', '!issue.assignee'],
    ['&& with a String on the left', "issue.summary && true"],
    ['&& with a String on the right', "true && issue.summary"],
    ['|| with null on the left', 'issue.assignee || true'],
    ['ternary test on a List', "issue.labels ? 'y' : 'n'"],
    ['some callback returning a String', "['a'].some(x => x)"],
    ['filter callback returning null', '[null].filter(x => x)'],
  ])('strict mode rejects non-Boolean conditions: %s', (_label, source) => {
    expectEvaluationError(source, 'TYPE', /needs a Boolean/);
  });

  it('short-circuits && and || without evaluating the right side', () => {
    expect(evaluate('false && issue.assignee.accountId == "x"')).toBe(false);
    expect(evaluate('true || issue.assignee.accountId == "x"')).toBe(true);
    expect(evaluate("issue.assignee != null && issue.assignee.accountId == 'x'")).toBe(false);
  });

  it('truthy mode follows Jira/JS truthiness and returns operands', () => {
    const run = (source: string) => evaluateJiraExpression(source, context(), { booleans: 'truthy' });
    expect(run('!!issue.reporter')).toBe(true);
    expect(run('!issue.assignee')).toBe(true);
    expect(run("issue.assignee || 'nobody'")).toBe('nobody');
    expect(run("'' ? 1 : 2")).toBe(2);
  });
});

describe('dates', () => {
  it.each<[string, string, unknown]>([
    ['Date < Date', "new Date('2026-03-15T11:00:00Z') < new Date()", true],
    ['Date > Date across zones', "new Date('2026-03-15T13:00:00.000+0200') > new Date()", false],
    ['Date == Date by instant', "new Date('2026-03-15T14:00:00+02:00') == new Date()", true],
    ['date-time custom field wrapped in new Date', 'new Date(issue.customfield_10006) > new Date()', true],
    ['date-time custom field is a REST String', 'issue.customfield_10006', '2026-03-16T09:30:00.000+0000'],
    ['date custom field is a String', 'issue.customfield_10007', '2026-03-20'],
    ['getTime arithmetic', 'new Date(issue.customfield_10006).getTime() > new Date().getTime() + 3600000', true],
  ])('%s: %s', (_label, source, expected) => {
    expect(evaluate(source)).toEqual(expected);
  });

  it('new Date() without __now fails rather than reading the clock', () => {
    expect(() => evaluateJiraExpression('new Date()', { issue: buildIssue() })).toThrow(
      expect.objectContaining({ code: 'MISSING_NOW' }),
    );
  });
});

describe('custom field shapes (REST v3 JSON, per FACTS.md §5)', () => {
  it.each<[string, string, unknown]>([
    ['single-line text is a String', 'issue.customfield_10001', 'Rollback: restore snapshot'],
    ['select list .value', "issue.customfield_10003.value == 'Yes'", true],
    ['select list .id is a String', "issue.customfield_10003.id == '10100'", true],
    ['user picker .accountId', "issue.customfield_10004.accountId == 'acc-bob'", true],
    ['user picker compared with the actor', 'issue.customfield_10004.accountId != user.accountId', true],
    ['labels custom field is List<String>', "issue.customfield_10005.includes('cab-approved')", true],
    ['multi-user picker', "issue.customfield_10008.map(u => u.accountId).includes(user.accountId)", true],
    ['textarea via new RichText', "new RichText(issue.customfield_10002).plainText.trim() != ''", true],
    ['numeric id key works too', "issue['customfield_10001'].includes('Rollback')", true],
  ])('%s: %s', (_label, source, expected) => {
    expect(evaluate(source)).toEqual(expected);
  });

  it('builds the REST shapes', () => {
    const issue = buildIssue({
      customFields: { 10002: jiraRichText('a\n\nb'), customfield_10003: jiraOption('No', 7), customfield_10004: alice },
    });
    const textarea = issue.customFields.get('customfield_10002');
    expect(textarea).toBeInstanceOf(JiraMap);
    expect(adfPlainText(textarea as JiraMap)).toBe('a\n\nb');
    expect(issue.customFields.get('customfield_10003')).toEqual(jiraOption('No', '7'));
    expect((issue.customFields.get('customfield_10004') as JiraMap).entries.get('accountId')).toBe('acc-alice');
    expect(() => buildIssue({ customFields: { summary: 'x' } })).toThrow(/not a custom field id/);
  });

  it('object-model helpers', () => {
    expect(restDateTime(jiraDate('2026-03-15T23:10:00Z'))).toBe('2026-03-15T23:10:00.000+0000');
    expect(parseJiraTimestamp('2026-03-15T23:10:00.000+1000')).toBe(Date.parse('2026-03-15T13:10:00.000Z'));
    expect(parseJiraTimestamp('29/Jun/18 10:16 PM')).toBeNull();
    expect(adfPlainText(adfDocument(''))).toBe('');
    expect(jiraUser('x')).toEqual(new JiraUser('x', null, true, []));
    expect(jiraRichText('t')).toEqual(new JiraRichText('t'));
  });
});

describe('entity properties', () => {
  it.each<[string, string, unknown]>([
    ['dotted key', "issue.properties['com.example.cc81.approval'].approver", 'acc-bob'],
    ['nested list', "issue.properties['com.example.cc81.approval'].steps.join('')", 'ab'],
    ['boolean property', "issue.properties['flag'] == true", true],
    ['static access', 'issue.properties.flag', true],
    ['optional chain on a missing property', "issue.properties['nope']?.approver", null],
    ['missing key of a property Map is null', "issue.properties['com.example.cc81.approval'].nope", null],
  ])('%s: %s', (_label, source, expected) => {
    expect(evaluate(source)).toEqual(expected);
  });
});

describe('cost accounting', () => {
  const run = (source: string, options = {}) => runJiraExpression(source, context(), options);

  it.each<[string, string, number, number]>([
    ['no expensive reads', "issue.summary != '' && user.accountId != null", 0, 0],
    ['one custom field', 'issue.customfield_10001 != null', 1, 1],
    ['same custom field read twice counts twice (conservative)', "issue.customfield_10001 != null && issue.customfield_10001 != ''", 2, 1],
    ['let-binding reads once', "let r = issue.customfield_10001; r != null && r != ''", 1, 1],
    ['missing custom field still costs', 'issue.customfield_99999 == null', 1, 1],
    ['entity property', "issue.properties['flag'] == true", 1, 1],
    ['user.groups (unconfirmed; counted conservatively)', "user.groups.includes('cab')", 1, 1],
    ['reads in untaken branches cost nothing', 'false && issue.customfield_10001 != null', 0, 0],
    ['reads in a callback count per evaluation', "['a', 'b'].some(x => issue.customfield_10001 == x)", 2, 1],
    ['two fields and a property', "issue.customfield_10001 != null && issue.customfield_10003.value == 'Yes' && issue.properties.flag", 3, 3],
  ])('%s', (_label, source, expensiveOps, distinct) => {
    const result = run(source);
    expect(result.expensiveOps).toBe(expensiveOps);
    expect(result.distinctExpensiveOps).toBe(distinct);
  });

  it('lists the reads', () => {
    expect(run("issue.customfield_10001 != null && issue.properties['flag'] && user.groups.length > 0").expensiveReads).toEqual([
      { kind: 'customField', key: 'customfield_10001' },
      { kind: 'entityProperty', key: 'flag' },
      { kind: 'userGroups', key: 'acc-alice' },
    ]);
  });

  it('counts steps and reports the length', () => {
    const result = run('1 + 2 == 3');
    expect(result.value).toBe(true);
    expect(result.steps).toBeGreaterThanOrEqual(5);
    expect(result.length).toBe(10);
  });

  it('fails beyond 10 expensive operations', () => {
    const source = Array.from({ length: 11 }, () => 'issue.customfield_10001 != null').join(' && ');
    expect(() => run(source)).toThrow(expect.objectContaining({ code: 'LIMIT' }));
    expect(run(source, { maxExpensiveOps: 11 }).expensiveOps).toBe(11);
  });

  it('fails beyond the length limit', () => {
    const source = `'${'x'.repeat(1_000)}' != ''`;
    expect(() => run(source)).toThrow(expect.objectContaining({ code: 'LIMIT' }));
    expect(run(source, { maxLength: 2_000 }).value).toBe(true);
  });
});

describe('validatorOutcome', () => {
  it.each<[unknown, ReturnType<typeof validatorOutcome>]>([
    [true, { pass: true }],
    [false, { pass: false, message: null }],
    ['Approver must differ from the implementer', { pass: false, message: 'Approver must differ from the implementer' }],
    [null, { pass: false, message: null }],
    [1, { pass: false, message: null }],
  ])('%p', (value, outcome) => {
    expect(validatorOutcome(value)).toEqual(outcome);
  });
});

describe('a realistic compiled rule', () => {
  const rule = [
    'let approver = issue.customfield_10004;',
    'let risk = issue.customfield_10003;',
    "let rollback = issue.customfield_10002 == null ? '' : new RichText(issue.customfield_10002).plainText;",
    "approver == null ? 'An approver is required'",
    ": approver.accountId == user.accountId ? 'The approver cannot approve their own change'",
    ": risk != null && risk.value == 'Yes' && rollback.trim() == '' ? 'High-risk changes need a rollback plan'",
    ': true',
  ].join('\n');

  it('passes for another approver and costs one read per field', () => {
    const result = runJiraExpression(rule, context());
    expect(result.value).toBe(true);
    expect(result.expensiveOps).toBe(4); // customfield_10002 is read twice
    expect(result.distinctExpensiveOps).toBe(3);
  });

  it('blocks self-approval with a message', () => {
    const value = evaluateJiraExpression(rule, context({ user: bob }));
    expect(validatorOutcome(value)).toEqual({ pass: false, message: 'The approver cannot approve their own change' });
  });

  it('blocks a missing rollback plan on a high-risk change', () => {
    const issue = buildIssue({ customFields: { customfield_10004: bob, customfield_10003: jiraOption('Yes', 1) } });
    expect(evaluateJiraExpression(rule, { ...context(), issue })).toBe('High-risk changes need a rollback plan');
  });
});

describe('syntaxTreeLeaves', () => {
  it('counts the nodes without children: identifiers, literals and the operator tokens the tree keeps', () => {
    // issue customfield_10001 != null && user accountId == 'acc-alice'
    expect(syntaxTreeLeaves("issue.customfield_10001 != null && user.accountId == 'acc-alice'")).toBe(9);
    // let, `=`, `;`, `!` and brackets are not nodes; `[]` is a leaf
    expect(syntaxTreeLeaves('let xs = []; !(xs.length > 0)')).toBe(6);
  });

  it('refuses text that does not parse', () => {
    expect(() => syntaxTreeLeaves('issue.summary ==')).toThrow(ExpressionSubsetError);
  });
});
