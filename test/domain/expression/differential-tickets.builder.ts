import fc from 'fast-check';
import type { ChangeType, EdgeId, EvidenceRecord, FieldKey, Risk, State } from '../../../src/domain';
import { at } from '../../builders/clock';
import { arbPolicyVariant, type RawTicket } from '../../builders/jira-ticket.builder';
import { PEOPLE, type PersonRole } from '../../builders/people.builder';

export type Variant = typeof arbPolicyVariant extends fc.Arbitrary<infer V> ? V : never;
export type Kind = 'condition' | 'validator';

/** A generated case: the ticket, who acts, the policy variant and the hour, and the verdict it was built for. */
export interface Scenario {
  variant: Variant;
  raw: RawTicket;
  role: PersonRole | null;
  nowHour: number;
  expected: 'allowed' | 'blocked';
  /** `allowed`, or the one ingredient removed or perturbed. */
  reason: string;
}

type NamedRole = 'approver' | 'implementer' | 'verifier';

/** What each edge requires, written out here (independently of src/domain/lifecycle.ts). */
interface EdgeRules {
  types: readonly ChangeType[];
  required: readonly FieldKey[];
  named?: { role: NamedRole; cab: boolean };
  notImplementer?: { relaxable: boolean };
  /** Three people (issue 15): the actor is neither the named approver nor anyone who approved. */
  notApprover?: { relaxable: boolean };
  cab?: true;
  rollback?: true;
  window?: 'defined' | 'inside';
  lowRiskOnly?: true;
}

const ALL: readonly ChangeType[] = ['standard', 'normal', 'emergency'];
const EMERGENCY_IMPLEMENT: EdgeRules = {
  types: ['emergency'],
  required: ['summary', 'emergencyJustification', 'targetSystems', 'implementer', 'implementationEvidence'],
  named: { role: 'implementer', cab: false },
};
const CANCEL: EdgeRules = { types: ALL, required: ['cancellationReason'] };

export const EDGE_RULES: Record<EdgeId, EdgeRules> = {
  submit: { types: ALL, required: ['summary', 'justification', 'changeType', 'risk', 'targetSystems', 'implementer'] },
  approve: {
    types: ALL,
    required: ['risk', 'testPlan', 'rollbackPlan', 'approver', 'implementer'],
    cab: true,
    named: { role: 'approver', cab: true },
    notImplementer: { relaxable: true },
  },
  schedule: { types: ALL, required: [], window: 'defined' },
  implement: { types: ALL, required: ['implementationEvidence', 'implementer'], named: { role: 'implementer', cab: false }, window: 'inside' },
  close: {
    types: ALL,
    required: ['verificationResult', 'verifier', 'implementer'],
    rollback: true,
    named: { role: 'verifier', cab: false },
    notImplementer: { relaxable: false },
    notApprover: { relaxable: true },
  },
  standardSchedule: {
    types: ['standard'],
    required: ['summary', 'justification', 'risk', 'targetSystems', 'implementer', 'standardTemplate'],
    lowRiskOnly: true,
    window: 'defined',
  },
  emergencyImplementFromDraft: EMERGENCY_IMPLEMENT,
  emergencyImplementFromAssessment: EMERGENCY_IMPLEMENT,
  postHocApprove: { types: ['emergency'], required: ['approver', 'implementer'], named: { role: 'approver', cab: true }, notImplementer: { relaxable: true } },
  sendBack: { types: ALL, required: [] },
  reassess: { types: ALL, required: [] },
  reschedule: { types: ALL, required: [] },
  cancelFromDraft: CANCEL,
  cancelFromAssessment: CANCEL,
  cancelFromApproved: CANCEL,
  cancelFromScheduled: CANCEL,
};

/** Jira option labels, written out here. */
const TYPE_LABEL: Record<ChangeType, string> = { standard: 'Standard', normal: 'Normal', emergency: 'Emergency' };
const RISK_LABEL: Record<Risk, string> = { low: 'Low', medium: 'Medium', high: 'High' };
const PASSED = 'Passed';
const FAILED = 'Failed and rolled back';
const UNKNOWN_OPTION = 'Not a known option';

const USER_FIELDS: readonly FieldKey[] = ['requester', 'implementer', 'approver', 'verifier'];
const OPTION_FIELDS: readonly FieldKey[] = ['changeType', 'risk', 'verificationResult'];

