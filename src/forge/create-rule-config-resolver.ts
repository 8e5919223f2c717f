/**
 * The rule config pages' resolver (`getRuleOptions`, `compileRule`) for the CC8.1 transition
 * validator and condition. Jira admins only; the rule kind comes from the Forge context.
 */
import Resolver, { type Request } from '@forge/resolver';
import { z } from 'zod';
import type { CompileResult, CompiledRule, RuleConfig, RuleKind } from '../domain/expression/compiled-rule';
import { RuleConfigSchema } from '../domain/expression/compiled-rule';
import { EDGES, type Edge, type EdgeId } from '../domain/lifecycle';
import type { Policy } from '../domain/policy';
import { AppError, InvalidPayloadError, isAppError } from '../shared/app-error';
import { RESOLVER_KEYS } from '../shared/resolver-keys';
import type { ResolverResult } from '../shared/resolver-result';
import {
  CompileRulePayloadSchema,
  RULE_CONFIG_ERROR_CODES,
  RuleOptionsSchema,
  ruleKindOfModuleType,
  type RuleEdgeOption,
  type RuleOptions,
} from '../shared/rule-config-contract';
import { consoleLogger, type LogFields, type Logger } from '../ports/logger';
import type { LoadedPolicy } from '../policy/policy-store';
import { rethrowForgeAuthError } from './platform-errors';

export interface RuleConfigDeps {
  /** `compileEdge` from src/domain/expression. */
  compile: (policy: Policy, edge: EdgeId, kind: RuleKind) => CompileResult;
  /** `loadPolicy(store)` from policy-store; throws a PolicyError when the stored policy is corrupted. */
  loadPolicy: () => Promise<Pick<LoadedPolicy, 'policy' | 'version'>>;
  /** Whether the invoking user is a Jira admin (checked as that user). */
  checkAdmin: () => Promise<boolean>;
  /** Platform errors (e.g. a consent prompt) that must reach Forge unchanged. */
  isPlatformError?: (error: unknown) => boolean;
  log?: Logger;
}

/** The caller is not a Jira admin. */
export class ForbiddenError extends AppError {
  readonly code = RULE_CONFIG_ERROR_CODES.forbidden;
  constructor() {
    super('Only Jira admins can configure CC8.1 workflow rules. Ask a Jira admin to set up this rule.');
  }
}

/** The resolver was invoked from a module that is not a workflow validator or condition. */
export class UnsupportedModuleError extends AppError {
  readonly code = RULE_CONFIG_ERROR_CODES.unsupportedModule;
  constructor() {
    super('This page only configures the CC8.1 transition validator and the CC8.1 transition condition.');
  }
}

