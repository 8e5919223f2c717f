// The rule config page's logic, free of React, the DOM and @forge/bridge, so jest can test it.
import { z } from 'zod';
import { RuleConfigSchema, type RuleConfig, type RuleKind } from '../../../src/domain/expression/compiled-rule';
import { EDGES, type EdgeId } from '../../../src/domain/lifecycle';
import { CHANGE_TYPES, type ChangeType, type State } from '../../../src/domain/states';
import type { ResolverError } from '../../../src/shared/resolver-result';
import {
  RuleOptionsSchema,
  ruleKindOfModuleType,
  type RuleEdgeOption,
  type RuleOptions,
} from '../../../src/shared/rule-config-contract';

export type EntryPoint = 'create' | 'edit' | 'view';

/** The config Jira holds for this rule: none yet, one this page saved, or something unreadable. */
export type SavedRule = { status: 'none' } | { status: 'valid'; config: RuleConfig } | { status: 'unreadable' };

export interface PageContext {
  entryPoint: EntryPoint;
  /** From the module type Forge reports; null when it is not a workflow validator or condition. */
  kind: RuleKind | null;
  saved: SavedRule;
}

export type Loaded<T> = { ok: true; data: T } | { ok: false; error: ResolverError };

// ---------------------------------------------------------------------------------------------
// Boundaries: the Forge context and resolver answers are parsed, never trusted as typed.

const ExtensionSchema = z.looseObject({
  type: z.string().optional(),
  entryPoint: z.string().optional(),
  validatorConfig: z.unknown().optional(),
  conditionConfig: z.unknown().optional(),
  config: z.unknown().optional(),
});
const ContextSchema = z.looseObject({ extension: ExtensionSchema });

const ResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), data: z.unknown() }),
  z.object({ ok: z.literal(false), error: z.object({ code: z.string(), message: z.string() }) }),
]);

const MALFORMED_ANSWER: ResolverError = {
  code: 'MALFORMED_ANSWER',
  message: 'The CC8.1 app sent an answer this page cannot read. Reload the page; if it persists, the app may be updating.',
};

/** JSON text → value; undefined for text that is not JSON (a boundary parse, so the error is the answer). */
const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};

/** The saved config arrives as the JSON string `onConfigure` returned, or (some editors) as an object. */
export const readSavedRule = (raw: unknown): SavedRule => {
  if (raw === undefined || raw === null || raw === '') return { status: 'none' };
  const value = typeof raw === 'string' ? parseJson(raw) : raw;
  const parsed = RuleConfigSchema.safeParse(value);
  return parsed.success ? { status: 'valid', config: parsed.data } : { status: 'unreadable' };
};

/** Reads `view.getContext()`: the entry point, the rule kind and the saved config. */
export const readPageContext = (context: unknown): PageContext => {
  const parsed = ContextSchema.safeParse(context);
  const extension = parsed.success ? parsed.data.extension : {};
  const kind = ruleKindOfModuleType(extension.type);
  const raw =
    kind === 'condition'
      ? (extension.conditionConfig ?? extension.config)
      : kind === 'validator'
        ? (extension.validatorConfig ?? extension.config)
        : (extension.validatorConfig ?? extension.conditionConfig ?? extension.config);
  const saved = readSavedRule(raw);
  const entryPoint: EntryPoint =
    extension.entryPoint === 'create' || extension.entryPoint === 'edit' || extension.entryPoint === 'view'
      ? extension.entryPoint
      : saved.status === 'none'
        ? 'create'
        : 'edit';
  return { entryPoint, kind, saved };
};

const readResult = <T>(answer: unknown, schema: z.ZodType<T>): Loaded<T> => {
  const envelope = ResultSchema.safeParse(answer);
  if (!envelope.success) return { ok: false, error: MALFORMED_ANSWER };
  if (!envelope.data.ok) return { ok: false, error: envelope.data.error };
  const data = schema.safeParse(envelope.data.data);
  return data.success ? { ok: true, data: data.data } : { ok: false, error: MALFORMED_ANSWER };
};

export const readRuleOptions = (answer: unknown): Loaded<RuleOptions> => readResult(answer, RuleOptionsSchema);
export const readRuleConfig = (answer: unknown): Loaded<RuleConfig> => readResult(answer, RuleConfigSchema);

/** `invoke` itself failed (network, bridge): no answer from the app at all. */
export const UNREACHABLE: ResolverError = {
  code: 'UNREACHABLE',
  message: 'Could not reach the CC8.1 app. Check your connection, reload the page and try again.',
};

// ---------------------------------------------------------------------------------------------
// Plain words.

const ADMIN_PAGE_HINT = 'Open the CC8.1 admin page (Jira settings → Apps → CC8.1 Change Control) to fix it, then come back.';