/** Values a field counts as empty with: null, blank text, a list of blanks, an unknown option. */
const missingValues = (field: FieldKey): RawTicket['values'][FieldKey][] => {
  if (USER_FIELDS.includes(field) || field === 'windowStart' || field === 'windowEnd') return [null];
  if (OPTION_FIELDS.includes(field)) return [null, UNKNOWN_OPTION];
  if (field === 'targetSystems') return [null, [], ['  ']];
  return [null, '', '   '];
};

const pick = <T>(k: number, options: readonly T[]): T => options[k % options.length]!;

type Spelling = 'as-is' | 'upper' | 'lower' | 'padded';
const SPELL: Record<Spelling, (label: string) => string> = { 'as-is': (l) => l, upper: (l) => l.toUpperCase(), lower: (l) => l.toLowerCase(), padded: (l) => ` ${l}  ` };
/** The option labels of a finished scenario, spelled another way (an unknown option stays unknown). */
const respell = (s: Scenario, spelling: Spelling): Scenario => {
  for (const field of OPTION_FIELDS) {
    const value = s.raw.values[field];
    if (typeof value === 'string' && value !== UNKNOWN_OPTION) s.raw.values[field] = SPELL[spelling](value);
  }
  return s;
};
const cabEffective = (v: Variant) => v.cabGroup || v.cabIds;
const rec = (from: State, to: State, by: PersonRole | null, hour: number): EvidenceRecord => ({ from, to, accountId: by ? PEOPLE[by] : null, at: at(hour) });

const ROLES: readonly PersonRole[] = ['requester', 'implementer', 'approver', 'verifier', 'cab', 'outsider'];
const TEXT_FIELDS: readonly FieldKey[] = [
  'summary',
  'justification',
  'testPlan',
  'rollbackPlan',
  'implementationEvidence',
  'standardTemplate',
  'emergencyJustification',
  'cancellationReason',
];

const arbDraws = fc.record({
  variant: arbPolicyVariant,
  type: fc.nat({ max: 719 }),
  /** For edges open to every type that do not require it: the change type may be unset or unknown. */
  typeUnset: fc.constantFrom('set', 'set', 'set', 'null', 'unknown'),
  risk: fc.constantFrom<Risk>('low', 'medium', 'high'),
  verification: fc.constantFrom(PASSED, FAILED),
  text: fc.constantFrom('Documented step by step', '  padded  '),
  labels: fc.constantFrom<string[]>(['edge-proxy'], ['  ', 'cdn']),
  optionalFilled: fc.boolean(),
  /** How the site spells its option labels: Jira compares exactly, the domain ignores case and outer spaces. */
  spelling: fc.constantFrom<Spelling>('as-is', 'as-is', 'upper', 'lower', 'padded'),
  start: fc.integer({ min: 0, max: 12 }),
  end: fc.integer({ min: 13, max: 30 }),
  /** A recurring window instead of start/end (when mapped), with start/end both, one or neither set. */
  recurring: fc.boolean(),
  partial: fc.constantFrom('both', 'none', 'start', 'end'),
  now: fc.nat({ max: 30 }),
  actor: fc.nat({ max: 719 }),
  requesterIsActor: fc.boolean(),
  selfApproval: fc.boolean(),
  implementations: fc.array(
    fc.record({ from: fc.constantFrom<State>('Scheduled', 'Approved', 'Draft', 'Assessment'), by: fc.constantFrom<PersonRole | null>('implementer', null), hour: fc.nat({ max: 30 }) }),
    { maxLength: 2 },
  ),
  /** Steps that are not implementations, by anyone (the actor included). */
  noise: fc.array(
    fc.record({
      step: fc.constantFrom<[State, State]>(['Assessment', 'Approved'], ['Implemented', 'Closed'], ['Implemented', 'Implemented']),
      by: fc.constantFrom<PersonRole | null>(...ROLES, null),
      hour: fc.nat({ max: 30 }),
    }),
    { maxLength: 2 },
  ),
});
type Draws = typeof arbDraws extends fc.Arbitrary<infer D> ? D : never;

