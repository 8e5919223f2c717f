/**
 * The app's workflow rule modules (manifest.yml keys), by the slot they fill on a transition, and
 * how to find each one among the Forge rules Jira offers on a workflow (`GET /workflows/capabilities`):
 * an offer's id is the module's extension ARI, `ari:cloud:ecosystem::extension/{appId}/{environmentId}/static/{moduleKey}`.
 * Dev, staging and production installs of the app on one site offer the same module keys under
 * different environment ids: the app's rules are those of its own environment, matched by the full ARI.
 */
import type { RuleSlot } from '../shared/admin-contract';
import type { ForgeRuleOffer } from '../jira/workflow-schemas';

export const RULE_MODULE_KEYS: Readonly<Record<RuleSlot, string>> = {
  condition: 'cc81-transition-condition',
  validator: 'cc81-transition-validator',
  'history-gate': 'cc81-history-gate',
  'evidence-recorder': 'cc81-evidence-recorder',
};

const SLOTS = Object.keys(RULE_MODULE_KEYS) as RuleSlot[];

/** Where a slot's rules sit on a transition. */
export const SLOT_PLACE: Readonly<Record<RuleSlot, 'conditions' | 'validators' | 'actions'>> = {
  condition: 'conditions',
  validator: 'validators',
  'history-gate': 'validators',
  'evidence-recorder': 'actions',
};

/** The Forge app and environment the running code belongs to (from the Forge runtime, never guessed). */
export interface AppEnvironment {
  appId: string;
  environmentId: string;
}

export interface ExtensionAri {
  appId: string;
  environmentId: string;
  moduleKey: string;
}

const EXTENSION_ARI = /^ari:cloud:ecosystem::extension\/([^/]+)\/([^/]+)\/static\/([^/]+)$/;

/** The parts of a Forge extension ARI, or null for anything else (Connect rules, Jira's own). */
export const parseExtensionAri = (ari: string | null | undefined): ExtensionAri | null => {
  const match = ari ? EXTENSION_ARI.exec(ari) : null;
  return match ? { appId: match[1]!, environmentId: match[2]!, moduleKey: match[3]! } : null;
};

/** The slot a module key fills, if it is one of the app's. */
const slotOfModuleKey = (moduleKey: string): RuleSlot | null => SLOTS.find((slot) => RULE_MODULE_KEYS[slot] === moduleKey) ?? null;

/** The slot of an installed rule's `parameters.key` if it names one of the app's modules in ANY environment. */
export const slotOfRuleKey = (key: string | null | undefined): RuleSlot | null => {
  const ari = parseExtensionAri(key);
  return ari ? slotOfModuleKey(ari.moduleKey) : null;
};

/** This environment's rules: the offer per slot, and the slot per ARI (what counts as the app's own rule). */
export interface AppRuleOffers {
  bySlot: Record<RuleSlot, ForgeRuleOffer>;
  slotOfAri: ReadonlyMap<string, RuleSlot>;
}

export type AppRuleOffersResult = { ok: true; offers: AppRuleOffers } | { ok: false; missing: RuleSlot[]; ambiguous: RuleSlot[] };

/**
 * Picks this environment's offer for each slot. With the environment known, only an offer whose ARI
 * carries its app and environment ids counts. Unknown (outside Forge), a slot offered by several
 * environments is ambiguous and refused rather than guessed.
 */
export const appRuleOffers = (offers: readonly ForgeRuleOffer[], environment: AppEnvironment | null): AppRuleOffersResult => {
  const missing: RuleSlot[] = [];
  const ambiguous: RuleSlot[] = [];
  const bySlot = {} as Record<RuleSlot, ForgeRuleOffer>;
  for (const slot of SLOTS) {
    const candidates = offers.filter((offer) => {
      const ari = parseExtensionAri(offer.id);
      if (!ari || ari.moduleKey !== RULE_MODULE_KEYS[slot]) return false;
      return !environment || (ari.appId === environment.appId && ari.environmentId === environment.environmentId);
    });
    if (candidates.length === 1) bySlot[slot] = candidates[0]!;
    else if (candidates.length === 0) missing.push(slot);
    else ambiguous.push(slot);
  }
  if (missing.length || ambiguous.length) return { ok: false, missing, ambiguous };
  return { ok: true, offers: { bySlot, slotOfAri: new Map(SLOTS.map((slot) => [bySlot[slot].id, slot])) } };
};

/** Words for a refused `appRuleOffers`, naming the environment when known. */
export const describeMissingOffers = (result: Extract<AppRuleOffersResult, { ok: false }>, workflowName: string, environment: AppEnvironment | null): string => {
  const where = environment ? ` for this installation (environment ${environment.environmentId})` : '';
  const parts: string[] = [];
  if (result.missing.length) parts.push(`Jira does not offer the app's ${result.missing.map((s) => RULE_MODULE_KEYS[s]).join(', ')}${where} on workflow "${workflowName}". Check that the app is installed and licensed on this site, and that the project is company-managed.`);
  if (result.ambiguous.length) parts.push(`Several installations of the app (development, staging, production) offer ${result.ambiguous.map((s) => RULE_MODULE_KEYS[s]).join(', ')} on workflow "${workflowName}", and this one cannot tell which is its own. Run the workflow setup from the installation that should own the rules.`);
  return parts.join(' ');
};
