/**
 * The admin page's resolver: the policy form, the versioned policy history, "create recommended
 * fields", the workflow setup (dry run and apply) and the control self-test. Jira admins only
 * (checked as the invoking user on every call); the caller's identity and the license come from
 * the Forge context, never from the payload; `/myself` (read:jira-user, which analyse needs too)
 * only names the saver in the history. An unlicensed site is read-only. Installing refuses a workflow shared outside the policy's
 * scope and rules Jira's expression analyser rejects; Forge platform errors (NeedsAuthenticationError)
 * reach Forge unwrapped.
 */
import Resolver, { type Request } from '@forge/resolver';
import { z } from 'zod';
import { FIELD_DEFS, FIELD_KEYS, OPTION_LABELS, parsePolicy, type FieldKey, type OptionField, type Policy } from '../domain';
import { createConfigClient, type ConfigClient } from '../jira/config-client';
import { countingTransport, type JiraTransport } from '../jira/transport';
import { isOk } from '../jira/responses';
import {
  ADMIN_ERROR_CODES,
  ApplySetupPayloadSchema,
  CreateFieldsPayloadSchema,
  SavePolicyPayloadSchema,
  SelfTestReportSchema,
  type AdminError,
  type AdminResult,
  type AdminState,
  type ExportContext,
  type FieldError,
  type PolicyView,
  type SelfTestReport,
  type SiteOptions,
  type WorkflowPlanView,
  CreatePipelinePayloadSchema,
  PipelineIdPayloadSchema,
  type PipelineSecretResult,
  type PipelinesState,
  type PipelineView,
} from '../shared/admin-contract';
import { AppError, InvalidPayloadError, isAppError, JiraRejectedError } from '../shared/app-error';
import { RESOLVER_KEYS } from '../shared/resolver-keys';
import type { AppEnvironment } from '../setup/app-rule-modules';
import { buildWorkflowPlan, type WorkflowPlan } from '../setup/build-workflow-plan';
import { expressionsToAnalyse, rejectedRules } from '../setup/expression-check';
import { loadExpressionFailures } from '../setup/expression-failures';
import { fieldTypeLabel, jiraFieldTypeOf, recommendedFieldDefinition, suitableFieldKeys, unsuitableLookalikes, whyFieldCannotHold } from '../setup/field-suitability';
import { runSelfTest } from '../setup/run-self-test';
import { SETUP_PROBLEM_CODES } from '../setup/setup-problems';
import { parseAdminPermission } from './jira-admin-check';
import { rethrowForgeAuthError } from './platform-errors';
import { consoleLogger, type LogFields, type Logger } from '../ports/logger';
import { loadPolicyHistory, readCurrentPolicy, savePolicyVersion, type CurrentPolicy } from '../policy/policy-history';
import { downloadEvidenceExport, latestEvidenceExport, startEvidenceExport, type ExportQueue } from './evidence-export';
import { DownloadExportPayloadSchema, StartExportPayloadSchema } from '../shared/export-contract';
import type { LedgerStore } from '../ports/ledger-store';
import { createPipeline, listPipelines, MAX_PIPELINES, PipelineNotFoundError, revokePipeline, rotatePipelineSecret, type PipelineRecord } from '../deployments/pipelines';
import { searchMirrors, verifyEvidenceLogs } from '../evidence-log/verify-logs';
import { listUnrecordedSteps, UNRECORDED_LISTED } from '../evidence-log/unrecorded-steps';

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const SELF_TEST_KEY = 'cc81:selftest:last';

const MyselfSchema = z.looseObject({ accountId: z.string(), displayName: z.string().nullish() });

export interface AdminResolverDeps {
  /** REST as the invoking user: the admin check (and the caller's display name). */
  userTransport: JiraTransport;
  /** REST as the app: configuration reads and writes (manage:jira-configuration). */
  appTransport: JiraTransport;
  /** App storage: the policy and its history, the self-test, the export jobs, and the evidence logs the self-test verifies. */
  store: LedgerStore;
  clock: () => Date;
  /** Where the evidence export's slices are queued (`cc81-evidence-export`); absent, starting one is refused. */
  exportQueue?: ExportQueue;
  log?: Logger;
  /** Errors that must reach Forge unwrapped (NeedsAuthenticationError: the "allow access" prompt). */
  isPlatformError?: (error: unknown) => boolean;
  /** The deployment gate's URL on this installation (`webTrigger.getUrl`); absent: not shown. */
  gateUrl?: () => Promise<string>;
  /** This installation's app and environment, from the Forge runtime; absent or null outside Forge. */
  environment?: () => AppEnvironment | null;
}

