import { buildIssue, jiraUser } from '../../../sandbox/jira-expression/object-model';
import type { InstalledExpressionRule } from '../../../sandbox/workflow/installed-rules';
import { evaluateConditionRule, evaluateValidatorRule, failClosedMessage } from '../../../sandbox/workflow/rule-evaluation';
import { at } from '../../builders/clock';

const rule = (expression: string, kind: 'condition' | 'validator' = 'validator', part = 1, parts = 1): InstalledExpressionRule => ({
  module: kind === 'condition' ? 'cc81-transition-condition' : 'cc81-transition-validator',
  kind,
  ruleId: 'rule-1',
  expression,
  config: null,
  configValue: null,
  part,
  parts,
  checks: [],
  expensiveOps: 0,
  unconfigured: null,
  broken: null,
});
const context = { issue: buildIssue({ summary: 'S', customFields: { customfield_1: null } }), user: jiraUser('acc-1', { groups: ['g'] }), now: at(0) };

describe('rule evaluation (Jira verdicts, failing closed)', () => {
  it('shows a transition only when the condition is exactly true', () => {
    expect(evaluateConditionRule(rule("user.groups.includes('g')", 'condition'), context)).toEqual({ shown: true });
    expect(evaluateConditionRule(rule("user.groups.includes('h')", 'condition'), context)).toEqual({ shown: false, error: null });
    expect(evaluateConditionRule(rule("'yes'", 'condition'), context)).toEqual({ shown: false, error: null });
  });

  it('hides the transition when the condition throws, and says why in loggable terms', () => {
    expect(evaluateConditionRule(rule('issue.customfield_1.value', 'condition'), context)).toEqual({ shown: false, error: { errorName: 'JiraEvaluationError', errorCode: 'NULL_MEMBER' } });
    expect(evaluateConditionRule(rule('issue.summary === "S"', 'condition'), context)).toMatchObject({ shown: false, error: { errorName: 'ExpressionSubsetError' } });
  });

  it('passes a validator only on true, shows a returned string, blocks anything else with a generic message', () => {
    expect(evaluateValidatorRule(rule('issue.summary == \'S\''), 'Approve', context)).toEqual({ pass: true });
    expect(evaluateValidatorRule(rule("'Fill in Test plan'"), 'Approve', context)).toEqual({ pass: false, message: 'Fill in Test plan', error: null });
    expect(evaluateValidatorRule(rule('null', 'validator', 2, 3), 'Approve', context)).toEqual({ pass: false, message: failClosedMessage('Approve', { part: 2, parts: 3 }), error: null });
    expect(evaluateValidatorRule(rule('issue.customfield_1.value'), 'Approve', context)).toMatchObject({ pass: false, message: failClosedMessage('Approve', { part: 1, parts: 1 }), error: { errorCode: 'NULL_MEMBER' } });
    expect(failClosedMessage('Approve', { part: 2, parts: 3 })).toContain('part 2 of 3');
  });

  it('never evaluates a rule whose saved config is broken: the condition hides, the validator blocks with its fix', () => {
    const broken: InstalledExpressionRule = { ...rule('true'), broken: { message: 'Reinstall the rules from the CC8.1 admin page.' } };
    expect(evaluateConditionRule({ ...broken, kind: 'condition' }, context)).toEqual({ shown: false, error: { errorName: 'BrokenRuleConfig', errorCode: null } });
    expect(evaluateValidatorRule(broken, 'Approve', context)).toEqual({ pass: false, message: 'Reinstall the rules from the CC8.1 admin page.', error: { errorName: 'BrokenRuleConfig', errorCode: null } });
  });

  it('gives the expression the parsed saved config as `config`', () => {
    expect(evaluateValidatorRule({ ...rule("config.edge == 'approve'"), configValue: { edge: 'approve' } }, 'Approve', context)).toEqual({ pass: true });
    expect(evaluateValidatorRule({ ...rule("config.edge == 'approve'"), configValue: { edge: 'close' } }, 'Approve', context)).toMatchObject({ pass: false });
  });

  it('gives new Date() the sandbox clock', () => {
    expect(evaluateConditionRule(rule("new Date() < new Date('2026-03-02T09:00:00.000+0000')", 'condition'), context)).toEqual({ shown: true });
    expect(evaluateConditionRule(rule("new Date() < new Date('2026-03-02T09:00:00.000+0000')", 'condition'), { ...context, now: at(2) })).toEqual({ shown: false, error: null });
  });
});
