// Contract between the rule config resolver and the rule config page (static/rule-config).
// Imports only zod and pure domain modules, so the Custom UI bundle can use it.
import { z } from 'zod';
import { RuleKindSchema, type RuleKind } from '../domain/expression/compiled-rule';
import { EdgeIdSchema } from '../domain/lifecycle';
import { ChangeTypeSchema, StateSchema } from '../domain/states';

/** Forge module type (`context.extension.type`) → the kind of rule it installs. */
export const RULE_KIND_BY_MODULE_TYPE: Readonly<Record<string, RuleKind>> = {
  'jira:workflowValidator': 'validator',
  'jira:workflowCondition': 'condition',
};

export const ruleKindOfModuleType = (type: unknown): RuleKind | null =>
  typeof type === 'string' && Object.hasOwn(RULE_KIND_BY_MODULE_TYPE, type) ? (RULE_KIND_BY_MODULE_TYPE[type] ?? null) : null;

/** `compileRule` payload. Unknown keys (such as a `kind`) are dropped: the kind comes from the Forge context. */
export const CompileRulePayloadSchema = z.object({
  edge: EdgeIdSchema,
  part: z.number().int().min(1),
});
export type CompileRulePayload = z.infer<typeof CompileRulePayloadSchema>;

/** Why an edge cannot be compiled for this site, in plain words. */
export const RuleEdgeErrorSchema = z.object({ code: z.string(), message: z.string() });
export type RuleEdgeError = z.infer<typeof RuleEdgeErrorSchema>;

/** One lifecycle edge as the config page offers it. */
export const RuleEdgeOptionSchema = z.object({
  id: EdgeIdSchema,
  name: z.string(),
  from: StateSchema,
  to: StateSchema,
  types: z.array(ChangeTypeSchema),
  /** How many rules of this kind the edge needs (0 when it cannot be compiled). */
  parts: z.number().int().nonnegative(),
  /** What the rule checks, all parts together, in plain words. */
  checks: z.array(z.string()),
  /** What each part checks: `partChecks[part - 1]`. */
  partChecks: z.array(z.array(z.string())),
  error: RuleEdgeErrorSchema.optional(),
});
export type RuleEdgeOption = z.infer<typeof RuleEdgeOptionSchema>;

/** `getRuleOptions` result. */
export const RuleOptionsSchema = z.object({
  kind: RuleKindSchema,
  policyVersion: z.number().int().nonnegative(),
  edges: z.array(RuleEdgeOptionSchema),
});
export type RuleOptions = z.infer<typeof RuleOptionsSchema>;

/** Error codes the rule config resolver returns (besides the compiler's and AppError codes). */
export const RULE_CONFIG_ERROR_CODES = {
  forbidden: 'FORBIDDEN',
  unsupportedModule: 'UNSUPPORTED_MODULE',
  invalidPart: 'INVALID_PART',
  internal: 'INTERNAL',
} as const;
