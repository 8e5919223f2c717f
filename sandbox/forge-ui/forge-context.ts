/**
 * The Forge context of a Custom UI rule config page the sandbox hosts: what `view.getContext()`
 * returns in the iframe, and (as `call.context`) what the app's resolver gets with each `invoke`.
 * Shaped like Jira's for the CC8.1 workflow validator / condition (`extension.type`,
 * `entryPoint`, the saved `validatorConfig` / `conditionConfig` JSON string, the transition).
 */
import type { RuleConfig, RuleKind } from '../../src/domain/expression';
import { SANDBOX_CLOUD_ID, SANDBOX_INSTALL_CONTEXT } from '../forge-runtime/forge-payloads';
import { MODULES } from '../workflow/installed-rules';
import type { InstalledTransitionRules } from '../workflow/installed-rules';

export type EntryPoint = 'create' | 'edit' | 'view';
export const ENTRY_POINTS: readonly EntryPoint[] = ['create', 'edit', 'view'];

export const MODULE_TYPE_OF: Record<RuleKind, 'jira:workflowValidator' | 'jira:workflowCondition'> = {
  validator: 'jira:workflowValidator',
  condition: 'jira:workflowCondition',
};

export const MODULE_KEY_OF: Record<RuleKind, string> = { validator: MODULES.validator, condition: MODULES.condition };

/** The manifest's resolver function of the rule config page (both modules). */
export const RULE_CONFIG_FUNCTION = 'rule-config-resolver';

/** One opened rule config page: who opened it, for which rule; fixed when the dialog opens. */
export interface RuleConfigSession {
  token: string;
  accountId: string;
  transition: Pick<InstalledTransitionRules, 'transitionId' | 'transitionName' | 'edge' | 'from' | 'to'>;
  kind: RuleKind;
  entryPoint: EntryPoint;
  part: number;
  /** The config Jira holds for this rule when the dialog opened (null: none yet). */
  savedConfig: RuleConfig | null;
  createdAt: number;
}

export const ruleConfigContext = (session: RuleConfigSession, siteUrl: string) => {
  const configKey = session.kind === 'validator' ? 'validatorConfig' : 'conditionConfig';
  return {
    ...forgeContextEnvelope(session.accountId, siteUrl, MODULE_KEY_OF[session.kind], `${MODULE_KEY_OF[session.kind]}-${session.transition.transitionId}-${session.part}`),
    extension: {
      type: MODULE_TYPE_OF[session.kind],
      entryPoint: session.entryPoint,
      // Jira hands the page the string `onConfigure` returned; absent until one was saved.
      ...(session.savedConfig ? { [configKey]: JSON.stringify(session.savedConfig) } : {}),
      transition: {
        id: session.transition.transitionId,
        name: session.transition.transitionName,
        // A global transition leaves from any status: Jira's context then has no `from`.
        ...(session.transition.from ? { from: { ...session.transition.from } } : {}),
        to: { ...session.transition.to },
      },
    },
  };
};
export type RuleConfigContext = ReturnType<typeof ruleConfigContext>;

/** What every Forge Custom UI context carries in the sandbox, whatever the module. */
export const forgeContextEnvelope = (accountId: string, siteUrl: string, moduleKey: string, localId: string) => ({
  accountId,
  cloudId: SANDBOX_CLOUD_ID,
  siteUrl,
  localId,
  moduleKey,
  environmentType: 'DEVELOPMENT',
  environmentId: 'sandbox',
  locale: 'en-US',
  timezone: 'UTC',
  installContext: SANDBOX_INSTALL_CONTEXT,
});