/** The edge cannot be compiled for this site (unmapped field, over budget). */
export class RuleCompileError extends AppError {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The requested part does not exist for this edge (the page is out of date). */
export class InvalidPartError extends AppError {
  readonly code = RULE_CONFIG_ERROR_CODES.invalidPart;
  constructor(part: number, parts: number, kind: RuleKind) {
    super(
      parts === 1
        ? `This lifecycle step needs a single ${kind}, so there is no part ${part}. Reload the page and pick the step again.`
        : `This lifecycle step needs ${parts} ${kind}s: pick a part from 1 to ${parts}, not ${part}.`,
    );
  }
}

const LOG_EVENT = 'cc81-rule-config';

const INTERNAL_MESSAGE = 'The CC8.1 app could not complete this request. Try again; if it keeps failing, contact your Jira admin.';

const ForgeContextSchema = z.object({ extension: z.object({ type: z.string() }) });

/** The rule kind comes from the module Forge invoked us for, never from the browser's payload. */
const kindFromContext = (context: unknown): RuleKind => {
  const parsed = ForgeContextSchema.safeParse(context);
  const kind = parsed.success ? ruleKindOfModuleType(parsed.data.extension.type) : null;
  if (!kind) throw new UnsupportedModuleError();
  return kind;
};

const unique = (items: readonly string[]): string[] => [...new Set(items)];

/** The expression saved for an edge that needs nothing of this kind: the rule always passes. */
export const ALWAYS_PASSES = 'true';

/** One entry per part; an edge with nothing to check gets one part that always passes. */
type Part = Pick<CompiledRule, 'expression' | 'checks'>;

const partsOf = (result: Extract<CompileResult, { ok: true }>): Part[] => {
  const rules = [...result.rules].sort((a, b) => a.part - b.part);
  return rules.length > 0 ? rules : [{ expression: ALWAYS_PASSES, checks: [] }];
};

const compiledParts = (deps: RuleConfigDeps, policy: Policy, edge: EdgeId, kind: RuleKind): Part[] => {
  const result = deps.compile(policy, edge, kind);
  if (!result.ok) throw new RuleCompileError(result.error.code, result.error.message);
  return partsOf(result);
};

const edgeOption = (deps: RuleConfigDeps, policy: Policy, edge: Edge, kind: RuleKind): RuleEdgeOption => {
  const base = { id: edge.id, name: edge.name, from: edge.from, to: edge.to, types: [...edge.types] };
  const result = deps.compile(policy, edge.id, kind);
  if (!result.ok) return { ...base, parts: 0, checks: [], partChecks: [], error: { ...result.error } };
  const partChecks = partsOf(result).map((part) => [...part.checks]);
  return { ...base, parts: partChecks.length, checks: unique(partChecks.flat()), partChecks };
};

/** Builds the rule config resolver (`getRuleOptions`, `compileRule`) over injected ports. */
export const createRuleConfigResolver = (deps: RuleConfigDeps) => {
  const log = deps.log ?? consoleLogger;
  const isPlatformError = deps.isPlatformError ?? (() => false);

  /** The only place errors are caught: AppErrors become `{ ok: false }`, anything else INTERNAL. One log line per call. */
  const handler =
    <T>(key: string, body: (request: Request, kind: RuleKind, fields: Record<string, LogFields[string]>) => Promise<T>) =>
    async (request: Request): Promise<ResolverResult<T>> => {
      const fields: Record<string, LogFields[string]> = { key };
      try {
        const kind = kindFromContext(request.context);
        fields.kind = kind;
        if (!(await deps.checkAdmin())) throw new ForbiddenError();
        const data = await body(request, kind, fields);
        log(LOG_EVENT, { ...fields, outcome: 'ok' });
        return { ok: true, data };
      } catch (error) {
        rethrowForgeAuthError(error); // the admin check is a REST call as the user: let Forge prompt
        if (isPlatformError(error)) throw error;
        const errorName = error instanceof Error ? error.name : typeof error;
        if (isAppError(error)) {
          log(LOG_EVENT, { ...fields, outcome: 'refused', errorCode: error.code, errorName });
          return { ok: false, error: { code: error.code, message: error.message } };
        }
        log(LOG_EVENT, { ...fields, outcome: 'error', errorCode: RULE_CONFIG_ERROR_CODES.internal, errorName });
        return { ok: false, error: { code: RULE_CONFIG_ERROR_CODES.internal, message: INTERNAL_MESSAGE } };
      }
    };

  const getRuleOptions = async (_request: Request, kind: RuleKind, fields: Record<string, LogFields[string]>): Promise<RuleOptions> => {
    const { policy, version } = await deps.loadPolicy();
    fields.policyVersion = version;
    return RuleOptionsSchema.parse({ kind, policyVersion: version, edges: EDGES.map((edge) => edgeOption(deps, policy, edge, kind)) });
  };

  const compileRule = async (request: Request, kind: RuleKind, fields: Record<string, LogFields[string]>): Promise<RuleConfig> => {
    const payload = CompileRulePayloadSchema.safeParse(request.payload);
    if (!payload.success) throw InvalidPayloadError.fromZod('rule config request', payload.error);
    const { edge, part } = payload.data;
    Object.assign(fields, { edge, part });
    const { policy, version } = await deps.loadPolicy();
    fields.policyVersion = version;
    const parts = compiledParts(deps, policy, edge, kind);
    const chosen = parts[part - 1];
    if (!chosen) throw new InvalidPartError(part, parts.length, kind);
    return RuleConfigSchema.parse({ edge, kind, part, parts: parts.length, expression: chosen.expression, policyVersion: version });
  };

  return new Resolver()
    .define(RESOLVER_KEYS.ruleConfig.getRuleOptions, handler(RESOLVER_KEYS.ruleConfig.getRuleOptions, getRuleOptions))
    .define(RESOLVER_KEYS.ruleConfig.compileRule, handler(RESOLVER_KEYS.ruleConfig.compileRule, compileRule))
    .getDefinitions();
};
