/**
 * The app's workflow rule modules (manifest.yml keys), by the slot they fill on a transition, and
 * how to find each one among the Forge rules Jira offers on a workflow (`GET /workflows/capabilities`):
 * an offer's id is the module's extension ARI, `ari:cloud:ecosystem::extension/{app}/{env}/static/{moduleKey}`.
 */
import type { RuleSlot } from '../shared/admin-contract';
import type { ForgeRuleOffer } from '../jira/workflow-schemas';

export const RULE_MODULE_KEYS: Readonly<Record<RuleSlot, string>> = {
  condition: 'cc81-transition-condition',
  validator: 'cc81-transition-validator',
  'history-gate': 'cc81-history-gate',
  'evidence-recorder': 'cc81-evidence-recorder',
};

/** Where a slot's rules sit on a transition. */
export const SLOT_PLACE: Readonly<Record<RuleSlot, 'conditions' | 'validators' | 'actions'>> = {
  condition: 'conditions',
  validator: 'validators',
  'history-gate': 'validators',
  'evidence-recorder': 'actions',
};

/** The offer for a slot's module, or undefined when Jira does not offer it on this workflow. */
export const offerFor = (offers: readonly ForgeRuleOffer[], slot: RuleSlot): ForgeRuleOffer | undefined =>
  offers.find((offer) => offer.id.endsWith(`/static/${RULE_MODULE_KEYS[slot]}`));

/** The slot an installed rule's `parameters.key` (an extension ARI) belongs to, if it is one of the app's. */
export const slotOfRuleKey = (key: string | null | undefined): RuleSlot | null => {
  if (!key) return null;
  for (const slot of Object.keys(RULE_MODULE_KEYS) as RuleSlot[]) if (key.endsWith(`/static/${RULE_MODULE_KEYS[slot]}`)) return slot;
  return null;
};
