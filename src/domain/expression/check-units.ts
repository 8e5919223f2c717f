import { FieldKey, fieldLabel } from '../change-model';
import { Edge, RuleSpec, isCompiledRule, windowInDays } from '../lifecycle';
import type { Policy } from '../policy';
import { eligibleWho } from '../nomination';
import { describeRule } from '../rule-descriptions';
import { RISKS } from '../states';
import { CONDITION_RULE_KINDS } from '../evaluate-transition.rule';
import type { RuleKind } from './compiled-rule';
import { list, namesUserExpr, optionIn, str } from './field-access';

/** Names of the variables a unit's code may use; bound once per expression. */
export interface Vars {
  field: (key: FieldKey) => string;
  /** `presentExpr` for a bound field. */
  present: (key: FieldKey) => string;
  /** Evidence records (list of maps) and those that entered Implemented. */
  records: string;
  implementations: string;
  now: string;
}

/** One check: the fields it reads, and either a required field or a boolean that must hold. */
export interface CheckUnit {
  fields: FieldKey[];
  /** Fields read only if mapped (a missing mapping means "never set"). */
  optionalFields: FieldKey[];
  evidence: boolean;
  now: boolean;
  required?: FieldKey;
  ok?: (v: Vars) => string;
  message?: string;
  check: string;
}

const unit = (partial: Omit<CheckUnit, 'optionalFields' | 'evidence' | 'now'> & Partial<CheckUnit>): CheckUnit => ({
  optionalFields: [],
  evidence: false,
  now: false,
  ...partial,
});

/** `null`-safe "the recurring window is set", or `false` when the field is not mapped. */
const recurringSet = (policy: Policy, v: Vars): string => (policy.fields.recurringWindow ? v.present('recurringWindow') : 'false');

const actorIsImplementer = (policy: Policy, v: Vars): string => {
  const impl = v.field('implementer');
  return `(${namesUserExpr(policy, 'implementer', impl)} || ${v.implementations}.some(r => r.accountId == user.accountId))`;
};

/** The named approver, or anyone the mirror shows approving: into Approved (not back by Reschedule), or the post-hoc loop. */
const actorIsApprover = (policy: Policy, v: Vars): string => {
  const approver = v.field('approver');
  const approval = `r.to == 'Approved' && r.from != 'Approved' && r.from != 'Scheduled' || r.from == 'Implemented' && r.to == 'Implemented'`;
  return `(${namesUserExpr(policy, 'approver', approver)} || ${v.records}.some(r => r.accountId == user.accountId && (${approval})))`;
};

const cabMember = (policy: Policy): string | null => {
  const parts: string[] = [];
  if (policy.cab.memberAccountIds.length) parts.push(`${list(policy.cab.memberAccountIds)}.includes(user.accountId)`);
  if (policy.cab.groupName) parts.push(`user.groups.includes(${str(policy.cab.groupName)})`);
  return parts.length ? parts.join(' || ') : null;
};

const MISMATCH: Record<'approver' | 'implementer' | 'verifier', string> = {
  approver: 'approve',
  implementer: 'do this',
  verifier: 'verify and close',
};

type UnitBuilder = (rule: RuleSpec, edge: Edge, policy: Policy) => CheckUnit[];

