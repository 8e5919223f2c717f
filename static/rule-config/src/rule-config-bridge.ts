// The page's only contact with Forge: context, the two resolver calls and the save hook.
import { invoke, view } from '@forge/bridge';
import { workflowRules } from '@forge/jira-bridge';
import type { RuleConfig } from '../../../src/domain/expression/compiled-rule';
import { RESOLVER_KEYS } from '../../../src/shared/resolver-keys';
import type { CompileRulePayload, RuleOptions } from '../../../src/shared/rule-config-contract';
import { readPageContext, readRuleConfig, readRuleOptions, UNREACHABLE, type Loaded, type PageContext } from './rule-config-model';

export const loadPageContext = async (): Promise<PageContext> => readPageContext(await view.getContext());

/** Resolver calls never reject: a failed `invoke` becomes the UNREACHABLE error. */
const call = async <T>(read: (answer: unknown) => Loaded<T>, key: string, payload?: CompileRulePayload): Promise<Loaded<T>> => {
  try {
    return read(await invoke(key, payload));
  } catch {
    return { ok: false, error: UNREACHABLE };
  }
};

export const loadRuleOptions = (): Promise<Loaded<RuleOptions>> => call(readRuleOptions, RESOLVER_KEYS.ruleConfig.getRuleOptions);

export const compileRule = (payload: CompileRulePayload): Promise<Loaded<RuleConfig>> =>
  call(readRuleConfig, RESOLVER_KEYS.ruleConfig.compileRule, payload);

/**
 * Registers what Jira calls on Add / Update. Returning undefined keeps the dialog open without
 * saving (documented for `workflowRules.onConfigure`, though its type says string).
 */
export const onSave = (save: () => Promise<string | undefined>): Promise<void> =>
  workflowRules.onConfigure(save as () => Promise<string>);