/** An error, in words an admin can act on. */
export const errorText = (error: ResolverError): string => {
  switch (error.code) {
    case 'FORBIDDEN':
      return 'Only Jira admins can configure CC8.1 workflow rules. Ask a Jira admin to set up this rule.';
    case 'POLICY_INVALID':
      return `${error.message}. ${ADMIN_PAGE_HINT}`;
    case 'FIELD_NOT_MAPPED':
    case 'NOT_CONFIGURED':
      return `${error.message} ${ADMIN_PAGE_HINT}`;
    case 'OVER_BUDGET':
      return `This step's checks do not fit in a Jira expression: ${error.message}`;
    case 'INVALID_PAYLOAD':
      return 'The page sent a request the app could not read. Reload the page and try again.';
    case 'JIRA_HTTP':
    case 'JIRA_UNREACHABLE':
    case 'RATE_LIMITED':
    case 'MALFORMED_RESPONSE':
      return 'Jira did not confirm your admin permission just now. Wait a minute and try again.';
    default:
      return error.message;
  }
};

export const kindLabel = (kind: RuleKind, count = 1): string => (count === 1 ? kind : `${kind}s`);

export const typesLabel = (types: readonly ChangeType[]): string =>
  types.length === CHANGE_TYPES.length ? 'all change types' : `${types.join(' and ')} changes only`;

export const edgeLabel = (edge: { name: string; from: State; to: State; types: readonly ChangeType[] }): string =>
  `${edge.name}: ${edge.from} → ${edge.to} (${typesLabel(edge.types)})`;

const partLabel = (part: number, parts: number): string => `Part ${part} of ${parts}`;

// ---------------------------------------------------------------------------------------------
// Create / edit.

export interface Selection {
  edge: EdgeId | null;
  part: number;
}

export const NO_SELECTION: Selection = { edge: null, part: 1 };

const findEdge = (options: RuleOptions, id: string | null): RuleEdgeOption | undefined =>
  id === null ? undefined : options.edges.find((edge) => edge.id === id);

const clampPart = (part: number, parts: number): number => (Number.isInteger(part) && part >= 1 && part <= parts ? part : 1);

/** Starts from the saved rule when it still names a known edge; otherwise nothing is picked. */
export const initialSelection = (options: RuleOptions, saved: SavedRule): Selection => {
  if (saved.status !== 'valid') return NO_SELECTION;
  const edge = findEdge(options, saved.config.edge);
  if (!edge) return NO_SELECTION;
  return { edge: edge.id, part: clampPart(saved.config.part, Math.max(edge.parts, 1)) };
};

/** Picking another edge starts at part 1; an unknown value (or the empty choice) clears the pick. */
export const selectEdge = (options: RuleOptions, selection: Selection, value: string): Selection => {
  const edge = findEdge(options, value);
  if (!edge) return NO_SELECTION;
  return edge.id === selection.edge ? selection : { edge: edge.id, part: 1 };
};

export const selectPart = (options: RuleOptions, selection: Selection, value: string | number): Selection => {
  const edge = findEdge(options, selection.edge);
  if (!edge) return selection;
  return { ...selection, part: clampPart(Number(value), edge.parts) };
};

export interface Choice {
  value: string;
  label: string;
}

/** The edge select's options, in lifecycle order. Edges that cannot be compiled stay selectable so their error shows. */
export const edgeChoices = (options: RuleOptions): Choice[] =>
  options.edges.map((edge) => ({ value: edge.id, label: edge.error ? `${edgeLabel(edge)}: needs setup` : edgeLabel(edge) }));

export interface EdgeDetails {
  edge: RuleEdgeOption;
  /** Set when the edge needs several rules of this kind. */
  partsNotice: string | null;
  partChoices: Choice[];
  /** What the selected part checks. */
  checks: string[];
  /** Shown when the selected part checks nothing. */
  emptyChecksNotice: string | null;
  /** Why this edge cannot be configured yet. */
  error: string | null;
}

export const edgeDetails = (options: RuleOptions, selection: Selection): EdgeDetails | null => {
  const edge = findEdge(options, selection.edge);
  if (!edge) return null;
  const { kind } = options;
  if (edge.error) {
    return { edge, partsNotice: null, partChoices: [], checks: [], emptyChecksNotice: null, error: errorText(edge.error) };
  }
  const part = clampPart(selection.part, edge.parts);
  const checks = edge.partChecks[part - 1] ?? [];
  const partChoices = Array.from({ length: edge.parts }, (_, i) => ({ value: String(i + 1), label: partLabel(i + 1, edge.parts) }));
  return {
    edge,
    partsNotice:
      edge.parts > 1
        ? `This step needs ${edge.parts} ${kindLabel(kind, edge.parts)}: add this ${kind} once per part, and pick a different part each time.`
        : null,
    partChoices,
    checks,
    emptyChecksNotice: checks.length === 0 ? `This step has nothing for a ${kind} to check, so this ${kind} always passes.` : null,
    error: null,
  };
};