const BUILDERS: { [K in RuleSpec['kind']]?: (rule: Extract<RuleSpec, { kind: K }>, edge: Edge, policy: Policy) => CheckUnit[] } = {
  required: (rule) => [unit({ fields: [rule.field], required: rule.field, check: fieldLabel(rule.field) })],

  cabReferenceForRisk: (rule, _edge, policy) =>
    policy.cab.requiredForRisks.length === 0
      ? []
      : [
          unit({
            fields: ['risk', 'cabReference'],
            ok: (v) => `!${optionIn(policy, 'risk', v.field('risk'), policy.cab.requiredForRisks)} || ${v.present('cabReference')}`,
            message: `Add the CAB reference: ${policy.cab.requiredForRisks.join('/')}-risk changes need CAB review first.`,
            check: describeRule(rule),
          }),
        ],

  rollbackOutcomeIfFailed: (rule, _edge, policy) => [
    unit({
      fields: ['verificationResult', 'rollbackOutcome'],
      ok: (v) => `!${optionIn(policy, 'verificationResult', v.field('verificationResult'), ['failed-rolled-back'])} || ${v.present('rollbackOutcome')}`,
      message: 'Verification failed: describe the rollback outcome before closing.',
      check: describeRule(rule),
    }),
  ],

  windowDefined: (rule, edge, policy) => {
    const bound = (field: 'windowStart' | 'windowEnd') =>
      unit({
        fields: [field],
        optionalFields: ['recurringWindow'],
        ok: (v) => `${recurringSet(policy, v)} || ${v.field(field)} != null`,
        message: `Set ${fieldLabel(field)} (or a recurring window) to ${edge.name}.`,
        check: fieldLabel(field),
      });
    return [
      bound('windowStart'),
      bound('windowEnd'),
      // Days in date pickers: the history gate judges their order, in the policy's zone.
      ...(windowInDays(policy) ? [] : [unit({
        fields: ['windowStart', 'windowEnd'],
        optionalFields: ['recurringWindow'],
        ok: (v) => {
          const [s, e] = [v.field('windowStart'), v.field('windowEnd')];
          return `${recurringSet(policy, v)} || ${s} == null || ${e} == null || ${s} < ${e}`;
        },
        message: 'The maintenance window must start before it ends.',
        check: describeRule(rule),
      })]),
    ];
  },

  insideWindow: (rule, _edge, policy) =>
    policy.windowEnforcement === 'flag' || windowInDays(policy)
      ? []
      : [
          unit({
            fields: ['windowStart', 'windowEnd'],
            optionalFields: ['recurringWindow'],
            now: true,
            ok: (v) => {
              const [s, e] = [v.field('windowStart'), v.field('windowEnd')];
              return `(${s} != null && ${e} != null ? !(${v.now} < ${s}) && !(${e} < ${v.now}) : ${recurringSet(policy, v)})`;
            },
            message: 'This is outside the maintenance window: implement inside it, or reschedule first.',
            check: describeRule(rule),
          }),
        ],

  riskIn: (rule, edge, policy) => {
    const forbidden = RISKS.filter((risk) => !rule.risks.includes(risk));
    return [
      unit({
        fields: ['risk'],
        ok: (v) => `!${optionIn(policy, 'risk', v.field('risk'), forbidden)}`,
        message: `Only ${rule.risks.join('/')}-risk changes may ${edge.name}; take the normal approval path.`,
        check: describeRule(rule),
      }),
    ];
  },

  actorIsNamed: (rule, edge, policy) => {
    const cab = rule.allowCab ? cabMember(policy) : null;
    return [
      unit({
        fields: [rule.role],
        ok: (v) => {
          const named = v.field(rule.role);
          return `user != null && (!(${v.present(rule.role)}) || ${namesUserExpr(policy, rule.role, named)}${cab ? ` || ${cab}` : ''})`;
        },
        message: `Only the named ${rule.role}${rule.allowCab ? ' or a CAB member' : ''} may ${MISMATCH[rule.role]} (${edge.name}).`,
        check: describeRule(rule),
      }),
    ];
  },

  actorIsEligible: (rule, edge, policy) => {
    const need = policy.eligibility[rule.role];
    if (need.kind === 'anyone') return [];
    const member = need.kind === 'group' ? `user.groups.includes(${str(need.groupName)})` : (cabMember(policy) ?? 'false');
    return [
      unit({
        fields: [],
        ok: () => `user != null && (${member})`,
        message: `Only ${eligibleWho(rule.role, policy)} may ${MISMATCH[rule.role]} (${edge.name}).`,
        check: describeRule(rule),
      }),
    ];
  },

  actorIsNotImplementer: (rule, edge, policy) => {
    const relax = rule.relaxableForLowRisk && policy.lowRiskRelaxation.enabled;
    return [
      unit({
        fields: relax ? ['implementer', 'risk'] : ['implementer'],
        evidence: true,
        ok: (v) => `user != null && (!${actorIsImplementer(policy, v)}${relax ? ` || ${optionIn(policy, 'risk', v.field('risk'), ['low'])}` : ''})`,
        message: `The implementer may not ${edge.name}: someone else must ${rule.as === 'approver' ? 'approve' : 'verify'} this change.`,
        check: describeRule(rule),
      }),
    ];
  },

  actorIsNotApprover: (rule, edge, policy) => {
    const relax = rule.relaxableForLowRisk && policy.lowRiskRelaxation.enabled;
    return [
      unit({
        fields: relax ? ['approver', 'risk'] : ['approver'],
        evidence: true,
        ok: (v) => `user != null && (!${actorIsApprover(policy, v)}${relax ? ` || ${optionIn(policy, 'risk', v.field('risk'), ['low'])}` : ''})`,
        message: `An approver may not ${edge.name}: a third person, neither an approver nor the implementer, must verify this change.`,
        check: describeRule(rule),
      }),
    ];
  },
};

const buildUnits: UnitBuilder = (rule, edge, policy) => {
  const builder = BUILDERS[rule.kind] as ((r: RuleSpec, e: Edge, p: Policy) => CheckUnit[]) | undefined;
  return builder ? builder(rule, edge, policy) : [];
};

/** The edge's type restriction as a check (conditions and validators both carry it). */
const typeUnit = (edge: Edge, policy: Policy): CheckUnit[] =>
  edge.types.length === 3
    ? []
    : [
        unit({
          fields: ['changeType'],
          ok: (v) => optionIn(policy, 'changeType', v.field('changeType'), edge.types),
          message: `${edge.name} is only for ${edge.types.join(' or ')} changes; check Change type.`,
          check: `change type is ${edge.types.join(' or ')}`,
        }),
      ];

/** Every check a compiled rule of `kind` must make for `edge`, in a stable order. */
export const checkUnitsFor = (edge: Edge, kind: RuleKind, policy: Policy): CheckUnit[] => {
  const rules = edge.rules.filter((rule) => isCompiledRule(rule, policy) && (kind === 'validator' || CONDITION_RULE_KINDS.includes(rule.kind)));
  const extra: RuleSpec[] = kind === 'validator' ? (policy.additionalRequiredFields[edge.id] ?? []).map((field) => ({ kind: 'required', field })) : [];
  const units = [...typeUnit(edge, policy), ...[...rules, ...extra].flatMap((rule) => buildUnits(rule, edge, policy))];
  const seen = new Set<string>();
  return units.filter((u) => {
    if (!u.required) return true;
    if (seen.has(u.required)) return false;
    seen.add(u.required);
    return true;
  });
};