/** A ticket every check of `edge` accepts (for the validator, so for the condition too). */
const allowedScenario = (edge: EdgeId, d: Draws, allowSelfApproval: boolean): Scenario => {
  const rules = EDGE_RULES[edge];
  const variant: Variant = { ...d.variant, cabRisks: [...d.variant.cabRisks] };
  const values: RawTicket['values'] = {};
  for (const field of TEXT_FIELDS) values[field] = d.text;
  values.targetSystems = d.labels;
  values.requester = PEOPLE.requester;
  values.implementer = PEOPLE.implementer;
  values.approver = PEOPLE.approver;
  values.verifier = PEOPLE.verifier;

  const type = pick(d.type, rules.types);
  const typeOptional = rules.types.length === ALL.length && !rules.required.includes('changeType');
  values.changeType = typeOptional && d.typeUnset !== 'set' ? (d.typeUnset === 'null' ? null : UNKNOWN_OPTION) : TYPE_LABEL[type];

  let risk: Risk = rules.lowRiskOnly ? 'low' : d.risk;
  let role: PersonRole | null;
  // Under a group or CAB requirement only the approver, verifier and CAB member may act (never the implementer).
  const anyone = variant.eligible === 'anyone';
  if (variant.eligible === 'cab') variant.cabGroup = true;
  const selfApproval = anyone && allowSelfApproval && d.selfApproval && rules.notImplementer?.relaxable === true;
  const approverVerifies = anyone && allowSelfApproval && d.selfApproval && rules.notApprover?.relaxable === true;
  if (selfApproval) {
    // The implementer approves a low-risk change under the relaxation (named as approver too).
    variant.relaxed = true;
    risk = 'low';
    values.approver = PEOPLE.implementer;
    role = 'implementer';
  } else if (approverVerifies) {
    // The named approver verifies a low-risk change under the relaxation (named as verifier too).
    variant.relaxed = true;
    risk = 'low';
    values.approver = PEOPLE.verifier;
    role = 'verifier';
  } else if (rules.named && variant.eligible === 'cab' && rules.named.role !== 'implementer') {
    // Only CAB members: the CAB member approves (as CAB) or is the named verifier.
    role = 'cab';
    if (!rules.named.cab) values[rules.named.role] = PEOPLE.cab;
  } else if (rules.named) {
    role = pick(d.actor, rules.named.cab && cabEffective(variant) ? [rules.named.role, 'cab'] : [rules.named.role]);
  } else {
    role = pick(d.actor, [...ROLES, null]);
  }
  values.risk = RISK_LABEL[risk];
  if (role && d.requesterIsActor) values.requester = PEOPLE[role];
  const cabNeeded = rules.cab === true && variant.cabRisks.includes(risk);
  values.cabReference = cabNeeded || d.optionalFilled ? 'CAB-2026-14' : null;

  values.verificationResult = d.verification;
  values.rollbackOutcome = d.verification === FAILED || d.optionalFilled ? 'Rolled back at 10:05' : null;

  let nowHour = d.now;
  const recurring = d.recurring && variant.recurringMapped;
  values.recurringWindow = recurring ? 'Every Tuesday 02:00-04:00' : d.optionalFilled ? 'Unmapped or unused' : null;
  if (recurring) {
    values.windowStart = d.partial === 'both' || d.partial === 'start' ? d.start : null;
    values.windowEnd = d.partial === 'both' || d.partial === 'end' ? d.end : null;
    if (d.partial === 'both' && rules.window === 'inside') nowHour = d.start + (d.now % (d.end - d.start + 1));
  } else {
    values.windowStart = d.start;
    values.windowEnd = d.end;
    if (rules.window === 'inside') nowHour = d.start + (d.now % (d.end - d.start + 1));
  }

  // Where the actor may not be an approver, approvals in the noise are by the approver (or nobody identifiable).
  const approvalBy = (n: Draws['noise'][number]) => (rules.notApprover && n.step[1] !== 'Closed' && n.by !== null ? 'approver' : n.by);
  const evidence = [
    ...d.implementations.map((i) => rec(i.from, 'Implemented', i.by, i.hour)),
    ...d.noise.map((n) => rec(n.step[0], n.step[1], approvalBy(n), n.hour)),
  ];
  return { variant, raw: { values, evidence }, role, nowHour, expected: 'allowed', reason: 'allowed' };
};

interface Perturbation {
  name: string;
  kinds: readonly Kind[];
  /** Changes one ingredient of an allowed scenario so that exactly one check blocks it. */
  apply: (s: Scenario, k: number, edge: EdgeId) => void;
}

/** Whoever may not act on `edge`: not the named person, not the implementer, not a CAB member who may stand in. */
const outsidersOf = (edge: EdgeId, variant: Variant): (PersonRole | null)[] => {
  const rules = EDGE_RULES[edge];
  const named = rules.named!;
  return [...ROLES, null].filter(
    (role) =>
      role !== named.role && role !== 'implementer' && !(role === 'cab' && named.cab && cabEffective(variant)) && !(role === 'approver' && rules.notApprover),
  );
};