/** Whether Add / Update may save: an edge is picked and it compiles. */
export const canSave = (options: RuleOptions | null, selection: Selection): boolean => {
  if (!options) return false;
  const edge = findEdge(options, selection.edge);
  return edge !== undefined && edge.error === undefined && edge.parts >= 1;
};

export type SaveOutcome = { save: true; json: string } | { save: false; message: string };

/** What `onConfigure` returns: the compiled rule as JSON, or nothing (Jira then keeps the dialog open). */
export const saveOutcome = (selection: Selection, answer: Loaded<RuleConfig> | null): SaveOutcome => {
  if (selection.edge === null) return { save: false, message: 'Pick the lifecycle step this rule guards, then save.' };
  if (answer === null) return { save: false, message: errorText(UNREACHABLE) };
  if (!answer.ok) return { save: false, message: errorText(answer.error) };
  const config = answer.data;
  if (config.edge !== selection.edge || config.part !== selection.part) {
    return { save: false, message: 'The app compiled a different step than the one picked. Reload the page and try again.' };
  }
  return { save: true, json: JSON.stringify(config) };
};

// ---------------------------------------------------------------------------------------------
// View (and the edit page's note about the saved rule).

export interface Staleness {
  stale: boolean;
  reasons: string[];
}

export const STALE_MESSAGE = 'This rule is stale: edit and save it to refresh.';

/** A saved rule is stale when the policy moved on, or the step now needs a different number of parts. */
export const staleness = (config: RuleConfig, options: RuleOptions): Staleness => {
  const reasons: string[] = [];
  if (options.policyVersion > config.policyVersion) {
    reasons.push(`It was compiled from policy version ${config.policyVersion}; the current policy is version ${options.policyVersion}.`);
  }
  if (options.kind !== config.kind) {
    reasons.push(`It was saved for a ${config.kind}, but this is a ${options.kind}.`);
  }
  const edge = findEdge(options, config.edge);
  if (edge?.error) reasons.push(`With the current policy this step cannot be compiled: ${errorText(edge.error)}`);
  else if (edge && edge.parts !== config.parts) {
    reasons.push(`The step now needs ${edge.parts} ${kindLabel(options.kind, edge.parts)} instead of ${config.parts}.`);
  }
  return { stale: reasons.length > 0, reasons };
};

export type ViewModel =
  | { state: 'unconfigured'; message: string }
  | { state: 'unreadable'; message: string }
  | {
      state: 'configured';
      /** e.g. "Approve: Assessment → Approved (all change types)". */
      step: string;
      part: string | null;
      policyVersion: string;
      /** Null when fresh or when freshness could not be checked. */
      warning: { message: string; reasons: string[] } | null;
      /** Set when freshness could not be checked (not an admin, app unreachable). */
      note: string | null;
    };

const EDGE_BY_ID = new Map(EDGES.map((edge) => [edge.id, edge]));

/**
 * The read-only summary. Works without the resolver (the step comes from the lifecycle); the
 * current policy version, when it could be loaded, adds the stale warning.
 */
export const viewModel = (saved: SavedRule, kind: RuleKind | null, options: Loaded<RuleOptions> | null): ViewModel => {
  const noun = kind ?? 'rule';
  if (saved.status === 'none') {
    return { state: 'unconfigured', message: `Not configured yet: this ${noun} fails closed until a Jira admin edits it and picks a lifecycle step.` };
  }
  if (saved.status === 'unreadable') {
    return { state: 'unreadable', message: `The saved configuration cannot be read, so this ${noun} fails closed. Edit it, pick the lifecycle step and save.` };
  }
  const { config } = saved;
  const edge = EDGE_BY_ID.get(config.edge);
  const step = edge ? edgeLabel(edge) : config.edge;
  const base = {
    state: 'configured' as const,
    step,
    part: config.parts > 1 ? partLabel(config.part, config.parts) : null,
    policyVersion: `Policy version ${config.policyVersion}`,
  };
  if (options === null) return { ...base, warning: null, note: null };
  if (!options.ok) return { ...base, warning: null, note: `Could not check whether this rule is up to date: ${errorText(options.error)}` };
  const fresh = staleness(config, options.data);
  return { ...base, warning: fresh.stale ? { message: STALE_MESSAGE, reasons: fresh.reasons } : null, note: null };
};
