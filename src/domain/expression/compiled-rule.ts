import { z } from 'zod';
import { EdgeIdSchema, type EdgeId } from '../lifecycle';

export const RULE_KINDS = ['condition', 'validator'] as const;
export const RuleKindSchema = z.enum(RULE_KINDS);
export type RuleKind = z.infer<typeof RuleKindSchema>;

/**
 * Platform budgets per Jira expression: 10 expensive operations (workflow rules), 1,000 characters,
 * and 100 syntax-tree leaves (counted conservatively by `countLeaves`).
 */
export const EXPRESSION_BUDGET = { maxExpensiveOps: 10, maxLength: 1_000, maxLeaves: 100 } as const;

export interface CompileOptions {
  /** Length budget per expression, in characters; default 1,000. */
  maxLength?: number;
  /** Syntax-tree budget per expression, in leaves; default 100. */
  maxLeaves?: number;
}

/** One Jira expression ready to install as a workflow condition or validator. */
export interface CompiledRule {
  edge: EdgeId;
  kind: RuleKind;
  /** 1-based; an edge whose rules exceed one expression's budget is split into `parts`. */
  part: number;
  parts: number;
  expression: string;
  length: number;
  expensiveOps: number;
  /** Plain-language summary of what this part checks. */
  checks: string[];
}

export type CompileErrorCode = 'FIELD_NOT_MAPPED' | 'OVER_BUDGET';
export type CompileResult = { ok: true; rules: CompiledRule[] } | { ok: false; error: { code: CompileErrorCode; message: string } };

/** What the rule config page saves through `workflowRules.onConfigure` (a JSON string). */
export const RuleConfigSchema = z.object({
  edge: EdgeIdSchema,
  kind: RuleKindSchema,
  part: z.number().int().min(1),
  parts: z.number().int().min(1),
  expression: z.string().min(1),
  policyVersion: z.number().int().nonnegative(),
});
export type RuleConfig = z.infer<typeof RuleConfigSchema>;