/** The perturbations of who acts keep one reason: no group or CAB requirement on top. */
const anyoneMayAct = (s: Scenario) => {
  // Undo the CAB-only path's verifier (the CAB member named), so the named verifier is the verifier again.
  if (s.variant.eligible === 'cab' && s.raw.values.verifier === PEOPLE.cab) s.raw.values.verifier = PEOPLE.verifier;
  s.variant.eligible = 'anyone';
};

const withoutRecurring = (s: Scenario, k: number) => {
  // Not set, or set in a field the policy does not map.
  if (k % 2 === 0) s.raw.values.recurringWindow = pick(k >> 1, missingValues('recurringWindow'));
  else s.variant.recurringMapped = false;
};

const perturbationsFor = (edge: EdgeId, kind: Kind): Perturbation[] => {
  const rules = EDGE_RULES[edge];
  const out: Perturbation[] = [];
  for (const field of rules.required) {
    out.push({ name: `missing ${field}`, kinds: ['validator'], apply: (s, k) => void (s.raw.values[field] = pick(k, missingValues(field))) });
  }
  if (rules.types.length < ALL.length) {
    out.push({
      name: 'wrong change type',
      kinds: ['condition', 'validator'],
      apply: (s, k) => {
        const others = ALL.filter((t) => !rules.types.includes(t)).map((t) => TYPE_LABEL[t]);
        s.raw.values.changeType = pick(k, [...others, null, UNKNOWN_OPTION]);
      },
    });
  }
  if (rules.cab) {
    out.push({
      name: 'CAB reference missing for a CAB risk',
      kinds: ['validator'],
      apply: (s, k) => {
        const risk = (Object.keys(RISK_LABEL) as Risk[]).find((r) => RISK_LABEL[r] === s.raw.values.risk)!;
        if (!s.variant.cabRisks.includes(risk)) s.variant.cabRisks.push(risk);
        s.raw.values.cabReference = pick(k, missingValues('cabReference'));
      },
    });
  }
  if (rules.rollback) {
    out.push({
      name: 'failed verification without rollback outcome',
      kinds: ['validator'],
      apply: (s, k) => {
        s.raw.values.verificationResult = FAILED;
        s.raw.values.rollbackOutcome = pick(k, missingValues('rollbackOutcome'));
      },
    });
  }
  if (rules.window === 'defined') {
    out.push({
      name: 'window start or end missing',
      kinds: ['validator'],
      apply: (s, k) => {
        const gone = pick(k, ['windowStart', 'windowEnd'] as const);
        s.raw.values.windowStart = 3;
        s.raw.values.windowEnd = 20;
        s.raw.values[gone] = null;
        withoutRecurring(s, k >> 1);
      },
    });
    out.push({
      name: 'window does not start before it ends',
      kinds: ['validator'],
      apply: (s, k) => {
        s.raw.values.windowStart = 10 + (k % 11);
        s.raw.values.windowEnd = Number(s.raw.values.windowStart) - ((k >> 2) % 4);
        withoutRecurring(s, k >> 4);
      },
    });
  }
  if (rules.window === 'inside') {
    out.push({
      name: 'outside the window (enforced)',
      kinds: ['validator'],
      apply: (s, k) => {
        s.variant.flagWindow = false;
        const start = 2 + (k % 10);
        const end = start + 1 + ((k >> 3) % 12);
        s.raw.values.windowStart = start;
        s.raw.values.windowEnd = end;
        const mode = (k >> 7) % 3;
        if (mode === 0) s.nowHour = start - 1 - ((k >> 9) % 2);
        else if (mode === 1) s.nowHour = end + 1 + ((k >> 9) % 2);
        else {
          s.raw.values[pick(k >> 9, ['windowStart', 'windowEnd'] as const)] = null;
          withoutRecurring(s, k >> 10);
        }
      },
    });
  }
  if (rules.lowRiskOnly) {
    out.push({ name: 'risk above low', kinds: ['validator'], apply: (s, k) => void (s.raw.values.risk = pick(k, [RISK_LABEL.medium, RISK_LABEL.high])) });
  }
  if (rules.named) {
    const named = rules.named;
    out.push({
      name: 'actor is not the named person',
      kinds: ['condition', 'validator'],
      apply: (s, k) => {
        anyoneMayAct(s);
        s.role = pick(k, outsidersOf(edge, s.variant));
      },
    });
    out.push({
      name: 'the named person is someone else',
      kinds: ['condition', 'validator'],
      apply: (s, k) => {
        anyoneMayAct(s);
        s.role = named.role;
        s.raw.values[named.role] = PEOPLE[pick(k, ROLES.filter((r) => r !== named.role))];
      },
    });
  }
  if (rules.named && rules.named.role !== 'implementer') {
    const role = rules.named.role;
    out.push({
      name: 'actor may not act in this role under the policy',
      kinds: ['condition', 'validator'],
      apply: (s, k) => {
        // Named, but neither in the required group nor on the CAB.
        if (s.variant.eligible === 'anyone') s.variant.eligible = pick(k, ['group', 'cab'] as const);
        s.role = pick(k >> 1, ['outsider', 'requester'] as const);
        s.raw.values[role] = PEOPLE[s.role];
      },
    });
  }
  if (rules.notImplementer) {
    const { relaxable } = rules.notImplementer;
    const named = rules.named!.role;
    out.push({
      name: 'actor is the implementer',
      kinds: ['condition', 'validator'],
      apply: (s, k) => {
        // The named person acts and is also the implementer: by the field, by the evidence, or both.
        anyoneMayAct(s);
        const person = pick(k, relaxable ? (['approver', 'requester', 'outsider', 'cab'] as const) : (['verifier', 'requester', 'outsider'] as const));
        s.role = person;
        s.raw.values[named] = PEOPLE[person];
        const how = (k >> 3) % 3;
        if (how !== 1) s.raw.values.implementer = PEOPLE[person];
        if (how !== 0) {
          const from = pick(k >> 5, relaxable ? (['Scheduled', 'Approved', 'Draft', 'Assessment'] as const) : (['Scheduled', 'Approved'] as const));
          s.raw.evidence.push(rec(from, 'Implemented', person, (k >> 7) % 31));
        }
        if (relaxable && s.variant.relaxed && s.raw.values.risk === RISK_LABEL.low) {
          if ((k >> 9) % 2 === 0) s.variant.relaxed = false;
          else {
            s.raw.values.risk = pick(k >> 10, [RISK_LABEL.medium, RISK_LABEL.high]);
            s.raw.values.cabReference = 'CAB-2026-14';
          }
        }
      },
    });
  }
  if (rules.notApprover) {
    const { relaxable } = rules.notApprover;
    const named = rules.named!.role;
    out.push({
      name: 'actor is an approver',
      kinds: ['condition', 'validator'],
      apply: (s, k) => {
        // The named person acts and is also an approver: named in the field, or on record approving, or approving post hoc.
        anyoneMayAct(s);
        s.role = named;
        if (s.raw.values[named] !== PEOPLE[named]) s.raw.values[named] = PEOPLE[named];
        const how = k % 3;
        if (how === 0) s.raw.values.approver = PEOPLE[named];
        else s.raw.evidence.push(how === 1 ? rec('Assessment', 'Approved', named, (k >> 2) % 31) : rec('Implemented', 'Implemented', named, (k >> 2) % 31));
        if (relaxable && s.variant.relaxed && s.raw.values.risk === RISK_LABEL.low) {
          if ((k >> 7) % 2 === 0) s.variant.relaxed = false;
          else s.raw.values.risk = pick(k >> 8, [RISK_LABEL.medium, RISK_LABEL.high]);
        }
      },
    });
  }
  return out.filter((p) => p.kinds.includes(kind));
};