const LOG_EVENT = 'cc81-admin';

/** The calls the policy's exporters group may make besides Jira admins: the evidence export and what its page needs. */
const EXPORT_KEYS: ReadonlySet<string> = new Set([
  RESOLVER_KEYS.admin.startEvidenceExport,
  RESOLVER_KEYS.admin.getEvidenceExport,
  RESOLVER_KEYS.admin.downloadEvidenceExport,
  RESOLVER_KEYS.admin.getExportContext,
]);

/** `GET /myself?expand=groups`: the caller's groups. */
const MyGroupsSchema = z.object({ groups: z.object({ items: z.array(z.object({ name: z.string() })).default([]) }) });
const INTERNAL_MESSAGE = 'The CC8.1 admin page could not complete this request. Try again; if it keeps failing, check the app is installed correctly.';

class AdminRefusal extends AppError {
  constructor(
    readonly code: string,
    message: string,
    readonly fieldErrors?: FieldError[],
    readonly details?: string[],
  ) {
    super(message);
  }
}

const ContextSchema = z.object({
  accountId: z.string().min(1),
  license: z.object({ isActive: z.boolean().nullish() }).nullish(),
});

/** Forge sends `license` only for paid apps; absent (development, free) counts as licensed. */
const callerOf = (context: unknown): { accountId: string; licensed: boolean } => {
  const parsed = ContextSchema.safeParse(context);
  if (!parsed.success) throw new InvalidPayloadError('Forge context', [{ path: 'accountId', problem: 'missing' }]);
  return { accountId: parsed.data.accountId, licensed: parsed.data.license?.isActive !== false };
};

const errorOf = (error: AppError): AdminError => {
  if (error instanceof AdminRefusal) return { code: error.code, message: error.message, ...(error.fieldErrors ? { fieldErrors: error.fieldErrors } : {}), ...(error.details ? { details: error.details } : {}) };
  if (error instanceof JiraRejectedError) return { code: error.code, message: `Jira refused the change: ${error.jiraMessages.join(' ') || `status ${error.status}`}` };
  return { code: error.code, message: error.message };
};

const policyViewOf = (current: CurrentPolicy): PolicyView => {
  if (current.state === 'corrupted') return { state: 'corrupted', errors: current.error.fieldErrors ?? [{ path: '(stored policy)', message: current.error.message }] };
  const { loaded } = current;
  const policy = JSON.parse(JSON.stringify(loaded.policy)) as Record<string, unknown>;
  if (loaded.version === 0) return { state: 'default', version: 0, policy };
  return { state: 'saved', version: loaded.version, policy, updatedBy: loaded.updatedBy ? { accountId: loaded.updatedBy, displayName: null } : null, updatedAt: loaded.updatedAt };
};

/** What the page may see of a pipeline: never the secret's hash. */
const pipelineViewOf = (r: PipelineRecord): PipelineView => ({
  id: r.id,
  name: r.name,
  createdAt: r.createdAt,
  createdBy: r.createdBy,
  secretSetAt: r.secretSetAt,
  secretHint: r.secretHint,
  lastUsedAt: r.lastUsedAt,
});

const unavailablePlan = (code: string, message: string): WorkflowPlan => ({ view: { state: 'unavailable', code, message }, update: null, expressions: [] });

