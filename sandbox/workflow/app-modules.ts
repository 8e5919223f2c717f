/**
 * The app's four workflow rule modules as the sandbox's Jira knows them: manifest module keys, the
 * extension ARIs the workflows REST API names them by (`parameters.key` of a rule), and the offers
 * `GET /rest/api/3/workflows/capabilities` lists. The one place the module keys are spelled.
 */
import { FORGE_RULE_KEYS, type ForgeRuleOffer } from '../../src/jira/workflow-schemas';
import { RULE_MODULE_KEYS } from '../../src/setup/app-rule-modules';

/** The app's module keys, as the app itself names them (src/setup/app-rule-modules.ts). */
export const MODULES = {
  condition: RULE_MODULE_KEYS.condition,
  validator: RULE_MODULE_KEYS.validator,
  historyGate: RULE_MODULE_KEYS['history-gate'],
  evidenceRecorder: RULE_MODULE_KEYS['evidence-recorder'],
} as const;
export type ModuleSlot = keyof typeof MODULES;

/** The sandbox's app and environment ids inside extension ARIs. */
export const SANDBOX_APP_ID = 'sandbox-app';
export const SANDBOX_ENVIRONMENT_ID = 'sandbox';

export const moduleAri = (moduleKey: string): string => `ari:cloud:ecosystem::extension/${SANDBOX_APP_ID}/${SANDBOX_ENVIRONMENT_ID}/static/${moduleKey}`;

export const MODULE_ARIS: Record<ModuleSlot, string> = {
  condition: moduleAri(MODULES.condition),
  validator: moduleAri(MODULES.validator),
  historyGate: moduleAri(MODULES.historyGate),
  evidenceRecorder: moduleAri(MODULES.evidenceRecorder),
};

/** The module slot an ARI names, or null for another app's (or an unknown) rule. */
export const slotOfAri = (ari: string | undefined | null): ModuleSlot | null =>
  (Object.entries(MODULE_ARIS) as [ModuleSlot, string][]).find(([, candidate]) => candidate === ari)?.[0] ?? null;

/**
 * The rule key per slot. A Forge *function* validator's rule key in the workflows API is
 * unconfirmed (FORGE-NOTES.md lists only the three below); the sandbox offers the history gate as
 * `forge:expression-validator` and tells the modules apart by `parameters.key`, so either answer works.
 */
export const RULE_KEY_OF: Record<ModuleSlot, string> = {
  condition: FORGE_RULE_KEYS.condition,
  validator: FORGE_RULE_KEYS.validator,
  historyGate: FORGE_RULE_KEYS.validator,
  evidenceRecorder: FORGE_RULE_KEYS.postFunction,
};

/** Rule type, name and description per module, as the manifest has them (a test keeps them equal). */
export const MODULE_OFFER_TEXT: Record<ModuleSlot, { ruleType: 'Condition' | 'Validator' | 'Function'; name: string; description: string }> = {
  condition: {
    ruleType: 'Condition',
    name: 'CC8.1 transition condition',
    description: 'Hides a transition from users who may not perform this CC8.1 lifecycle step. Until a Jira admin configures it, it hides the transition from everyone (fails closed).',
  },
  validator: {
    ruleType: 'Validator',
    name: 'CC8.1 transition validator',
    description: 'Blocks a transition unless the CC8.1 evidence this lifecycle step needs is present. Blocks every transition until a Jira admin configures it.',
  },
  historyGate: {
    ruleType: 'Validator',
    name: 'CC8.1 history gate',
    description:
      'Blocks Mark implemented unless the change has a standing approval by someone other than the implementer and no material field changed since that approval (reads the changelog). Blocks with an explanation whenever it cannot decide.',
  },
  evidenceRecorder: {
    ruleType: 'Function',
    name: 'CC8.1 evidence recorder',
    description: "Records who approved, implemented, post-hoc approved or closed a change, and when, in the issue's CC8.1 evidence. Add it to those transitions; it never blocks a transition.",
  },
};

/** The app's rules as the capabilities endpoint offers them (AvailableWorkflowForgeRule). */
export const forgeRuleOffers = (): ForgeRuleOffer[] =>
  (Object.keys(MODULES) as ModuleSlot[]).map((slot) => ({ id: MODULE_ARIS[slot], ruleKey: RULE_KEY_OF[slot], ...MODULE_OFFER_TEXT[slot] }));