/** The one-reason perturbations for `edge`/`kind`; empty when its compiled rule checks nothing. */
export const blockingIngredients = (edge: EdgeId, kind: Kind): string[] => perturbationsFor(edge, kind).map((p) => p.name);

/** Tickets built to be allowed. */
export const arbAllowedScenario = (edge: EdgeId): fc.Arbitrary<Scenario> => arbDraws.map((d) => respell(allowedScenario(edge, d, true), d.spelling));

/** Tickets built to be blocked for exactly one reason (an allowed one with one ingredient removed or perturbed). */
export const arbBlockedScenario = (edge: EdgeId, kind: Kind): fc.Arbitrary<Scenario> => {
  const perturbations = perturbationsFor(edge, kind);
  return fc.tuple(arbDraws, fc.constantFrom(...perturbations), fc.nat({ max: 0xffff })).map(([d, p, k]) => {
    const s = allowedScenario(edge, d, false);
    p.apply(s, k, edge);
    return { ...respell(s, d.spelling), expected: 'blocked', reason: p.name };
  });
};

/** Allowed and one-reason-blocked tickets, half and half (all allowed when the edge checks nothing for `kind`). */
export const arbScenario = (edge: EdgeId, kind: Kind): fc.Arbitrary<Scenario> =>
  perturbationsFor(edge, kind).length === 0
    ? arbAllowedScenario(edge)
    : fc.oneof({ arbitrary: arbAllowedScenario(edge), weight: 1 }, { arbitrary: arbBlockedScenario(edge, kind), weight: 1 });