/** The dry run for the stored policy, or why there is none. Reads where the workflow is used before planning. */
const planFor = async (config: ConfigClient, policy: Policy, version: number, environment: AppEnvironment | null): Promise<WorkflowPlan> => {
  const scope = policy.scope;
  if (!scope) return unavailablePlan(SETUP_PROBLEM_CODES.scopeUnset, 'Pick the project and issue type of change tickets, and save, first.');
  const found = await config.readWorkflow(scope.projectId, scope.issueTypeId);
  if (!found) return unavailablePlan(SETUP_PROBLEM_CODES.workflowNotFound, `Jira has no workflow for ${scope.projectKey} / ${scope.issueTypeName}. Check the project's workflow scheme.`);
  const [usage, offers, projects] = await Promise.all([config.workflowUsage(found.workflow.id, scope.projectId), config.forgeRuleOffers(found.workflow.id), config.listProjects()]);
  const sharing = {
    scope,
    ...usage,
    projectKeys: new Map(projects.map((p) => [p.id, p.key])),
    issueTypeNames: new Map(projects.flatMap((p) => p.issueTypes.map((t) => [t.id, t.name] as const))),
  };
  return buildWorkflowPlan({ policy, policyVersion: version, workflow: found.workflow, statuses: found.statuses, offers, sharing, environment });
};

/** Checks the mapping against the site: every mapped field and status exists, with a suitable type. */
const siteFieldErrors = (policy: Policy, fields: Awaited<ReturnType<ConfigClient['listFields']>>, statuses: Awaited<ReturnType<ConfigClient['listStatuses']>>): FieldError[] => {
  const errors: FieldError[] = [];
  const byId = new Map(fields.map((f) => [f.id, f]));
  for (const key of FIELD_KEYS) {
    const id = policy.fields[key];
    if (!id) continue;
    const field = byId.get(id);
    if (!field) errors.push({ path: `fields.${key}`, message: `Jira has no field ${id}. Pick another field, or create the recommended fields.` });
    else {
      const why = whyFieldCannotHold(field, key);
      if (why !== null) errors.push({ path: `fields.${key}`, message: `${why} Pick a field of the right type.` });
    }
  }
  const statusIds = new Set(statuses.map((s) => s.id));
  for (const [state, id] of Object.entries(policy.statuses)) if (id && !statusIds.has(id)) errors.push({ path: `statuses.${state}`, message: `Jira has no status ${id}. Pick an existing status.` });
  return errors;
};

/** The Jira type of each mapped field, as the site says, where it is not the CC8.1 field's own (the one mapping every reader uses). */
const siteFieldTypes = (policy: Policy, fields: Awaited<ReturnType<ConfigClient['listFields']>>): Policy['fieldTypes'] => {
  const byId = new Map(fields.map((f) => [f.id, f]));
  const types: Policy['fieldTypes'] = {};
  for (const key of FIELD_KEYS) {
    const field = policy.fields[key] ? byId.get(policy.fields[key]!) : undefined;
    const type = field ? jiraFieldTypeOf(field) : null;
    if (type && type !== FIELD_DEFS[key].jira) types[key] = type;
  }
  return types;
};

/** Within one call, the site's projects, statuses and fields are read once (fields again after one is created). */
const memoizedSiteReads = (config: ConfigClient): ConfigClient => {
  let projects: ReturnType<ConfigClient['listProjects']> | null = null;
  let statuses: ReturnType<ConfigClient['listStatuses']> | null = null;
  let fields: ReturnType<ConfigClient['listFields']> | null = null;
  return {
    ...config,
    listProjects: () => (projects ??= config.listProjects()),
    listStatuses: () => (statuses ??= config.listStatuses()),
    listFields: () => (fields ??= config.listFields()),
    createCustomField: (definition) => {
      fields = null;
      return config.createCustomField(definition);
    },
  };
};

