import type { FieldKey } from './change-model';
import type { RuleSpec } from './lifecycle';

/** The CC8.1 fields a rule reads; they must be mapped for the rule to be judged. */
export const ruleFields = (rule: RuleSpec): FieldKey[] => {
  switch (rule.kind) {
    case 'required':
      return [rule.field];
    case 'cabReferenceForRisk':
      return ['risk', 'cabReference'];
    case 'rollbackOutcomeIfFailed':
      return ['verificationResult', 'rollbackOutcome'];
    case 'windowDefined':
    case 'insideWindow':
      return ['windowStart', 'windowEnd'];
    case 'recurringWindowReadable':
    case 'insideRecurringWindow':
      return []; // the recurring window is optional: unmapped, no change has one
    case 'riskIn':
      return ['risk'];
    case 'actorIsNamed':
      return [rule.role];
    case 'actorIsNotApprover':
      return ['approver'];
    case 'notSelfNominated':
      return [rule.role];
    case 'approverUnchangedSinceSubmit':
      return ['approver'];
    case 'actorIsEligible':
      return [];
    case 'actorIsNotImplementer':
    case 'postHocApprovalRecorded':
    case 'approvedByNonImplementer':
      return ['implementer'];
    case 'noMaterialChangeSinceApproval':
      return [];
  }
};

/** The fields a user fills in for a rule on the transition screen (time, history and evidence checks need none). */
export const ruleInputFields = (rule: RuleSpec): FieldKey[] => {
  switch (rule.kind) {
    case 'windowDefined':
      return [...ruleFields(rule), 'recurringWindow'];
    case 'insideWindow':
    case 'insideRecurringWindow':
    case 'recurringWindowReadable':
    case 'actorIsNotApprover':
    case 'notSelfNominated':
    case 'approverUnchangedSinceSubmit':
    case 'actorIsEligible':
    case 'postHocApprovalRecorded':
    case 'approvedByNonImplementer':
    case 'noMaterialChangeSinceApproval':
      return [];
    default:
      return ruleFields(rule);
  }
};