export const createAdminResolver = (deps: AdminResolverDeps) => {
  const log = deps.log ?? consoleLogger;
  const isPlatformError = deps.isPlatformError ?? (() => false);
  const environment = (): AppEnvironment | null => deps.environment?.() ?? null;

  interface Call {
    accountId: string;
    licensed: boolean;
    config: ConfigClient;
    user: JiraTransport;
    /** REST as the app (counted). */
    app: JiraTransport;
    fields: Record<string, LogFields[string]>;
    restCalls: () => number;
  }

  const requireLicense = (call: Call) => {
    if (!call.licensed) throw new AdminRefusal(ADMIN_ERROR_CODES.unlicensed, 'The CC8.1 app has no active license on this site, so its settings are read-only. Renew the subscription in Jira settings → Apps → Manage apps.');
  };

  const checkAdmin = async (user: JiraTransport): Promise<boolean> => {
    const response = await user({ method: 'GET', path: '/rest/api/3/mypermissions', query: { permissions: 'ADMINISTER' } });
    return parseAdminPermission({ ok: isOk(response.status), status: response.status, json: () => response.json() });
  };

  /** The policy's exporters group, when the stored policy names one (an unreadable policy names none). */
  const exportersGroup = async (): Promise<string | null> => {
    const current = await readCurrentPolicy(deps.store);
    return current.state === 'corrupted' ? null : current.loaded.policy.exporters.groupName;
  };

  /** The caller's Jira groups, as Jira tells the caller (`/myself?expand=groups`, as the user). */
  const callerGroups = async (user: JiraTransport): Promise<string[]> => {
    const response = await user({ method: 'GET', path: '/rest/api/3/myself', query: { expand: 'groups' } });
    if (!isOk(response.status)) return [];
    const parsed = MyGroupsSchema.safeParse(await response.json());
    return parsed.success ? parsed.data.groups.items.map((g) => g.name) : [];
  };

  /** What the project's evidence page needs: the licence, the policy's scope, who may export. */
  const getExportContext = async (call: Call): Promise<ExportContext> => {
    const current = await readCurrentPolicy(deps.store);
    const policy = current.state === 'corrupted' ? null : current.loaded.policy;
    return { licensed: call.licensed, scope: policy?.scope ?? null, exportersGroup: policy?.exporters.groupName ?? null };
  };

  /** The saver's name for the history; the account id is what counts, so a failed read gives null. */
  const displayNameOf = async (call: Call): Promise<string | null> => {
    try {
      const response = await call.user({ method: 'GET', path: '/rest/api/3/myself' });
      if (!isOk(response.status)) return null;
      const parsed = MyselfSchema.safeParse(await response.json());
      return parsed.success ? (parsed.data.displayName ?? null) : null;
    } catch (error) {
      rethrowForgeAuthError(error);
      return null;
    }
  };

  const loadSelfTest = async (): Promise<SelfTestReport | null> => {
    const parsed = SelfTestReportSchema.safeParse(await deps.store.get(SELF_TEST_KEY));
    return parsed.success ? parsed.data : null;
  };

  const adminState = async (call: Call): Promise<AdminState> => {
    const current = await readCurrentPolicy(deps.store);
    const [{ revisions }, projects, statuses, fields, selfTest] = await Promise.all([
      loadPolicyHistory(deps.store),
      call.config.listProjects(),
      call.config.listStatuses(),
      call.config.listFields(),
      loadSelfTest(),
    ]);
    let setup: WorkflowPlanView;
    if (current.state === 'corrupted') setup = { state: 'unavailable', code: ADMIN_ERROR_CODES.corrupted, message: 'The stored policy is unreadable; fix it before installing rules.' };
    else setup = (await planFor(call.config, current.loaded.policy, current.loaded.version, environment())).view;
    const policy = policyViewOf(current);
    if (policy.state === 'saved' && policy.updatedBy) policy.updatedBy.displayName = revisions.find((r) => r.version === policy.version)?.updatedBy?.displayName ?? null;
    return {
      licensed: call.licensed,
      policy,
      history: revisions,
      site: {
        projects: projects.map((p) => ({ id: p.id, key: p.key, name: p.name, companyManaged: p.style !== 'next-gen' && p.simplified !== true, issueTypes: p.issueTypes.filter((t) => !t.subtask).map((t) => ({ id: t.id, name: t.name })) })),
        statuses: statuses.map((s) => ({ id: s.id, name: s.name, category: s.statusCategory?.key ?? 'unknown' })),
        fields: fields.map((f) => ({ id: f.id, name: f.name, custom: f.custom ?? f.id.startsWith('customfield_'), typeLabel: fieldTypeLabel(f), suitableFor: suitableFieldKeys(f), unsuitableWhy: unsuitableLookalikes(f) })),
      },
      setup,
      selfTest,
    };
  };

  const savePolicy = async (call: Call, request: Request): Promise<AdminState> => {
    requireLicense(call);
    const payload = SavePolicyPayloadSchema.safeParse(request.payload);
    if (!payload.success) throw InvalidPayloadError.fromZod('savePolicy request', payload.error);
    const parsed = parsePolicy(payload.data.policy);
    if (!parsed.ok) throw new AdminRefusal(ADMIN_ERROR_CODES.invalidPolicy, 'Some settings are not valid. Fix the fields marked below and save again.', parsed.errors);
    const [fields, statuses] = await Promise.all([call.config.listFields(), call.config.listStatuses()]);
    const siteErrors = siteFieldErrors(parsed.policy, fields, statuses);
    if (siteErrors.length) throw new AdminRefusal(ADMIN_ERROR_CODES.invalidPolicy, 'Some mappings point at fields or statuses this site does not have. Fix the fields marked below.', siteErrors);
    const saved = await savePolicyVersion(deps.store, {
      policy: { ...parsed.policy, fieldTypes: siteFieldTypes(parsed.policy, fields) },
      baseVersion: payload.data.baseVersion,
      actor: { accountId: call.accountId, displayName: await displayNameOf(call) },
      at: deps.clock(),
      reason: payload.data.reason ?? null,
      replaceCorrupted: payload.data.replaceCorrupted === true,
    });
    Object.assign(call.fields, { policyVersion: saved.version, changes: saved.revision?.changes.length ?? 0 });
    return adminState(call);
  };

  const createRecommendedFields = async (call: Call, request: Request) => {
    requireLicense(call);
    const payload = CreateFieldsPayloadSchema.safeParse(request.payload);
    if (!payload.success) throw InvalidPayloadError.fromZod('createRecommendedFields request', payload.error);
    const current = await readCurrentPolicy(deps.store);
    if (current.state === 'corrupted') throw new AdminRefusal(ADMIN_ERROR_CODES.corrupted, 'The stored policy is unreadable; replace it before creating fields.');
    const policy = current.loaded.policy;
    const existing = await call.config.listFields();
    const mapped: Partial<Record<FieldKey, string>> = { ...policy.fields };
    const created: { key: FieldKey; fieldId: string; name: string }[] = [];
    const taken = new Set(Object.values(mapped));
    let failure: AppError | null = null;
    for (const key of FIELD_KEYS.filter((k) => !mapped[k])) {
      const definition = recommendedFieldDefinition(key);
      const reuse = existing.find((f) => f.name === definition.name && !taken.has(f.id) && suitableFieldKeys(f).includes(key));
      try {
        const field = reuse ?? (await call.config.createCustomField(definition));
        if (key in OPTION_LABELS) {
          const contextId = await call.config.ensureFieldContext(field.id, `${definition.name} (CC8.1)`);
          await call.config.addFieldOptions(field.id, contextId, Object.values(OPTION_LABELS[key as OptionField]));
        }
        mapped[key] = field.id;
        taken.add(field.id);
        if (!reuse) created.push({ key, fieldId: field.id, name: field.name });
      } catch (error) {
        if (!isAppError(error)) throw error;
        failure = error; // keep what was created: save the mapping so far, then report
        break;
      }
    }
    Object.assign(call.fields, { created: created.length });
    if (created.length || Object.keys(mapped).length !== Object.keys(policy.fields).length) {
      await savePolicyVersion(deps.store, {
        policy: { ...policy, fields: mapped },
        baseVersion: payload.data.baseVersion,
        actor: { accountId: call.accountId, displayName: await displayNameOf(call) },
        at: deps.clock(),
        reason: created.length ? `Created recommended fields: ${created.map((c) => c.name).join(', ')}` : 'Mapped existing CC8.1 fields',
      });
    }
    if (failure) {
      const done = created.length ? `Created and mapped ${created.map((c) => c.name).join(', ')}. ` : '';
      throw new AdminRefusal(failure.code, `${done}Could not create the rest: ${errorOf(failure).message} Click "Create recommended fields" again to retry.`);
    }
    return { created, state: await adminState(call) };
  };

  const currentPlan = async (call: Call): Promise<{ plan: WorkflowPlan; version: number }> => {
    const current = await readCurrentPolicy(deps.store);
    if (current.state === 'corrupted') throw new AdminRefusal(ADMIN_ERROR_CODES.corrupted, 'The stored policy is unreadable; fix it on this page before installing rules.');
    return { plan: await planFor(call.config, current.loaded.policy, current.loaded.version, environment()), version: current.loaded.version };
  };

  const planWorkflowSetup = async (call: Call): Promise<WorkflowPlanView> => (await currentPlan(call)).plan.view;

  /** The labels of each mapped choice field (read only; a field Jira refuses is reported, the others still read). */
  const getSiteOptions = async (call: Call): Promise<SiteOptions> => {
    const current = await readCurrentPolicy(deps.store);
    if (current.state === 'corrupted') throw new AdminRefusal(ADMIN_ERROR_CODES.corrupted, 'The stored policy is unreadable; replace it before mapping option labels.');
    const policy = current.loaded.policy;
    const fields: SiteOptions['fields'] = [];
    for (const field of Object.keys(OPTION_LABELS) as OptionField[]) {
      const fieldId = policy.fields[field];
      if (!fieldId) continue;
      try {
        fields.push({ field, fieldId, labels: await call.config.listFieldOptions(fieldId), problem: null });
      } catch (error) {
        if (!isAppError(error)) throw error;
        fields.push({ field, fieldId, labels: [], problem: `Jira did not list this field's options (${error.message}); map its labels in the policy file instead, or check that it is a select list.` });
      }
    }
    call.fields.optionFields = fields.length;
    return { fields };
  };

  const applyWorkflowSetup = async (call: Call, request: Request) => {
    requireLicense(call);
    const payload = ApplySetupPayloadSchema.safeParse(request.payload);
    if (!payload.success) throw InvalidPayloadError.fromZod('applyWorkflowSetup request', payload.error);
    const { plan, version } = await currentPlan(call);
    if (plan.view.state !== 'ready') throw new AdminRefusal(ADMIN_ERROR_CODES.notReady, plan.view.message);
    if (plan.view.workflow.versionId !== payload.data.workflowVersionId || version !== payload.data.policyVersion) {
      throw new AdminRefusal(ADMIN_ERROR_CODES.planOutdated, 'The workflow or the policy changed since this dry run. Review the new dry run below, then install again.');
    }
    const updatedTransitions = plan.view.changedTransitions;
    if (plan.update) {
      // Jira's own check of every compiled rule first: nothing is installed if it rejects one.
      const sent = expressionsToAnalyse(plan.expressions);
      const rejected = rejectedRules(plan.expressions, sent, sent.length ? await call.config.analyseExpressions(sent) : []);
      Object.assign(call.fields, { analysed: sent.length, rejected: rejected.length });
      if (rejected.length) {
        throw new AdminRefusal(
          ADMIN_ERROR_CODES.rulesRejected,
          `Jira rejected ${rejected.length === 1 ? 'one compiled CC8.1 rule' : `${rejected.length} compiled CC8.1 rules`}, so nothing was installed and the workflow is unchanged. Check the field mappings above and save the policy again; if Jira still rejects them, send these lines to support.`,
          undefined,
          rejected,
        );
      }
      try {
        await call.config.updateWorkflow(plan.update);
      } catch (error) {
        if (error instanceof JiraRejectedError && error.status === 409) {
          throw new AdminRefusal(ADMIN_ERROR_CODES.planOutdated, 'Someone edited the workflow while you were reviewing. Review the new dry run below, then install again.');
        }
        throw error;
      }
    }
    Object.assign(call.fields, { workflowId: plan.view.workflow.id, updatedTransitions, policyVersion: version });
    return { updatedTransitions, state: await adminState(call) };
  };

  const runSelfTestNow = async (call: Call) => {
    const current = await readCurrentPolicy(deps.store);
    const expressionFailures = await loadExpressionFailures(deps.store);
    const report = await runSelfTest({
      config: call.config,
      policy: current.state === 'ok' ? { ok: true, policy: current.loaded.policy, version: current.loaded.version } : { ok: false, errors: current.error.fieldErrors ?? [{ path: '(stored policy)', message: current.error.message }] },
      licensed: call.licensed,
      trigger: 'manual',
      now: deps.clock(),
      restCalls: call.restCalls,
      environment: environment(),
      expressionFailures,
      verifyLogs: () => verifyEvidenceLogs(deps.store, { readMirrors: searchMirrors(call.app, realSleep), now: deps.clock() }),
      listUnrecorded: () => listUnrecordedSteps(deps.store, UNRECORDED_LISTED),
    });
    await deps.store.set(SELF_TEST_KEY, report);
    Object.assign(call.fields, { selfTestOk: report.ok });
    return { report };
  };

  const startExport = async (call: Call, request: Request) => {
    requireLicense(call);
    const payload = StartExportPayloadSchema.safeParse(request.payload);
    if (!payload.success) {
      throw new AdminRefusal(ADMIN_ERROR_CODES.invalidPayload, 'Some export settings are not valid. Fix the fields marked below.', payload.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(export)', message: i.message })));
    }
    if (!deps.exportQueue) throw new AdminRefusal(ADMIN_ERROR_CODES.internal, INTERNAL_MESSAGE);
    const current = await readCurrentPolicy(deps.store);
    if (current.state === 'corrupted') throw new AdminRefusal(ADMIN_ERROR_CODES.corrupted, 'The stored policy is unreadable; fix it on this page before exporting evidence.');
    const job = await startEvidenceExport(
      { transport: deps.appTransport, store: deps.store, clock: deps.clock, sleep: () => Promise.resolve(), queue: deps.exportQueue },
      { policy: current.loaded.policy, payload: payload.data, accountId: call.accountId },
    );
    Object.assign(call.fields, { jobId: job.jobId });
    return job;
  };

  const getExport = async () => ({ job: await latestEvidenceExport(deps.store) });

  const downloadExport = async (call: Call, request: Request) => {
    const payload = DownloadExportPayloadSchema.safeParse(request.payload);
    if (!payload.success) throw InvalidPayloadError.fromZod('downloadEvidenceExport request', payload.error);
    Object.assign(call.fields, { jobId: payload.data.jobId });
    return downloadEvidenceExport(deps.store, payload.data.jobId, payload.data.file, deps.clock());
  };

  const pipelinesState = async (): Promise<PipelinesState> => {
    const [{ pipelines }, gateUrl] = await Promise.all([listPipelines(deps.store), deps.gateUrl ? deps.gateUrl().then((url) => url || null, () => null) : Promise.resolve(null)]);
    return { pipelines: pipelines.map(pipelineViewOf), gateUrl };
  };

  const invalid = (what: string, error: z.ZodError) =>
    new AdminRefusal(ADMIN_ERROR_CODES.invalidPayload, `The ${what} is not valid.`, error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(request)', message: i.message })));

  const createPipelineNow = async (call: Call, request: Request): Promise<PipelineSecretResult> => {
    requireLicense(call);
    const payload = CreatePipelinePayloadSchema.safeParse(request.payload);
    if (!payload.success) throw invalid('pipeline', payload.error);
    const { pipelines } = await listPipelines(deps.store);
    if (pipelines.length >= MAX_PIPELINES) throw new AdminRefusal(ADMIN_ERROR_CODES.invalidPayload, `A site has at most ${MAX_PIPELINES} pipelines: revoke one you no longer use first.`);
    if (pipelines.some((p) => p.name.toLowerCase() === payload.data.name.toLowerCase())) {
      throw new AdminRefusal(ADMIN_ERROR_CODES.invalidPayload, 'A pipeline has this name already.', [{ path: 'name', message: 'Pick a name no other pipeline has' }]);
    }
    const { record, token } = await createPipeline(deps.store, { name: payload.data.name, by: { accountId: call.accountId, displayName: await displayNameOf(call) }, now: deps.clock() });
    call.fields.pipelineId = record.id;
    return { pipeline: pipelineViewOf(record), token, state: await pipelinesState() };
  };

  const pipelineIdOf = (request: Request): string => {
    const payload = PipelineIdPayloadSchema.safeParse(request.payload);
    if (!payload.success) throw invalid('pipeline id', payload.error);
    return payload.data.pipelineId;
  };
  const gone = (error: unknown): never => {
    if (error instanceof PipelineNotFoundError) throw new AdminRefusal(ADMIN_ERROR_CODES.invalidPayload, 'This pipeline no longer exists (it was revoked, perhaps in another tab). Reload the page.');
    throw error;
  };

  const rotatePipelineNow = async (call: Call, request: Request): Promise<PipelineSecretResult> => {
    requireLicense(call);
    const id = pipelineIdOf(request);
    call.fields.pipelineId = id;
    const { record, token } = await rotatePipelineSecret(deps.store, id, deps.clock()).catch(gone);
    return { pipeline: pipelineViewOf(record), token, state: await pipelinesState() };
  };

  const revokePipelineNow = async (call: Call, request: Request): Promise<PipelinesState> => {
    const id = pipelineIdOf(request);
    call.fields.pipelineId = id;
    await revokePipeline(deps.store, id, deps.clock()).catch(gone);
    return pipelinesState();
  };

  /** The only place errors are caught. One log line per call: ids and counts only. */
  const handler =
    <T>(key: string, body: (call: Call, request: Request) => Promise<T>) =>
    async (request: Request): Promise<AdminResult<T>> => {
      const fields: Record<string, LogFields[string]> = { key };
      const user = countingTransport(deps.userTransport);
      const app = countingTransport(deps.appTransport);
      const restCalls = () => user.count() + app.count();
      try {
        const { accountId, licensed } = callerOf(request.context);
        Object.assign(fields, { accountId, licensed });
        if (!(await checkAdmin(user.transport))) {
          // Evidence exports are also for the policy's exporters (compliance leads who are not Jira admins).
          const group = EXPORT_KEYS.has(key) ? await exportersGroup() : null;
          if (!group || !(await callerGroups(user.transport)).includes(group)) {
            throw new AdminRefusal(
              ADMIN_ERROR_CODES.forbidden,
              EXPORT_KEYS.has(key)
                ? `Only Jira admins${group ? ` and members of the group "${group}"` : ''} can build and download CC8.1 evidence exports. Ask a Jira admin${group ? ' to add you to the group' : ' to name an exporters group on the CC8.1 admin page'}.`
                : 'Only Jira admins can change the CC8.1 settings. Ask a Jira admin.',
            );
          }
          fields.asExporter = true;
        }
        const config = memoizedSiteReads(createConfigClient(app.transport, { now: deps.clock }));
        const data = await body({ accountId, licensed, config, user: user.transport, app: app.transport, fields, restCalls }, request);
        log(LOG_EVENT, { ...fields, outcome: 'ok', restCalls: restCalls() });
        return { ok: true, data };
      } catch (error) {
        rethrowForgeAuthError(error);
        if (isPlatformError(error)) throw error;
        const errorName = error instanceof Error ? error.name : typeof error;
        if (isAppError(error)) {
          log(LOG_EVENT, { ...fields, outcome: 'refused', errorCode: error.code, errorName, restCalls: restCalls() });
          return { ok: false, error: errorOf(error) };
        }
        log(LOG_EVENT, { ...fields, outcome: 'error', errorCode: ADMIN_ERROR_CODES.internal, errorName, restCalls: restCalls() });
        return { ok: false, error: { code: ADMIN_ERROR_CODES.internal, message: INTERNAL_MESSAGE } };
      }
    };

  const keys = RESOLVER_KEYS.admin;
  return new Resolver()
    .define(keys.getAdminState, handler(keys.getAdminState, adminState))
    .define(keys.savePolicy, handler(keys.savePolicy, savePolicy))
    .define(keys.createRecommendedFields, handler(keys.createRecommendedFields, createRecommendedFields))
    .define(keys.planWorkflowSetup, handler(keys.planWorkflowSetup, planWorkflowSetup))
    .define(keys.applyWorkflowSetup, handler(keys.applyWorkflowSetup, applyWorkflowSetup))
    .define(keys.runSelfTest, handler(keys.runSelfTest, runSelfTestNow))
    .define(keys.startEvidenceExport, handler(keys.startEvidenceExport, startExport))
    .define(keys.getEvidenceExport, handler(keys.getEvidenceExport, getExport))
    .define(keys.downloadEvidenceExport, handler(keys.downloadEvidenceExport, downloadExport))
    .define(keys.getSiteOptions, handler(keys.getSiteOptions, getSiteOptions))
    .define(keys.getExportContext, handler(keys.getExportContext, getExportContext))
    .define(keys.listPipelines, handler(keys.listPipelines, pipelinesState))
    .define(keys.createPipeline, handler(keys.createPipeline, createPipelineNow))
    .define(keys.rotatePipelineSecret, handler(keys.rotatePipelineSecret, rotatePipelineNow))
    .define(keys.revokePipeline, handler(keys.revokePipeline, revokePipelineNow))
    .getDefinitions();
};
